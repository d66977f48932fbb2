package org.omnibus.bus.wire;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.omnibus.bus.BusOutput;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.codec.dbus.DBusMessageBuilder;

/**
 * Marshals the bus' own messages ({@link BusOutput}s: driver replies and errors, NameOwnerChanged, NoReply...)
 * with the codec's {@link DBusMessageBuilder}. Control path: allocates.
 */
public final class BusOutputEncoder
{
    private BusOutputEncoder()
    {
    }

    /**
     * @param message   a message from the bus.
     * @param serial    the serial to give it (the sending connection's counter, as libdbus does per connection).
     * @param byteOrder byte order to write.
     * @return a builder holding the whole message.
     */
    public static DBusMessageBuilder builder(final SimpleMessage message, final long serial, final ByteOrder byteOrder)
    {
        final DBusMessageBuilder builder = new DBusMessageBuilder(message.type())
            .flags(message.flags())
            .serial(serial)
            .byteOrder(byteOrder)
            .path(message.path())
            .interfaceName(message.interfaceName())
            .member(message.member())
            .errorName(message.errorName())
            .destination(message.destination())
            .sender(message.sender());
        if (message.replySerial() != 0)
        {
            builder.replySerial(Integer.toUnsignedLong(message.replySerial()));
        }
        if (message.unixFds() != 0)
        {
            builder.unixFds(message.unixFds());
        }
        if (!message.signature().isEmpty())
        {
            builder.body(message.signature(), message.body());
        }
        return builder;
    }

    /**
     * @param message a message from the bus.
     * @param serial  its serial.
     * @return the little-endian wire bytes.
     */
    public static byte[] encode(final SimpleMessage message, final long serial)
    {
        return builder(message, serial, ByteOrder.LITTLE_ENDIAN).build();
    }

    /**
     * @param message a message from the bus.
     * @param serial  its serial.
     * @param buffer  where to write (an expandable buffer grows).
     * @param offset  where the message starts.
     * @return the message length.
     */
    public static int encode(
        final SimpleMessage message, final long serial, final MutableDirectBuffer buffer, final int offset)
    {
        return builder(message, serial, ByteOrder.LITTLE_ENDIAN).buildInto(buffer, offset);
    }
}
