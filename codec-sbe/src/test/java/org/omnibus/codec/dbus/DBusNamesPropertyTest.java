package org.omnibus.codec.dbus;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word-at-a-time validators agree with plain reference definitions (regular expressions, the JDK's strict
 * UTF-8 decoder) on random strings of random lengths placed anywhere in a buffer, the end of the buffer included.
 */
class DBusNamesPropertyTest
{
    private static final Pattern PATH = Pattern.compile("/|(/[A-Za-z0-9_]+)+");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");
    private static final Pattern MEMBER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern UNIQUE = Pattern.compile(":[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");
    private static final Pattern WELL_KNOWN = Pattern.compile("[A-Za-z_-][A-Za-z0-9_-]*(\\.[A-Za-z_-][A-Za-z0-9_-]*)+");
    private static final String ALPHABET = "aZ_09./-:aaaa";

    static LongStream seeds()
    {
        return LongStream.range(0, 300).map(i -> 0x4A3E_0000L + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void namesAgreeWithTheReferenceDefinitions(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++)
        {
            final String name = randomName(random);
            final byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
            final UnsafeBuffer buffer = place(random, bytes);
            final int offset = offset(random, buffer, bytes.length);
            buffer.putBytes(offset, bytes);
            final int len = bytes.length;
            final String what = "seed " + seed + " name '" + name + "'";
            assertThat(DBusNames.isValidObjectPath(buffer, offset, len)).as(what)
                .isEqualTo(PATH.matcher(name).matches());
            assertThat(DBusNames.isValidInterfaceName(buffer, offset, len)).as(what)
                .isEqualTo(len <= 255 && INTERFACE.matcher(name).matches());
            assertThat(DBusNames.isValidErrorName(buffer, offset, len)).as(what)
                .isEqualTo(len <= 255 && INTERFACE.matcher(name).matches());
            assertThat(DBusNames.isValidMemberName(buffer, offset, len)).as(what)
                .isEqualTo(len <= 255 && MEMBER.matcher(name).matches());
            assertThat(DBusNames.isValidBusName(buffer, offset, len)).as(what)
                .isEqualTo(len <= 255 && (UNIQUE.matcher(name).matches() || WELL_KNOWN.matcher(name).matches()));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void utf8AgreesWithTheStrictDecoder(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++)
        {
            final byte[] bytes = randomText(random);
            final UnsafeBuffer buffer = place(random, bytes);
            final int offset = offset(random, buffer, bytes.length);
            buffer.putBytes(offset, bytes);
            boolean expected;
            try
            {
                StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
                expected = true;
            }
            catch (final CharacterCodingException ex)
            {
                expected = false;
            }
            for (final byte b : bytes)
            {
                expected &= b != 0;
            }
            assertThat(DBusNames.isValidUtf8(buffer, offset, bytes.length))
                .as("seed %d bytes %s", seed, java.util.HexFormat.of().formatHex(bytes)).isEqualTo(expected);
        }
    }

    private static int offset(final SplittableRandom random, final UnsafeBuffer buffer, final int length)
    {
        final int room = buffer.capacity() - length;
        return random.nextBoolean() ? room : random.nextInt(room + 1);
    }

    private static UnsafeBuffer place(final SplittableRandom random, final byte[] bytes)
    {
        final int capacity = bytes.length + random.nextInt(16);
        final byte[] backing = new byte[capacity];
        for (int i = 0; i < capacity; i++)
        {
            backing[i] = (byte)random.nextInt(256);
        }
        return new UnsafeBuffer(backing);
    }

    private static String randomName(final SplittableRandom random)
    {
        final int length = random.nextInt(10) == 0 ? 240 + random.nextInt(30) : random.nextInt(40);
        final StringBuilder sb = new StringBuilder(length);
        if (length > 0)
        {
            final int roll = random.nextInt(4);
            sb.append(roll == 0 ? '/' : roll == 1 ? ':' : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        while (sb.length() < length)
        {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        if (random.nextInt(20) == 0 && length > 0)
        {
            sb.setCharAt(random.nextInt(length), (char)(0x80 + random.nextInt(128)));
        }
        return sb.toString();
    }

    private static byte[] randomText(final SplittableRandom random)
    {
        final String[] pieces = { "a", "bc", "é", "✓", "𝄞", "\uFFFF", "0123456789" };
        final StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--)
        {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        final byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && random.nextInt(3) == 0)
        {
            bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
        }
        return bytes;
    }
}
