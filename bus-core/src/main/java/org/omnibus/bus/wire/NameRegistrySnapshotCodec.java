package org.omnibus.bus.wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.name.NameRegistryState;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.codec.sbe.bus.GroupSizeEncodingDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;
import org.omnibus.codec.sbe.bus.NameRegistrySnapshotDecoder;
import org.omnibus.codec.sbe.bus.NameRegistrySnapshotEncoder;

/**
 * The replicated name registry as a bus-schema {@code NameRegistrySnapshot} frame (template {@value #TEMPLATE_ID},
 * message header included): the opaque state the membership layer's state transfer carries
 * ({@code StateTransferHandler.takeSnapshot / installSnapshot}). It holds {@link NameRegistryState} exactly: every
 * owner with its credentials and joined names in join order, every well-known name with its queue and flags, and
 * every node's highest registered connection id. Equal registries give equal bytes.
 * <p>
 * A snapshot travels as one message, so it must fit the cluster's largest message: {@link #writeSnapshot} takes the
 * limit and throws {@link SnapshotTooLargeException} beyond it; {@link #MAX_SNAPSHOT_LENGTH_DEFAULT} is the
 * default. Every group holds at most 65534 entries (owners, well-known names, a name's queue, an owner's joined
 * names or group ids).
 * <p>
 * Control path: allocates. One instance per thread (it holds its flyweights).
 */
public final class NameRegistrySnapshotCodec
{
    /** Template id of NameRegistrySnapshot in the bus schema. */
    public static final int TEMPLATE_ID = NameRegistrySnapshotEncoder.TEMPLATE_ID;

    /**
     * Default largest snapshot: Aeron's largest message with the transport's default 4 MiB term (term / 8 = 512
     * KiB), less 16 KiB for the membership's StateTransfer frame around it (48 bytes and 20 per origin
     * incarnation).
     */
    public static final int MAX_SNAPSHOT_LENGTH_DEFAULT = 512 * 1024 - 16 * 1024;

    private static final int PARTS_PRESENT = 1;
    private static final int PARTS_COMMAND = 1 << 1;
    private static final int PARTS_LABEL = 1 << 2;
    private static final int PARTS_KNOWN = PARTS_PRESENT | PARTS_COMMAND | PARTS_LABEL;
    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_GROUP = GroupSizeEncodingDecoder.numInGroupMaxValue();
    private static final int GROUP_HEADER = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    private static final String WHAT = "NameRegistrySnapshot";

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final NameRegistrySnapshotEncoder encoder = new NameRegistrySnapshotEncoder();
    private final NameRegistrySnapshotDecoder decoder = new NameRegistrySnapshotDecoder();

    /**
     * A decoded snapshot.
     *
     * @param asOfSeq the last global sequence the state includes.
     * @param state   the state.
     */
    public record Snapshot(long asOfSeq, NameRegistryState state)
    {
    }

    /**
     * @param state a state.
     * @return the length {@link #encode} writes for it, message header included.
     * @throws IllegalArgumentException when it cannot be encoded (see {@link #encode}).
     */
    public static int encodedLength(final NameRegistryState state)
    {
        long length = MessageHeaderEncoder.ENCODED_LENGTH + NameRegistrySnapshotEncoder.BLOCK_LENGTH +
            3L * GROUP_HEADER +
            (long)state.nodes().size() * NameRegistrySnapshotEncoder.NodesEncoder.sbeBlockLength();
        for (final NameRegistryState.OwnerState owner : state.owners())
        {
            length += NameRegistrySnapshotEncoder.OwnersEncoder.sbeBlockLength() + 2L * GROUP_HEADER +
                (long)owner.joined().size() * NameRegistrySnapshotEncoder.OwnersEncoder.JoinedEncoder.sbeBlockLength() +
                NameRegistrySnapshotEncoder.OwnersEncoder.commandHeaderLength() +
                NameRegistrySnapshotEncoder.OwnersEncoder.securityLabelHeaderLength();
            final PeerCredentials credentials = owner.credentials();
            if (null != credentials)
            {
                length += (long)credentials.gidCount() *
                    NameRegistrySnapshotEncoder.OwnersEncoder.GidsEncoder.sbeBlockLength();
                if (null != credentials.command())
                {
                    length += FrameReader.utf8Bytes(credentials.command(), "command").length;
                }
                if (null != credentials.securityLabel())
                {
                    length += credentials.securityLabel().length;
                }
            }
        }
        for (final NameRegistryState.NameState name : state.names())
        {
            length += NameRegistrySnapshotEncoder.WellKnownNamesEncoder.sbeBlockLength() + GROUP_HEADER +
                (long)name.queue().size() *
                NameRegistrySnapshotEncoder.WellKnownNamesEncoder.QueueEncoder.sbeBlockLength() +
                NameRegistrySnapshotEncoder.WellKnownNamesEncoder.nameHeaderLength() + name.name().length();
        }
        if (length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("snapshot longer than 2 GiB: " + length);
        }
        return (int)length;
    }

