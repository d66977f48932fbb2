package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Eight bytes at a time ("SIMD within a register") character-class tests for name validation: each returns a mask
 * with the high bit of every byte that is in the class. Only meaningful for words whose bytes are all below 0x80.
 */
final class DBusSwar
{
    static final long ONES = 0x0101_0101_0101_0101L;
    static final long HIGH = 0x8080_8080_8080_8080L;
    /** Filler for the bytes past the end of a short tail: 'a', a letter, neutral for every name rule. */
    private static final long FILLER = 0x6161_6161_6161_6161L;

    private DBusSwar()
    {
    }

    /**
     * Bytes in {@code [lo, hi]}, for a word of 7-bit bytes and {@code 1 <= lo <= hi <= 0x7F}.
     */
    static long range(final long word, final int lo, final int hi)
    {
        return (word + (0x80 - lo) * ONES) & ~(word + (0x7F - hi) * ONES) & HIGH;
    }

    static long digits(final long word)
    {
        return range(word, '0', '9');
    }

    /**
     * [A-Za-z_].
     */
    static long letters(final long word)
    {
        return range(word, 'A', 'Z') | range(word, 'a', 'z') | range(word, '_', '_');
    }

    static long equal(final long word, final int c)
    {
        return range(word, c, c);
    }

    /**
     * Up to 8 bytes from {@code index} as a little-endian word; bytes past {@code end} read as 'a'.
     */
    static long word(final DirectBuffer buffer, final int index, final int end)
    {
        final int n = end - index;
        if (n >= 8)
        {
            return buffer.getLong(index, ByteOrder.LITTLE_ENDIAN);
        }
        final long keep = (1L << (n << 3)) - 1;
        if (buffer.capacity() - index >= 8)
        {
            return (buffer.getLong(index, ByteOrder.LITTLE_ENDIAN) & keep) | (FILLER & ~keep);
        }
        if (end >= 8)
        {
            return (buffer.getLong(end - 8, ByteOrder.LITTLE_ENDIAN) >>> ((8 - n) << 3)) | (FILLER & ~keep);
        }
        long word = FILLER & ~keep;
        for (int i = 0; i < n; i++)
        {
            word |= (buffer.getByte(index + i) & 0xFFL) << (i << 3);
        }
        return word;
    }

    /**
     * Whether a word (of which bytes past a tail read as 'a') is seven-bit text without a nul.
     */
    static boolean isAsciiWithoutNul(final long word)
    {
        return ((word | ((word - ONES) & ~word)) & HIGH) == 0;
    }
}
