package org.omnibus.codec.dbus;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

class DBusFramingTest
{
    @Test
    void framesLittleAndBigEndianMessagesAtAnyOffset()
    {
        for (final ByteOrder order : new ByteOrder[]{ ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN })
        {
            final byte[] message = DBusMessageBuilder.signal("/a", "a.b", "C").byteOrder(order)
                .body("s", "hello").build();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[message.length + 13]);
            buffer.putBytes(5, message);
            assertThat(DBusFraming.messageLength(buffer, 5, message.length + 8)).isEqualTo(message.length);
            assertThat(DBusFraming.messageLength(buffer, 5, 16)).isEqualTo(message.length);
        }
    }

    @Test
    void needsSixteenBytes()
    {
        final byte[] message = DBusMessageBuilder.signal("/a", "a.b", "C").build();
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        for (int available = 0; available < 16; available++)
        {
            assertThat(DBusFraming.messageLength(buffer, 0, available)).isEqualTo(DBusFraming.NEED_MORE_BYTES);
        }
    }

    @Test
    void rejectsBadEndiannessAsSoonAsTheFirstByteIsThere()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[]{ 'x', 1, 0, 1 });
        assertThat(DBusFraming.messageLength(buffer, 0, 1)).isEqualTo(DBusFraming.BAD_ENDIANNESS);
        assertThat(DBusFraming.rule(DBusFraming.BAD_ENDIANNESS)).isEqualTo(DBusRule.BAD_ENDIANNESS);
    }

    @Test
    void rejectsProtocolVersionOtherThanOne()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[]{ 'l', 1, 0, 2 });
        assertThat(DBusFraming.messageLength(buffer, 0, 4)).isEqualTo(DBusFraming.BAD_PROTOCOL_VERSION);
        assertThat(DBusFraming.rule(DBusFraming.BAD_PROTOCOL_VERSION)).isEqualTo(DBusRule.BAD_PROTOCOL_VERSION);
    }

    @Test
    void enforcesTheMessageAndHeaderArrayLimits()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putBytes(0, new byte[]{ 'l', 1, 0, 1 });

        buffer.putInt(12, 8, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(4, DBusProtocol.MAX_MESSAGE_LENGTH - 24, ByteOrder.LITTLE_ENDIAN);
        assertThat(DBusFraming.messageLength(buffer, 0, 16)).isEqualTo(DBusProtocol.MAX_MESSAGE_LENGTH);

        buffer.putInt(4, DBusProtocol.MAX_MESSAGE_LENGTH - 23, ByteOrder.LITTLE_ENDIAN);
        assertThat(DBusFraming.messageLength(buffer, 0, 16)).isEqualTo(DBusFraming.MESSAGE_TOO_LONG);

        buffer.putInt(4, 0, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(12, DBusProtocol.MAX_ARRAY_LENGTH + 1, ByteOrder.LITTLE_ENDIAN);
        assertThat(DBusFraming.messageLength(buffer, 0, 16)).isEqualTo(DBusFraming.MESSAGE_TOO_LONG);

        buffer.putInt(12, -1, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(4, -1, ByteOrder.LITTLE_ENDIAN);
        assertThat(DBusFraming.messageLength(buffer, 0, 16)).isEqualTo(DBusFraming.MESSAGE_TOO_LONG);
        assertThat(DBusFraming.rule(DBusFraming.MESSAGE_TOO_LONG)).isEqualTo(DBusRule.MESSAGE_TOO_LONG);
    }

    @Test
    void readsLengthsInTheMessageByteOrder()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putBytes(0, new byte[]{ 'B', 1, 0, 1 });
        buffer.putInt(4, 3, ByteOrder.BIG_ENDIAN);
        buffer.putInt(12, 9, ByteOrder.BIG_ENDIAN);
        assertThat(DBusFraming.messageLength(buffer, 0, 16)).isEqualTo(32 + 3);
    }
}