    /**
     * Write a registry's state if it fits.
     *
     * @param registry  the registry.
     * @param asOfSeq   the last global sequence applied to it.
     * @param buffer    to write into (an expandable buffer grows; otherwise it must hold the snapshot).
     * @param offset    where the message header starts.
     * @param maxLength the largest snapshot the cluster can carry.
     * @return bytes written.
     * @throws SnapshotTooLargeException when the snapshot would exceed {@code maxLength} (nothing is written).
     */
    public int writeSnapshot(
        final NameRegistry registry,
        final long asOfSeq,
        final MutableDirectBuffer buffer,
        final int offset,
        final int maxLength)
    {
        final NameRegistryState state = registry.exportState();
        final int length = encodedLength(state);
        if (length > maxLength)
        {
            throw new SnapshotTooLargeException(length, maxLength, state.owners().size(), state.names().size());
        }
        return encode(state, asOfSeq, buffer, offset);
    }

    /**
     * Read a snapshot and put it in force in a registry (replacing its state).
     *
     * @param registry the registry.
     * @param buffer   holding the frame.
     * @param offset   of its message header.
     * @param length   of the frame, exactly.
     * @return the last global sequence the snapshot includes.
     * @throws MalformedFrameException when the frame is malformed or its state inconsistent (the registry is then
     *                                 unchanged).
     */
    public long installSnapshot(
        final NameRegistry registry, final DirectBuffer buffer, final int offset, final int length)
    {
        final Snapshot snapshot = decode(buffer, offset, length);
        try
        {
            registry.importState(snapshot.state());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new MalformedFrameException(WHAT + ": " + ex.getMessage(), ex);
        }
        return snapshot.asOfSeq();
    }

