package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.bus.Endianness;

import java.nio.ByteOrder;

/**
 * Converts a D-Bus message to the D-Bus part of an SBE {@code BusMessage} and back, with the body bytes copied
 * untouched (same byte order, never re-marshalled). Allocation-free; one instance per agent.
 * <p>
 * Carried over: type (raw byte, unknown types included), flags (raw byte, unknown bits included), endianness,
 * serial, and the known header fields. Not carried: header fields of unknown codes (the specification lets
 * receivers ignore them) and the difference between an absent field and an empty one (an empty SIGNATURE,
 * REPLY_SERIAL 0 or UNIX_FDS 0 come back absent, which means the same). D-Bus fields are written back in
 * field-code order, so a message whose fields were in that order converts back to the same bytes.
 * <p>
 * The cluster envelope (sequences, view, origin, credentials, priority, timestamp) is the caller's to set.
 */
public final class DBusSbeConverter
{
    private final DBusHeaderEncoder headerEncoder = new DBusHeaderEncoder();

    /**
     * Write a D-Bus message into a {@code BusMessage}, keeping its SENDER field.
     *
     * @param message a wrapped D-Bus message.
     * @param encoder wrapped (e.g. by {@code wrapAndApplyHeader}) with no variable-length field written yet.
     * @return the encoder's encoded length.
     */
    public static int toSbe(final DBusMessageFlyweight message, final BusMessageEncoder encoder)
    {
        putFixed(message, encoder);
        putVarFields(message, encoder);
        putField(message, DBusHeaderField.SENDER, encoder);
        return putSignatureAndBody(message, encoder);
    }

    /**
     * Write a D-Bus message into a {@code BusMessage} with the sender the edge vouches for, replacing the
     * message's own SENDER field if any.
     *
     * @param message      a wrapped D-Bus message.
     * @param encoder      wrapped with no variable-length field written yet.
     * @param sender       buffer holding the sender's unique name (ASCII).
     * @param senderOffset of its first byte.
     * @param senderLength in bytes, at most 255.
     * @return the encoder's encoded length.
     */
    public static int toSbe(
        final DBusMessageFlyweight message,
        final BusMessageEncoder encoder,
        final DirectBuffer sender,
        final int senderOffset,
        final int senderLength)
    {
        putFixed(message, encoder);
        putVarFields(message, encoder);
        encoder.putSender(sender, senderOffset, senderLength);
        return putSignatureAndBody(message, encoder);
    }

    /**
     * Write a D-Bus message into a {@code BusMessage} with the given sender.
     *
     * @param message a wrapped D-Bus message.
     * @param encoder wrapped with no variable-length field written yet.
     * @param sender  the sender's unique name (ASCII, at most 255 characters).
     * @return the encoder's encoded length.
     */
    public static int toSbe(
        final DBusMessageFlyweight message, final BusMessageEncoder encoder, final CharSequence sender)
    {
        putFixed(message, encoder);
        putVarFields(message, encoder);
        encoder.sender(sender);
        return putSignatureAndBody(message, encoder);
    }

    /**
     * Length of the D-Bus message {@link #toDBus} would write, without moving the decoder.
     *
     * @param decoder a wrapped {@code BusMessage} whose variable-length fields were not read yet.
     * @return the message length in bytes.
     * @throws DBusCodecException if the frame's lengths run past its buffer or break D-Bus limits.
     */
    public static int dbusLength(final BusMessageDecoder decoder)
    {
        final int limit = decoder.limit();
        try
        {
            final DirectBuffer buffer = decoder.buffer();
            int header = DBusProtocol.MINIMUM_HEADER_LENGTH;
            header = stringFieldEnd(header, lengthAt(buffer, limit, 4, limit), false);
            int p = skip(buffer, limit, 4);
            for (int i = 0; i < 5; i++)
            {
                final int len = lengthAt(buffer, p, 2, limit);
                p = skip(buffer, p, 2);
                header = stringFieldEnd(header, len, false);
                if (i == 2 && decoder.replySerial() != 0)
                {
                    header = uint32FieldEnd(header);
                }
            }
            final int sigLength = lengthAt(buffer, p, 2, limit);
            p = skip(buffer, p, 2);
            header = stringFieldEnd(header, sigLength, true);
            if (decoder.unixFds() != 0)
            {
                header = uint32FieldEnd(header);
            }
            final int bodyLength = lengthAt(buffer, p, 4, limit);
            skip(buffer, p, 4);
            final long total = DBusFraming.align8(header) + bodyLength;
            if (total > DBusProtocol.MAX_MESSAGE_LENGTH)
            {
                throw new DBusCodecException(DBusRule.MESSAGE_TOO_LONG, 0);
            }
            return (int)total;
        }
        finally
        {
            decoder.limit(limit);
        }
    }

