package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Remembers the header-field arrays a {@link DBusMessageFlyweight} validated last, with what it learnt from them,
 * so that the next message with the same fields (on a bus: the same path, interface, member, sender, destination
 * and signature, again and again) is checked by comparing bytes instead of validating names. Validity of the array
 * is a function of its bytes and the byte order only, so equal bytes give the same result.
 * <p>
 * A few entries, replaced round-robin; arrays longer than {@link #MAX_FIELDS_LENGTH} are not cached.
 * Allocation-free after construction.
 */
final class DBusHeaderCache
{
    static final int ENTRIES = 4;
    static final int MAX_FIELDS_LENGTH = 256;
    private static final int WORDS = MAX_FIELDS_LENGTH / 8;
    private static final int FIELDS = DBusHeaderField.KNOWN_COUNT;

    private final long[] words = new long[ENTRIES * WORDS];
    private final int[] lengths = new int[ENTRIES];
    private final boolean[] bigEndian = new boolean[ENTRIES];
    private final int[] present = new int[ENTRIES];
    private final long[] replySerials = new long[ENTRIES];
    private final long[] unixFds = new long[ENTRIES];
    /** Per entry and field: offset of the text, its length, element start and end, relative to the message. */
    private final int[] fieldData = new int[ENTRIES * FIELDS * 4];
    private int next;

    DBusHeaderCache()
    {
        java.util.Arrays.fill(lengths, -1);
    }

    /**
     * Find an entry equal to the fields array at {@code start}.
     *
     * @return the entry index, or -1.
     */
    int find(final DirectBuffer buffer, final int start, final int length, final ByteOrder order)
    {
        if (length > MAX_FIELDS_LENGTH || length <= 0)
        {
            return -1;
        }
        final boolean big = order == ByteOrder.BIG_ENDIAN;
        for (int entry = 0; entry < ENTRIES; entry++)
        {
            if (lengths[entry] == length && bigEndian[entry] == big && sameBytes(entry, buffer, start, length))
            {
                return entry;
            }
        }
        return -1;
    }

    void store(
        final DirectBuffer buffer,
        final int start,
        final int length,
        final ByteOrder order,
        final int fieldsPresent,
        final long replySerial,
        final long unixFdCount,
        final int messageOffset,
        final int[] fieldOffsets,
        final int[] fieldLengths,
        final int[] elementStarts,
        final int[] elementEnds)
    {
        if (length > MAX_FIELDS_LENGTH || length <= 0)
        {
            return;
        }
        final int entry = next;
        next = (next + 1) & (ENTRIES - 1);
        final int base = entry * WORDS;
        final int full = length >> 3;
        for (int i = 0; i < full; i++)
        {
            words[base + i] = buffer.getLong(start + (i << 3), ByteOrder.LITTLE_ENDIAN);
        }
        if ((length & 7) != 0)
        {
            words[base + full] = tail(buffer, start, length);
        }
        lengths[entry] = length;
        bigEndian[entry] = order == ByteOrder.BIG_ENDIAN;
        present[entry] = fieldsPresent;
        replySerials[entry] = replySerial;
        unixFds[entry] = unixFdCount;
        for (int code = 1; code < FIELDS; code++)
        {
            final int at = (entry * FIELDS + code) * 4;
            if ((fieldsPresent & (1 << code)) != 0)
            {
                fieldData[at] = fieldOffsets[code] - messageOffset;
                fieldData[at + 1] = fieldLengths[code];
                fieldData[at + 2] = elementStarts[code] - messageOffset;
                fieldData[at + 3] = elementEnds[code] - messageOffset;
            }
        }
    }

    int present(final int entry)
    {
        return present[entry];
    }

    long replySerial(final int entry)
    {
        return replySerials[entry];
    }

    long unixFds(final int entry)
    {
        return unixFds[entry];
    }

    /**
     * Copy an entry's field positions, made absolute for a message at {@code messageOffset}.
     */
    void load(
        final int entry,
        final int messageOffset,
        final int[] fieldOffsets,
        final int[] fieldLengths,
        final int[] elementStarts,
        final int[] elementEnds)
    {
        final int fieldsPresent = present[entry];
        for (int code = 1; code < FIELDS; code++)
        {
            if ((fieldsPresent & (1 << code)) != 0)
            {
                final int at = (entry * FIELDS + code) * 4;
                fieldOffsets[code] = fieldData[at] + messageOffset;
                fieldLengths[code] = fieldData[at + 1];
                elementStarts[code] = fieldData[at + 2] + messageOffset;
                elementEnds[code] = fieldData[at + 3] + messageOffset;
            }
        }
    }

    private boolean sameBytes(final int entry, final DirectBuffer buffer, final int start, final int length)
    {
        final int base = entry * WORDS;
        final int full = length >> 3;
        for (int i = 0; i < full; i++)
        {
            if (words[base + i] != buffer.getLong(start + (i << 3), ByteOrder.LITTLE_ENDIAN))
            {
                return false;
            }
        }
        return (length & 7) == 0 || words[base + full] == tail(buffer, start, length);
    }

    /**
     * The last {@code length % 8} bytes, read as the top of the word that ends with them (the array starts 16
     * bytes into the message, so that word lies inside it).
     */
    private static long tail(final DirectBuffer buffer, final int start, final int length)
    {
        final int rest = length & 7;
        return buffer.getLong(start + length - 8, ByteOrder.LITTLE_ENDIAN) >>> ((8 - rest) << 3);
    }
}