    /**
     * Write a state as a complete frame.
     *
     * @param state   the state.
     * @param asOfSeq the last global sequence it includes.
     * @param buffer  to write into (an expandable buffer grows; otherwise it must hold {@link #encodedLength}).
     * @param offset  where the message header starts.
     * @return bytes written, message header included.
     * @throws IllegalArgumentException when a group exceeds 65534 entries, a name is not ASCII or longer than 255,
     *                                  a string is not valid Unicode, or a reference does not resolve (a joined
     *                                  name or queued peer that is not in the state).
     */
    public int encode(
        final NameRegistryState state, final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
    {
        final List<NameRegistryState.OwnerState> owners = state.owners();
        final List<NameRegistryState.NameState> names = state.names();
        final Map<Long, Integer> ownerIndex = new HashMap<>();
        for (int i = 0; i < owners.size(); i++)
        {
            ownerIndex.put(owners.get(i).peerId(), i);
        }
        final Map<String, Integer> nameIndex = new HashMap<>();
        for (int i = 0; i < names.size(); i++)
        {
            nameIndex.put(names.get(i).name(), i + 1);
        }

        encoder.wrapAndApplyHeader(buffer, offset, headerEncoder).asOfSeq(asOfSeq);
        final NameRegistrySnapshotEncoder.NodesEncoder nodes = encoder.nodesCount(count(state.nodes(), "nodes"));
        for (final NameRegistryState.NodeCounter node : state.nodes())
        {
            nodes.next().nodeId(node.nodeId()).highestConnectionId(node.highestConnectionId());
        }

        final NameRegistrySnapshotEncoder.OwnersEncoder o = encoder.ownersCount(count(owners, "owners"));
        for (final NameRegistryState.OwnerState owner : owners)
        {
            final PeerCredentials credentials = owner.credentials();
            int parts = 0;
            byte[] command = null;
            byte[] label = null;
            if (null != credentials)
            {
                parts |= PARTS_PRESENT;
                if (null != credentials.command())
                {
                    parts |= PARTS_COMMAND;
                    command = FrameReader.utf8Bytes(credentials.command(), "command");
                }
                label = credentials.securityLabel();
                if (null != label)
                {
                    parts |= PARTS_LABEL;
                }
            }
            o.next().peerId(owner.peerId())
                .uid(null == credentials ? PeerCredentials.UNKNOWN : credentials.uid())
                .pid(null == credentials ? PeerCredentials.UNKNOWN : credentials.pid());
            o.credentialParts().clear()
                .present((parts & PARTS_PRESENT) != 0)
                .command((parts & PARTS_COMMAND) != 0)
                .securityLabel((parts & PARTS_LABEL) != 0);
            final int gidCount = null == credentials ? 0 : FrameReader.gidCount(credentials);
            final NameRegistrySnapshotEncoder.OwnersEncoder.GidsEncoder gids = o.gidsCount(gidCount);
            for (int i = 0; i < gidCount; i++)
            {
                gids.next().gid(credentials.gid(i));
            }
            final String uniqueName = PeerIds.uniqueName(owner.peerId());
            final NameRegistrySnapshotEncoder.OwnersEncoder.JoinedEncoder joined =
                o.joinedCount(count(owner.joined(), "joined names of " + uniqueName));
            for (final String name : owner.joined())
            {
                final Integer index = uniqueName.equals(name) ? Integer.valueOf(0) : nameIndex.get(name);
                if (null == index)
                {
                    throw new IllegalArgumentException(uniqueName + " joined a name not in the state: " + name);
                }
                joined.next().nameIndex(index);
            }
            final byte[] commandBytes = null == command ? new byte[0] : command;
            o.putCommand(commandBytes, 0, commandBytes.length);
            final byte[] labelBytes = null == label ? new byte[0] : label;
            o.putSecurityLabel(labelBytes, 0, labelBytes.length);
        }

        final NameRegistrySnapshotEncoder.WellKnownNamesEncoder n = encoder.wellKnownNamesCount(count(names, "names"));
        for (final NameRegistryState.NameState name : names)
        {
            n.next();
            final NameRegistrySnapshotEncoder.WellKnownNamesEncoder.QueueEncoder queue =
                n.queueCount(count(name.queue(), "queue of " + name.name()));
            for (final NameRegistryState.QueueEntry entry : name.queue())
            {
                final Integer index = ownerIndex.get(entry.peerId());
                if (null == index)
                {
                    throw new IllegalArgumentException("queue of " + name.name() + " names a peer not in the state: " +
                        PeerIds.uniqueName(entry.peerId()));
                }
                queue.next().ownerIndex(index).flags(Integer.toUnsignedLong(entry.flags()));
            }
            final byte[] bytes = FrameReader.asciiBytes(name.name(), MAX_NAME_LENGTH, "name");
            n.putName(bytes, 0, bytes.length);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Read a snapshot from a complete frame. The result is structurally sound (every index resolves, names are
     * valid well-known names); {@link NameRegistry#importState} checks the rest.
     *
     * @param buffer holding the frame.
     * @param offset of its message header.
     * @param length of the frame, exactly.
     * @return the snapshot.
     * @throws MalformedFrameException when the frame is not a well-formed NameRegistrySnapshot.
     */
    public Snapshot decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        final int blockLength = FrameReader.checkHeader(
            headerDecoder, buffer, offset, length, TEMPLATE_ID, NameRegistrySnapshotDecoder.BLOCK_LENGTH, WHAT);
        final NameRegistrySnapshotDecoder d = decoder.wrap(
            buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, headerDecoder.version());
        final long asOfSeq = d.asOfSeq();

        FrameReader.group(buffer, d.limit(), end, NameRegistrySnapshotDecoder.NodesDecoder.sbeBlockLength(),
            WHAT + " nodes");
        final List<NameRegistryState.NodeCounter> nodes = new ArrayList<>();
        for (final NameRegistrySnapshotDecoder.NodesDecoder node : d.nodes())
        {
            nodes.add(new NameRegistryState.NodeCounter(node.nodeId(), node.highestConnectionId()));
        }

        final int ownerCount = FrameReader.group(buffer, d.limit(), end,
            NameRegistrySnapshotDecoder.OwnersDecoder.sbeBlockLength(), WHAT + " owners");
        final long[] peerIds = new long[ownerCount];
        final PeerCredentials[] credentials = new PeerCredentials[ownerCount];
        final long[][] joinedIndexes = new long[ownerCount][];
        final NameRegistrySnapshotDecoder.OwnersDecoder owner = d.owners();
        for (int i = 0; i < ownerCount; i++)
        {
            // entries hold nested groups and data: each one's block is checked where it starts
            FrameReader.need(d.limit(), owner.actingBlockLength(), end, WHAT + " owner #" + i);
            owner.next();
            peerIds[i] = owner.peerId();
            final String what = WHAT + " owner " + PeerIds.uniqueName(peerIds[i]);
            final int parts = owner.credentialParts().getRaw();
            if ((parts & ~PARTS_KNOWN) != 0 || (parts != 0 && (parts & PARTS_PRESENT) == 0))
            {
                throw new MalformedFrameException(what + ": bad credential parts 0x" + Integer.toHexString(parts));
            }
            final long uid = owner.uid();
            final long pid = owner.pid();

            final int gidCount = FrameReader.group(buffer, d.limit(), end,
                NameRegistrySnapshotDecoder.OwnersDecoder.GidsDecoder.sbeBlockLength(), what + " gids");
            final long[] gids = new long[gidCount];
            int g = 0;
            for (final NameRegistrySnapshotDecoder.OwnersDecoder.GidsDecoder gid : owner.gids())
            {
                gids[g++] = gid.gid();
            }

            final int joinedCount = FrameReader.group(buffer, d.limit(), end,
                NameRegistrySnapshotDecoder.OwnersDecoder.JoinedDecoder.sbeBlockLength(), what + " joined");
            final long[] joined = new long[joinedCount];
            int j = 0;
            for (final NameRegistrySnapshotDecoder.OwnersDecoder.JoinedDecoder entry : owner.joined())
            {
                joined[j++] = entry.nameIndex();
            }
            joinedIndexes[i] = joined;

            final int commandLength = FrameReader.data32(buffer, d.limit(), end, what + " command");
            final String command = (parts & PARTS_COMMAND) == 0 ? null : FrameReader.utf8(
                buffer, d.limit() + NameRegistrySnapshotDecoder.OwnersDecoder.commandHeaderLength(), commandLength,
                what + " command");
            if (null == command && commandLength != 0)
            {
                throw new MalformedFrameException(what + ": command bytes without the command part");
            }
            owner.skipCommand();

            final int labelLength = FrameReader.data32(buffer, d.limit(), end, what + " securityLabel");
            byte[] label = null;
            if ((parts & PARTS_LABEL) != 0)
            {
                label = new byte[labelLength];
                buffer.getBytes(d.limit() + NameRegistrySnapshotDecoder.OwnersDecoder.securityLabelHeaderLength(),
                    label);
            }
            else if (labelLength != 0)
            {
                throw new MalformedFrameException(what + ": label bytes without the label part");
            }
            owner.skipSecurityLabel();

            if ((parts & PARTS_PRESENT) == 0)
            {
                if (gidCount != 0 || uid != PeerCredentials.UNKNOWN || pid != PeerCredentials.UNKNOWN)
                {
                    throw new MalformedFrameException(what + ": credential fields without credentials");
                }
            }
            else
            {
                credentials[i] = new PeerCredentials(uid, gids, pid, command, label);
            }
        }

        final int nameCount = FrameReader.group(buffer, d.limit(), end,
            NameRegistrySnapshotDecoder.WellKnownNamesDecoder.sbeBlockLength(), WHAT + " names");
        final String[] nameStrings = new String[nameCount];
        final List<List<NameRegistryState.QueueEntry>> queues = new ArrayList<>(nameCount);
        final NameRegistrySnapshotDecoder.WellKnownNamesDecoder name = d.wellKnownNames();
        for (int k = 0; k < nameCount; k++)
        {
            final String what = WHAT + " name #" + k;
            FrameReader.need(d.limit(), name.actingBlockLength(), end, what);
            name.next();
            FrameReader.group(buffer, d.limit(), end,
                NameRegistrySnapshotDecoder.WellKnownNamesDecoder.QueueDecoder.sbeBlockLength(), what + " queue");
            final List<NameRegistryState.QueueEntry> queue = new ArrayList<>();
            for (final NameRegistrySnapshotDecoder.WellKnownNamesDecoder.QueueDecoder entry : name.queue())
            {
                final long index = entry.ownerIndex();
                if (index >= ownerCount)
                {
                    throw new MalformedFrameException(what + ": owner index " + index + " of " + ownerCount);
                }
                queue.add(new NameRegistryState.QueueEntry(peerIds[(int)index], (int)entry.flags()));
            }
            queues.add(queue);
            final int nameLength = FrameReader.data16(buffer, d.limit(), end, MAX_NAME_LENGTH, what);
            final String text = FrameReader.ascii(
                buffer, d.limit() + NameRegistrySnapshotDecoder.WellKnownNamesDecoder.nameHeaderLength(), nameLength,
                what);
            if (!DBusNames.isValidBusName(text) || DBusNames.isUniqueName(text))
            {
                throw new MalformedFrameException(what + " is not a valid well-known name: " + text);
            }
            name.skipName();
            nameStrings[k] = text;
        }
        if (d.limit() != end)
        {
            throw new MalformedFrameException(WHAT + ": " + (end - d.limit()) + " trailing bytes");
        }

        final List<NameRegistryState.OwnerState> owners = new ArrayList<>(ownerCount);
        for (int o = 0; o < ownerCount; o++)
        {
            final String uniqueName = PeerIds.uniqueName(peerIds[o]);
            final List<String> joined = new ArrayList<>(joinedIndexes[o].length);
            for (final long index : joinedIndexes[o])
            {
                if (index > nameCount)
                {
                    throw new MalformedFrameException(WHAT + " owner " + uniqueName + ": name index " + index +
                        " of " + nameCount);
                }
                joined.add(index == 0 ? uniqueName : nameStrings[(int)index - 1]);
            }
            owners.add(new NameRegistryState.OwnerState(peerIds[o], credentials[o], joined));
        }
        final List<NameRegistryState.NameState> names = new ArrayList<>(nameCount);
        for (int n = 0; n < nameCount; n++)
        {
            names.add(new NameRegistryState.NameState(nameStrings[n], queues.get(n)));
        }
        return new Snapshot(asOfSeq, new NameRegistryState(nodes, owners, names));
    }

    private static int count(final List<?> list, final String what)
    {
        if (list.size() > MAX_GROUP)
        {
            throw new IllegalArgumentException("more than " + MAX_GROUP + " " + what + ": " + list.size());
        }
        return list.size();
    }
}
