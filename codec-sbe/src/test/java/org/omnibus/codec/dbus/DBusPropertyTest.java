package org.omnibus.codec.dbus;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded property tests: random well-formed messages round-trip in both byte orders (through the reader, the
 * value reader, the SBE converter and the header re-encoder), and random mutations of them are either valid or
 * raise a {@link DBusCodecException}, never another exception. A failure names its seed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DBusPropertyTest
{
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final DBusMessageFlyweight other = new DBusMessageFlyweight();
    private final ExpandableArrayBuffer sbe = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final BusMessageEncoder encoder = new BusMessageEncoder();
    private final BusMessageDecoder decoder = new BusMessageDecoder();
    private final DBusSbeConverter converter = new DBusSbeConverter();
    private final DBusBodyCursor cursor = new DBusBodyCursor();

    static LongStream roundTripSeeds()
    {
        return LongStream.range(0, 400).map(i -> 0x5EED_0000L + i);
    }

    static LongStream mutationSeeds()
    {
        return LongStream.range(0, 400).map(i -> 0xBAD_0000L + i);
    }

    @ParameterizedTest
    @MethodSource("roundTripSeeds")
    void randomMessagesRoundTripInBothByteOrders(final long seed)
    {
        try
        {
            final RandomMessages random = new RandomMessages(seed);
            final DBusMessageBuilder builder = random.message(ByteOrder.LITTLE_ENDIAN);
            final byte[] little = builder.build();
            final byte[] big = builder.byteOrder(ByteOrder.BIG_ENDIAN).build();
            assertThat(big).hasSameSizeAs(little);
            checkRoundTrip(random, little, ByteOrder.LITTLE_ENDIAN);
            checkRoundTrip(random, big, ByteOrder.BIG_ENDIAN);
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError("seed " + seed + ": " + ex, ex);
        }
    }

    @ParameterizedTest
    @MethodSource("mutationSeeds")
    void mutationsAreValidOrRejectedWithACodecException(final long seed)
    {
        final RandomMessages random = new RandomMessages(seed);
        final SplittableRandom rnd = random.random();
        final ByteOrder order = rnd.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        final byte[] original = random.message(order).build();
        for (int round = 0; round < 40; round++)
        {
            final byte[] mutated = Arrays.copyOf(original, original.length + 16);
            int length = original.length;
            for (int k = 1 + rnd.nextInt(3); k > 0; k--)
            {
                length = mutate(rnd, mutated, length, order);
            }
            check(seed, round, mutated, length);
        }
    }

    private void checkRoundTrip(final RandomMessages random, final byte[] bytes, final ByteOrder order)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertThat(DBusFraming.messageLength(buffer, 0, 16)).isEqualTo(bytes.length);
        message.wrap(buffer, 0, bytes.length);
        assertThat(message.byteOrder()).isEqualTo(order);
        assertThat(message.type()).isEqualTo(random.type);
        assertThat(message.flags()).isEqualTo(random.flags);
        assertThat(message.serial()).isEqualTo(random.serial);
        for (final Map.Entry<Integer, Object> field : random.fields.entrySet())
        {
            if (field.getKey() == DBusHeaderField.REPLY_SERIAL)
            {
                assertThat(message.replySerial()).isEqualTo(field.getValue());
            }
            else
            {
                assertThat(message.fieldAsString(field.getKey())).isEqualTo(field.getValue());
                assertThat(message.fieldEquals(field.getKey(), (String)field.getValue())).isTrue();
            }
        }
        assertThat(message.signature()).isEqualTo(random.signature);
        final List<Object> body = DBusValues.readBody(message);
        assertThat(body).isEqualTo(random.values);

        cursor.wrap(message);
        while (cursor.hasNext())
        {
            cursor.skip();
        }
        assertThat(cursor.position()).isEqualTo(message.bodyOffset() + message.bodyLength());

        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder);
        DBusSbeConverter.toSbe(message, encoder);
        decoder.wrapAndApplyHeader(sbe, 0, headerDecoder);
        assertThat(DBusValues.readAll(DBusSbeConverter.wrapBody(decoder, cursor))).isEqualTo(body);
        final int length = converter.toDBus(decoder, out, 0);
        other.wrap(out, 0, length);
        assertSameMessage(other, message);

        final int headerLength = new DBusHeaderEncoder().wrap(out, 0, message.endianness())
            .type(message.type()).flags(message.flags()).serial(message.serial()).bodyLength(message.bodyLength())
            .copyFields(message, 1 << DBusHeaderField.SENDER).sender(":1.1").finish();
        out.putBytes(headerLength, buffer, message.bodyOffset(), message.bodyLength());
        other.wrap(out, 0, headerLength + message.bodyLength());
        assertThat(other.sender()).isEqualTo(":1.1");
        assertThat(DBusValues.readBody(other)).isEqualTo(body);
    }

    private void check(final long seed, final int round, final byte[] bytes, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes, 0, length);
        try
        {
            DBusFraming.messageLength(buffer, 0, length);
            boolean valid;
            try
            {
                message.wrap(buffer, 0, length);
                valid = true;
            }
            catch (final DBusCodecException ex)
            {
                assertThat(ex.offset()).isBetween(0, Math.max(length, 0));
                valid = false;
            }
            if (valid)
            {
                final List<Object> body = DBusValues.readBody(message);
                encoder.wrapAndApplyHeader(sbe, 0, headerEncoder);
                DBusSbeConverter.toSbe(message, encoder);
                decoder.wrapAndApplyHeader(sbe, 0, headerDecoder);
                other.wrap(out, 0, converter.toDBus(decoder, out, 0));
                assertThat(DBusValues.readBody(other)).isEqualTo(body);
            }
            try
            {
                message.wrapHeader(buffer, 0, length);
                DBusValues.readBody(message);
            }
            catch (final DBusCodecException ex)
            {
                assertThat(ex.rule()).isNotNull();
            }
        }
        catch (final Throwable ex)
        {
            fail("seed " + seed + " round " + round + " length " + length + ": " + ex, ex);
        }
    }

    private static int mutate(final SplittableRandom rnd, final byte[] bytes, final int length, final ByteOrder order)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        switch (rnd.nextInt(6))
        {
            case 0:
            {
                final int at = rnd.nextInt(Math.max(1, length));
                bytes[at] ^= (byte)(1 << rnd.nextInt(8));
                return length;
            }
            case 1:
                bytes[rnd.nextInt(Math.max(1, length))] = (byte)rnd.nextInt(256);
                return length;
            case 2:
                return rnd.nextInt(length + 1);
            case 3:
                return Math.min(bytes.length, length + 1 + rnd.nextInt(8));
            default:
            {
                final int[] interesting = {
                    0, 1, 2, 7, 8, 0xFF, 0xFFFF, Integer.MAX_VALUE, -1, DBusProtocol.MAX_ARRAY_LENGTH,
                    DBusProtocol.MAX_ARRAY_LENGTH + 1, DBusProtocol.MAX_MESSAGE_LENGTH, length, length - 16,
                    rnd.nextInt(length + 1)
                };
                final int slots = Math.max(1, (length - 4) / 4);
                final int at = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 4 : 12) : 4 * rnd.nextInt(slots);
                if (at + 4 <= bytes.length)
                {
                    buffer.putInt(at, interesting[rnd.nextInt(interesting.length)], order);
                }
                return length;
            }
        }
    }

    private static void assertSameMessage(final DBusMessageFlyweight actual, final DBusMessageFlyweight expected)
    {
        assertThat(actual.type()).isEqualTo(expected.type());
        assertThat(actual.flags()).isEqualTo(expected.flags());
        assertThat(actual.serial()).isEqualTo(expected.serial());
        assertThat(actual.replySerial()).isEqualTo(expected.replySerial());
        assertThat(actual.unixFds()).isEqualTo(expected.unixFds());
        assertThat(actual.byteOrder()).isEqualTo(expected.byteOrder());
        for (int code = 1; code < DBusHeaderField.KNOWN_COUNT; code++)
        {
            if (DBusHeaderField.isStringField(code) && code != DBusHeaderField.SIGNATURE)
            {
                assertThat(actual.fieldAsString(code)).isEqualTo(expected.fieldAsString(code));
            }
        }
        assertThat(actual.signature()).isEqualTo(expected.signature());
        final byte[] a = new byte[actual.bodyLength()];
        final byte[] e = new byte[expected.bodyLength()];
        actual.buffer().getBytes(actual.bodyOffset(), a);
        expected.buffer().getBytes(expected.bodyOffset(), e);
        assertThat(a).isEqualTo(e);
    }
}