    /**
     * Write the D-Bus message a {@code BusMessage} carries.
     *
     * @param decoder a wrapped {@code BusMessage} whose variable-length fields were not read yet; they are read.
     * @param dst     where to write; must hold {@link #dbusLength} bytes from {@code offset} (an expandable
     *                buffer grows).
     * @param offset  where the message starts.
     * @return the message length.
     * @throws DBusCodecException if the frame cannot make a D-Bus message (bad endianness, lengths past the
     *                            frame's buffer).
     */
    public int toDBus(final BusMessageDecoder decoder, final MutableDirectBuffer dst, final int offset)
    {
        final byte endianness = decoder.endiannessRaw();
        if (endianness != DBusProtocol.LITTLE_ENDIAN && endianness != DBusProtocol.BIG_ENDIAN)
        {
            throw new DBusCodecException(DBusRule.NOT_CONVERTIBLE, 0);
        }
        dbusLength(decoder);
        final DBusHeaderEncoder header = headerEncoder.wrap(dst, offset, endianness)
            .type(decoder.messageTypeRaw())
            .flags(decoder.flags().getRaw())
            .serial(decoder.serial());

        int len = decoder.pathLength();
        if (len > 0)
        {
            decoder.getPath(dst, header.reserveStringField(DBusHeaderField.PATH, len), len);
        }
        else
        {
            decoder.skipPath();
        }
        len = decoder.interfaceNameLength();
        if (len > 0)
        {
            decoder.getInterfaceName(dst, header.reserveStringField(DBusHeaderField.INTERFACE, len), len);
        }
        else
        {
            decoder.skipInterfaceName();
        }
        len = decoder.memberLength();
        if (len > 0)
        {
            decoder.getMember(dst, header.reserveStringField(DBusHeaderField.MEMBER, len), len);
        }
        else
        {
            decoder.skipMember();
        }
        len = decoder.errorNameLength();
        if (len > 0)
        {
            decoder.getErrorName(dst, header.reserveStringField(DBusHeaderField.ERROR_NAME, len), len);
        }
        else
        {
            decoder.skipErrorName();
        }
        if (decoder.replySerial() != 0)
        {
            header.replySerial(decoder.replySerial());
        }
        len = decoder.destinationLength();
        if (len > 0)
        {
            decoder.getDestination(dst, header.reserveStringField(DBusHeaderField.DESTINATION, len), len);
        }
        else
        {
            decoder.skipDestination();
        }
        len = decoder.senderLength();
        if (len > 0)
        {
            decoder.getSender(dst, header.reserveStringField(DBusHeaderField.SENDER, len), len);
        }
        else
        {
            decoder.skipSender();
        }
        len = decoder.signatureLength();
        if (len > 0)
        {
            decoder.getSignature(dst, header.reserveStringField(DBusHeaderField.SIGNATURE, len), len);
        }
        else
        {
            decoder.skipSignature();
        }
        if (decoder.unixFds() != 0)
        {
            header.unixFds(decoder.unixFds());
        }
        final int bodyLength = decoder.bodyLength();
        header.bodyLength(bodyLength);
        final int headerLength = header.finish();
        decoder.getBody(dst, offset + headerLength, bodyLength);
        return headerLength + bodyLength;
    }

