package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Frames D-Bus messages in a byte stream: from the first 16 bytes of a message it computes the length of the
 * whole message (12-byte fixed header, header-fields array, padding to 8, body), so that the edge knows how many
 * bytes to gather before it hands the message to a {@link DBusMessageFlyweight}.
 * <p>
 * Returns codes rather than throwing, like Aeron's offer: a positive value is a length, a negative one says why
 * not. Checks only what framing needs (endianness, protocol version, size limits); the flyweight validates the
 * rest.
 */
public final class DBusFraming
{
    /** Fewer than 16 bytes are available: read more and ask again. */
    public static final int NEED_MORE_BYTES = -1;
    /** The first byte is neither 'l' nor 'B'. */
    public static final int BAD_ENDIANNESS = -2;
    /** The protocol version byte is not 1. */
    public static final int BAD_PROTOCOL_VERSION = -3;
    /** The header-fields array exceeds 64 MiB or the message exceeds 128 MiB. */
    public static final int MESSAGE_TOO_LONG = -4;

    private DBusFraming()
    {
    }

    /**
     * Length of the message that starts at {@code offset}.
     *
     * @param buffer    holding the start of the stream.
     * @param offset    of the message's first byte.
     * @param available bytes readable from {@code offset} on.
     * @return the total message length (at least 16), or {@link #NEED_MORE_BYTES}, {@link #BAD_ENDIANNESS},
     * {@link #BAD_PROTOCOL_VERSION} or {@link #MESSAGE_TOO_LONG}. Bad endianness and version are reported as
     * soon as their byte is available.
     */
    public static int messageLength(final DirectBuffer buffer, final int offset, final int available)
    {
        if (available < 1)
        {
            return NEED_MORE_BYTES;
        }
        final byte endianness = buffer.getByte(offset);
        final ByteOrder order;
        if (endianness == DBusProtocol.LITTLE_ENDIAN)
        {
            order = ByteOrder.LITTLE_ENDIAN;
        }
        else if (endianness == DBusProtocol.BIG_ENDIAN)
        {
            order = ByteOrder.BIG_ENDIAN;
        }
        else
        {
            return BAD_ENDIANNESS;
        }
        if (available >= 4 && buffer.getByte(offset + 3) != DBusProtocol.PROTOCOL_VERSION)
        {
            return BAD_PROTOCOL_VERSION;
        }
        if (available < DBusProtocol.MINIMUM_HEADER_LENGTH)
        {
            return NEED_MORE_BYTES;
        }
        final long bodyLength = buffer.getInt(offset + 4, order) & 0xFFFF_FFFFL;
        final long fieldsLength = buffer.getInt(offset + 12, order) & 0xFFFF_FFFFL;
        if (fieldsLength > DBusProtocol.MAX_ARRAY_LENGTH)
        {
            return MESSAGE_TOO_LONG;
        }
        final long total = align8(DBusProtocol.MINIMUM_HEADER_LENGTH + fieldsLength) + bodyLength;
        if (total > DBusProtocol.MAX_MESSAGE_LENGTH)
        {
            return MESSAGE_TOO_LONG;
        }
        return (int)total;
    }

    /**
     * The rule a negative result of {@link #messageLength} stands for.
     *
     * @param code a negative result of {@link #messageLength}.
     * @return the rule, {@link DBusRule#TRUNCATED} for {@link #NEED_MORE_BYTES}.
     */
    public static DBusRule rule(final int code)
    {
        switch (code)
        {
            case BAD_ENDIANNESS: return DBusRule.BAD_ENDIANNESS;
            case BAD_PROTOCOL_VERSION: return DBusRule.BAD_PROTOCOL_VERSION;
            case MESSAGE_TOO_LONG: return DBusRule.MESSAGE_TOO_LONG;
            default: return DBusRule.TRUNCATED;
        }
    }

    static long align8(final long value)
    {
        return (value + 7) & ~7L;
    }
}
