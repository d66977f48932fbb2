package org.omnibus.bus.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.codec.FrameCheck;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;
import org.omnibus.codec.sbe.bus.NameCommandDecoder;
import org.omnibus.codec.sbe.bus.NameCommandEncoder;
import org.omnibus.codec.sbe.bus.NameCommandKind;

/**
 * A {@link NameCommand} as a bus-schema {@code NameCommand} frame (template {@value #TEMPLATE_ID}, message header
 * included): the payload a node submits to the total order and decodes on delivery before
 * {@link org.omnibus.bus.Bus#applyNameCommand}. Every field of the record comes back as it was: {@code
 * decode(encode(c)).equals(c)}, credentials with their absent or empty parts included.
 * <p>
 * Rules, checked when encoding (an {@link IllegalArgumentException}) and when decoding (a
 * {@link MalformedFrameException}): REQUEST_NAME and RELEASE_NAME carry a valid well-known bus name and the other
 * kinds none; REGISTER carries credentials (other nodes answer GetConnectionCredentials from them), the other
 * kinds may; UNREGISTER_NODE names a node id (0 .. 2^32-1); at most 65534 group ids; strings valid Unicode.
 * Decoding also rejects another schema, a newer version, another template, a truncated frame, unknown bits or
 * kinds, and trailing bytes.
 * <p>
 * Control path: decoding allocates the record; one instance per thread (it holds its flyweights).
 */
public final class NameCommandCodec
{
    /** Template id of NameCommand in the bus schema. */
    public static final int TEMPLATE_ID = NameCommandEncoder.TEMPLATE_ID;

    private static final int PARTS_PRESENT = 1;
    private static final int PARTS_COMMAND = 1 << 1;
    private static final int PARTS_LABEL = 1 << 2;
    private static final int PARTS_KNOWN = PARTS_PRESENT | PARTS_COMMAND | PARTS_LABEL;
    private static final int MAX_NAME_LENGTH = 255;
    private static final String WHAT = "NameCommand";

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final NameCommandEncoder encoder = new NameCommandEncoder();
    private final NameCommandDecoder decoder = new NameCommandDecoder();