    /**
     * Point a body cursor at the body a {@code BusMessage} carries, without converting it; e.g. to evaluate
     * match rules' argN on a message from another node. Does not move the decoder.
     *
     * @param decoder a wrapped {@code BusMessage} whose variable-length fields were not read yet.
     * @param cursor  to wrap over the body.
     * @return the cursor.
     * @throws DBusCodecException if the frame's lengths run past its buffer or the signature is invalid.
     */
    public static DBusBodyCursor wrapBody(final BusMessageDecoder decoder, final DBusBodyCursor cursor)
    {
        final int limit = decoder.limit();
        try
        {
            final DirectBuffer buffer = decoder.buffer();
            int p = skip(buffer, limit, 4);
            for (int i = 0; i < 5; i++)
            {
                p = skip(buffer, p, 2);
            }
            final int sigLength = lengthAt(buffer, p, 2, limit);
            final int sigOffset = p + 2;
            p = skip(buffer, p, 2);
            final int bodyLength = lengthAt(buffer, p, 4, limit);
            skip(buffer, p, 4);
            final ByteOrder order = decoder.endiannessRaw() == DBusProtocol.BIG_ENDIAN ?
                ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            return cursor.wrap(buffer, p + 4, bodyLength, order, buffer, sigOffset, sigLength);
        }
        finally
        {
            decoder.limit(limit);
        }
    }

    private static void putFixed(final DBusMessageFlyweight message, final BusMessageEncoder encoder)
    {
        final MutableDirectBuffer buffer = encoder.buffer();
        final int offset = encoder.offset();
        buffer.putByte(offset + BusMessageEncoder.messageTypeEncodingOffset(), (byte)message.type());
        buffer.putByte(offset + BusMessageEncoder.flagsEncodingOffset(), (byte)message.flags());
        encoder
            .endianness(message.byteOrder() == ByteOrder.BIG_ENDIAN ? Endianness.BIG : Endianness.LITTLE)
            .serial(message.serial())
            .replySerial(message.replySerial())
            .unixFds(message.unixFds());
    }

    private static void putVarFields(final DBusMessageFlyweight message, final BusMessageEncoder encoder)
    {
        final DirectBuffer src = message.buffer();
        encoder.putPath(src, start(message, DBusHeaderField.PATH), message.fieldLength(DBusHeaderField.PATH));
        putField(message, DBusHeaderField.INTERFACE, encoder);
        putField(message, DBusHeaderField.MEMBER, encoder);
        putField(message, DBusHeaderField.ERROR_NAME, encoder);
        putField(message, DBusHeaderField.DESTINATION, encoder);
    }

    private static void putField(final DBusMessageFlyweight message, final int field, final BusMessageEncoder encoder)
    {
        final DirectBuffer src = message.buffer();
        final int start = start(message, field);
        final int length = message.fieldLength(field);
        switch (field)
        {
            case DBusHeaderField.INTERFACE:
                encoder.putInterfaceName(src, start, length);
                break;
            case DBusHeaderField.MEMBER:
                encoder.putMember(src, start, length);
                break;
            case DBusHeaderField.ERROR_NAME:
                encoder.putErrorName(src, start, length);
                break;
            case DBusHeaderField.DESTINATION:
                encoder.putDestination(src, start, length);
                break;
            case DBusHeaderField.SENDER:
                encoder.putSender(src, start, length);
                break;
            default:
                encoder.putSignature(src, start, length);
                break;
        }
    }

    private static int putSignatureAndBody(final DBusMessageFlyweight message, final BusMessageEncoder encoder)
    {
        putField(message, DBusHeaderField.SIGNATURE, encoder);
        encoder.putBody(message.buffer(), message.bodyOffset(), message.bodyLength());
        return encoder.encodedLength();
    }

    private static int start(final DBusMessageFlyweight message, final int field)
    {
        return message.hasField(field) ? message.fieldOffset(field) : message.offset();
    }

    private static int lengthAt(final DirectBuffer buffer, final int position, final int size, final int base)
    {
        if (position < 0 || position > buffer.capacity() - size)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, position - base);
        }
        return size == 2 ?
            buffer.getShort(position, BusMessageDecoder.BYTE_ORDER) & 0xFFFF :
            buffer.getInt(position, BusMessageDecoder.BYTE_ORDER);
    }

    private static int skip(final DirectBuffer buffer, final int position, final int size)
    {
        final int length = lengthAt(buffer, position, size, position);
        if (length < 0 || length > buffer.capacity() - position - size)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, position);
        }
        return position + size + length;
    }

    private static int stringFieldEnd(final int position, final int length, final boolean signature)
    {
        if (length == 0)
        {
            return position;
        }
        final int p = (int)DBusFraming.align8(position) + 4;
        return signature ? p + 1 + length + 1 : ((p + 3) & ~3) + 4 + length + 1;
    }

    private static int uint32FieldEnd(final int position)
    {
        return (((int)DBusFraming.align8(position) + 4 + 3) & ~3) + 4;
    }
}
