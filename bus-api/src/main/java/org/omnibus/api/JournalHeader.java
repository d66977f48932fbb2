package org.omnibus.api;

import org.agrona.DirectBuffer;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageFlyweight;

/**
 * Reads the header fields an Omnibus bus puts first in a message it delivers for a durable subscription: the
 * global sequence ({@link DBusHeaderField#OMNIBUS_JOURNAL_SEQUENCE}, code 128) then the subscription id
 * ({@link DBusHeaderField#OMNIBUS_JOURNAL_SUBSCRIPTION}, code 129), each a variant holding a {@code t}. Fixed
 * positions: no allocation, no scan.
 */
public final class JournalHeader
{
    /** What the readers return for a message without the field. */
    public static final long NONE = -1;

    private static final int FIRST_FIELD = 16;
    private static final int SECOND_FIELD = 32;

    private JournalHeader()
    {
    }

    /**
     * @param message a wrapped message.
     * @return its global sequence, or {@link #NONE} when the bus did not deliver it for a durable subscription.
     */
    public static long sequence(final DBusMessageFlyweight message)
    {
        return field(message, FIRST_FIELD, DBusHeaderField.OMNIBUS_JOURNAL_SEQUENCE);
    }

    /**
     * @param message a wrapped message.
     * @return the subscription it was delivered for, or {@link #NONE}.
     */
    public static long subscription(final DBusMessageFlyweight message)
    {
        return sequence(message) == NONE ? NONE :
            field(message, SECOND_FIELD, DBusHeaderField.OMNIBUS_JOURNAL_SUBSCRIPTION);
    }

    private static long field(final DBusMessageFlyweight message, final int at, final int code)
    {
        final DirectBuffer buffer = message.buffer();
        final int offset = message.offset() + at;
        if (message.headerFieldsEnd() < offset + 16 ||
            (buffer.getByte(offset) & 0xFF) != code ||
            buffer.getByte(offset + 1) != 1 ||
            buffer.getByte(offset + 2) != 't' ||
            buffer.getByte(offset + 3) != 0)
        {
            return NONE;
        }
        return buffer.getLong(offset + 8, message.byteOrder());
    }
}