    /**
     * @param buffer a delivered payload.
     * @param offset of its message header.
     * @param length of the payload.
     * @return true when it is a bus-schema frame of a version this codec reads with template NameCommand (then
     * {@link #decode} applies; otherwise it is another message, e.g. a BusMessage).
     */
    public static boolean isNameCommand(final DirectBuffer buffer, final int offset, final int length)
    {
        return FrameCheck.check(buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, FrameReader.MAX_VERSION) ==
            FrameCheck.OK &&
            (buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == TEMPLATE_ID;
    }

    /**
     * @param command a command.
     * @return the length {@link #encode} writes for it, message header included.
     * @throws IllegalArgumentException when it breaks a rule (see the class comment).
     */
    public static int encodedLength(final NameCommand command)
    {
        check(command);
        int length = MessageHeaderEncoder.ENCODED_LENGTH + NameCommandEncoder.BLOCK_LENGTH +
            NameCommandEncoder.GidsEncoder.HEADER_SIZE +
            NameCommandEncoder.nameHeaderLength() + NameCommandEncoder.commandHeaderLength() +
            NameCommandEncoder.securityLabelHeaderLength();
        if (null != command.name())
        {
            length += command.name().length();
        }
        final PeerCredentials credentials = command.credentials();
        if (null != credentials)
        {
            length += credentials.gidCount() * NameCommandEncoder.GidsEncoder.sbeBlockLength();
            if (null != credentials.command())
            {
                length += FrameReader.utf8Bytes(credentials.command(), "command").length;
            }
            if (null != credentials.securityLabel())
            {
                length += credentials.securityLabel().length;
            }
        }
        return length;
    }

    /**
     * Write a command as a complete frame.
     *
     * @param command the command.
     * @param buffer  to write into (an expandable buffer grows; otherwise it must hold {@link #encodedLength}).
     * @param offset  where the message header starts.
     * @return bytes written, message header included.
     * @throws IllegalArgumentException when the command breaks a rule (see the class comment).
     */
    public int encode(final NameCommand command, final MutableDirectBuffer buffer, final int offset)
    {
        check(command);
        final PeerCredentials credentials = command.credentials();
        int parts = 0;
        byte[] commandBytes = null;
        byte[] label = null;
        if (null != credentials)
        {
            parts |= PARTS_PRESENT;
            if (null != credentials.command())
            {
                parts |= PARTS_COMMAND;
                commandBytes = FrameReader.utf8Bytes(credentials.command(), "command");
            }
            label = credentials.securityLabel();
            if (null != label)
            {
                parts |= PARTS_LABEL;
            }
        }
        encoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .kind(kindOf(command.kind()))
            .peerId(command.peerId())
            .flags(Integer.toUnsignedLong(command.flags()))
            .maxNames(command.maxNames())
            .serial(Integer.toUnsignedLong(command.serial()))
            .uid(null == credentials ? PeerCredentials.UNKNOWN : credentials.uid())
            .pid(null == credentials ? PeerCredentials.UNKNOWN : credentials.pid());
        encoder.credentialParts().clear()
            .present((parts & PARTS_PRESENT) != 0)
            .command((parts & PARTS_COMMAND) != 0)
            .securityLabel((parts & PARTS_LABEL) != 0);
        final int gidCount = null == credentials ? 0 : credentials.gidCount();
        final NameCommandEncoder.GidsEncoder gids = encoder.gidsCount(gidCount);
        for (int i = 0; i < gidCount; i++)
        {
            gids.next().gid(credentials.gid(i));
        }
        final byte[] name = null == command.name() ? new byte[0] :
            FrameReader.asciiBytes(command.name(), MAX_NAME_LENGTH, "name");
        encoder.putName(name, 0, name.length);
        if (null == commandBytes)
        {
            encoder.putCommand(new byte[0], 0, 0);
        }
        else
        {
            encoder.putCommand(commandBytes, 0, commandBytes.length);
        }
        if (null == label)
        {
            encoder.putSecurityLabel(new byte[0], 0, 0);
        }
        else
        {
            encoder.putSecurityLabel(label, 0, label.length);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Read a command from a complete frame.
     *
     * @param buffer holding the frame.
     * @param offset of its message header.
     * @param length of the frame, exactly.
     * @return the command.
     * @throws MalformedFrameException when the frame is not a well-formed NameCommand (see the class comment).
     */
    public NameCommand decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        final int blockLength = FrameReader.checkHeader(
            headerDecoder, buffer, offset, length, TEMPLATE_ID, NameCommandDecoder.BLOCK_LENGTH, WHAT);
        final NameCommandDecoder d = decoder.wrap(
            buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, headerDecoder.version());

        final NameCommand.Kind kind = kindOf(d.kindRaw());
        final int parts = d.credentialParts().getRaw();
        if ((parts & ~PARTS_KNOWN) != 0 || (parts != 0 && (parts & PARTS_PRESENT) == 0))
        {
            throw new MalformedFrameException(WHAT + ": bad credential parts 0x" + Integer.toHexString(parts));
        }
        final long peerId = d.peerId();
        final int flags = (int)d.flags();
        final int maxNames = d.maxNames();
        final int serial = (int)d.serial();
        final long uid = d.uid();
        final long pid = d.pid();

        final int gidCount = FrameReader.group(buffer, d.limit(), end,
            NameCommandDecoder.GidsDecoder.sbeBlockLength(), WHAT + " gids");
        final long[] gids = new long[gidCount];
        int i = 0;
        for (final NameCommandDecoder.GidsDecoder gid : d.gids())
        {
            gids[i++] = gid.gid();
        }

        final int nameLength = FrameReader.data16(buffer, d.limit(), end, MAX_NAME_LENGTH, WHAT + " name");
        final String name = nameLength == 0 ? null :
            FrameReader.ascii(buffer, d.limit() + NameCommandDecoder.nameHeaderLength(), nameLength, WHAT + " name");
        d.skipName();

        final int commandLength = FrameReader.data32(buffer, d.limit(), end, WHAT + " command");
        final String command = (parts & PARTS_COMMAND) == 0 ? null :
            FrameReader.utf8(buffer, d.limit() + NameCommandDecoder.commandHeaderLength(), commandLength,
            WHAT + " command");
        if (null == command && commandLength != 0)
        {
            throw new MalformedFrameException(WHAT + ": command bytes without the command part");
        }
        d.skipCommand();

        final int labelLength = FrameReader.data32(buffer, d.limit(), end, WHAT + " securityLabel");
        byte[] label = null;
        if ((parts & PARTS_LABEL) != 0)
        {
            label = new byte[labelLength];
            buffer.getBytes(d.limit() + NameCommandDecoder.securityLabelHeaderLength(), label);
        }
        else if (labelLength != 0)
        {
            throw new MalformedFrameException(WHAT + ": label bytes without the label part");
        }
        d.skipSecurityLabel();

        if (d.limit() != end)
        {
            throw new MalformedFrameException(WHAT + ": " + (end - d.limit()) + " trailing bytes");
        }
        if ((parts & PARTS_PRESENT) == 0 && (gidCount != 0 || uid != PeerCredentials.UNKNOWN ||
            pid != PeerCredentials.UNKNOWN))
        {
            throw new MalformedFrameException(WHAT + ": credential fields without credentials");
        }
        final PeerCredentials credentials = (parts & PARTS_PRESENT) == 0 ? null :
            new PeerCredentials(uid, gids, pid, command, label);
        final NameCommand result = new NameCommand(kind, peerId, name, flags, maxNames, serial, credentials);
        try
        {
            check(result);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new MalformedFrameException(WHAT + ": " + ex.getMessage(), ex);
        }
        return result;
    }

    private static void check(final NameCommand command)
    {
        final NameCommand.Kind kind = command.kind();
        if (null == kind)
        {
            throw new IllegalArgumentException("no kind");
        }
        final String name = command.name();
        if (kind == NameCommand.Kind.REQUEST_NAME || kind == NameCommand.Kind.RELEASE_NAME)
        {
            if (null == name || !DBusNames.isValidBusName(name) || DBusNames.isUniqueName(name))
            {
                throw new IllegalArgumentException(kind + " needs a valid well-known name: " + name);
            }
        }
        else if (null != name)
        {
            throw new IllegalArgumentException(kind + " carries no name: " + name);
        }
        if (kind == NameCommand.Kind.REGISTER && null == command.credentials())
        {
            throw new IllegalArgumentException("REGISTER needs credentials");
        }
        if (kind == NameCommand.Kind.UNREGISTER_NODE && (command.peerId() < 0 || command.peerId() > 0xFFFF_FFFFL))
        {
            throw new IllegalArgumentException("UNREGISTER_NODE needs a node id: " + command.peerId());
        }
        if (null != command.credentials())
        {
            FrameReader.gidCount(command.credentials());
        }
    }

    private static NameCommandKind kindOf(final NameCommand.Kind kind)
    {
        switch (kind)
        {
            case REGISTER: return NameCommandKind.REGISTER;
            case REQUEST_NAME: return NameCommandKind.REQUEST_NAME;
            case RELEASE_NAME: return NameCommandKind.RELEASE_NAME;
            case UNREGISTER: return NameCommandKind.UNREGISTER;
            case UNREGISTER_NODE: return NameCommandKind.UNREGISTER_NODE;
            case BECOME_MONITOR: return NameCommandKind.BECOME_MONITOR;
            default: throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static NameCommand.Kind kindOf(final short raw)
    {
        switch (raw)
        {
            case 1: return NameCommand.Kind.REGISTER;
            case 2: return NameCommand.Kind.REQUEST_NAME;
            case 3: return NameCommand.Kind.RELEASE_NAME;
            case 4: return NameCommand.Kind.UNREGISTER;
            case 5: return NameCommand.Kind.UNREGISTER_NODE;
            case 6: return NameCommand.Kind.BECOME_MONITOR;
            default: throw new MalformedFrameException(WHAT + ": unknown kind " + raw);
        }
    }
}
