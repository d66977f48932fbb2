package org.omnibus.benchmarks.edge;

import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.dbus.DBusMessageBuilder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A message built once (little-endian) and sent many times: only its serial, and optionally a few body bytes, change
 * between sends, so the hot path neither marshals nor allocates.
 */
public final class MessageTemplate
{
    private static final int SERIAL_OFFSET = 8;

    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private final int length;
    private final int bodyOffset;

    /**
     * @param builder a message builder (little-endian, the default); built and validated here.
     */
    public MessageTemplate(final DBusMessageBuilder builder)
    {
        final byte[] bytes = builder.serial(1).build();
        byteBuffer = ByteBuffer.allocateDirect(bytes.length);
        buffer = new UnsafeBuffer(byteBuffer);
        buffer.putBytes(0, bytes);
        length = bytes.length;
        bodyOffset = length - buffer.getInt(4, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A body {@code ay} of exactly {@code bodyLength} bytes: the array length and {@code bodyLength - 4} bytes.
     *
     * @param bodyLength total body length, at least 4.
     * @return the marshalled body.
     */
    public static byte[] byteArrayBody(final int bodyLength)
    {
        final byte[] body = new byte[bodyLength];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).putInt(0, bodyLength - 4);
        for (int i = 4; i < bodyLength; i++)
        {
            body[i] = (byte)i;
        }
        return body;
    }

    /**
     * @param serial the serial to stamp.
     */
    public void serial(final long serial)
    {
        buffer.putInt(SERIAL_OFFSET, (int)serial, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Overwrite a 64-bit value inside the body (e.g. a count), little-endian.
     *
     * @param bodyIndex 8-aligned index within the body.
     * @param value     the value.
     */
    public void putBodyLong(final int bodyIndex, final long value)
    {
        buffer.putLong(bodyOffset + bodyIndex, value, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Overwrite a 32-bit value inside the body, little-endian.
     *
     * @param bodyIndex 4-aligned index within the body.
     * @param value     the value.
     */
    public void putBodyInt(final int bodyIndex, final int value)
    {
        buffer.putInt(bodyOffset + bodyIndex, value, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return the whole message's length in bytes.
     */
    public int length()
    {
        return length;
    }

    ByteBuffer byteBuffer()
    {
        return byteBuffer;
    }
}
