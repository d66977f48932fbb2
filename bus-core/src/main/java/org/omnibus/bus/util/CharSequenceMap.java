package org.omnibus.bus.util;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An open-addressing hash map with {@link String} keys that can be looked up by any {@link CharSequence} without
 * allocating: a codec flyweight over a buffer, a {@code StringBuilder} or a {@code String} all find the same entry.
 * <p>
 * The hash is the one of {@link String#hashCode()} computed over the characters, so equal character sequences
 * always hash alike. Iteration order depends only on the sequence of operations applied (never on identity hashes),
 * so two maps fed the same operations iterate alike. Resizing happens on insertion only (the control path).
 * Not thread safe.
 *
 * @param <V> value type.
 */
public final class CharSequenceMap<V>
{
    private static final int MIN_CAPACITY = 8;

    private String[] keys;
    private Object[] values;
    private int[] hashes;
    private int mask;
    private int size;
    private int resizeThreshold;

    /**
     * A map with a small initial capacity.
     */
    public CharSequenceMap()
    {
        this(MIN_CAPACITY);
    }

    /**
     * @param initialCapacity expected number of entries.
     */
    public CharSequenceMap(final int initialCapacity)
    {
        int capacity = MIN_CAPACITY;
        while (capacity * 2 / 3 < initialCapacity)
        {
            capacity <<= 1;
        }
        allocate(capacity);
    }

    /**
     * The hash of a character sequence, equal to {@link String#hashCode()} of the same characters.
     *
     * @param key the characters.
     * @return the hash.
     */
    public static int hashOf(final CharSequence key)
    {
        if (key instanceof String)
        {
            return key.hashCode();
        }

        int h = 0;
        for (int i = 0, n = key.length(); i < n; i++)
        {
            h = 31 * h + key.charAt(i);
        }
        return h;
    }

    /**
     * Character-wise equality of two sequences.
     *
     * @param a first.
     * @param b second.
     * @return true when both hold the same characters.
     */
    public static boolean contentEquals(final CharSequence a, final CharSequence b)
    {
        if (a == b)
        {
            return true;
        }
        final int n = a.length();
        if (n != b.length())
        {
            return false;
        }
        for (int i = 0; i < n; i++)
        {
            if (a.charAt(i) != b.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return number of entries.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return true when there are no entries.
     */
    public boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * Look up a value by the characters of its key.
     *
     * @param key the characters of the key; may be a flyweight.
     * @return the value or null.
     */
    @SuppressWarnings("unchecked")
    public V get(final CharSequence key)
    {
        final int index = indexOf(key, hashOf(key));
        return index < 0 ? null : (V)values[index];
    }

    /**
     * @param key the characters of the key.
     * @return true when the key is present.
     */
    public boolean containsKey(final CharSequence key)
    {
        return indexOf(key, hashOf(key)) >= 0;
    }

    /**
     * Insert or replace.
     *
     * @param key   the key (kept).
     * @param value the value, not null.
     * @return the previous value or null.
     */
    @SuppressWarnings("unchecked")
    public V put(final String key, final V value)
    {
        if (null == value)
        {
            throw new NullPointerException("value");
        }
        final int hash = key.hashCode();
        final int existing = indexOf(key, hash);
        if (existing >= 0)
        {
            final V old = (V)values[existing];
            values[existing] = value;
            return old;
        }

        if (size + 1 > resizeThreshold)
        {
            rehash(keys.length << 1);
        }
        int index = spread(hash) & mask;
        while (null != keys[index])
        {
            index = (index + 1) & mask;
        }
        keys[index] = key;
        values[index] = value;
        hashes[index] = hash;
        size++;
        return null;
    }

    /**
     * Remove an entry.
     *
     * @param key the characters of the key.
     * @return the removed value or null.
     */
    @SuppressWarnings("unchecked")
    public V remove(final CharSequence key)
    {
        int index = indexOf(key, hashOf(key));
        if (index < 0)
        {
            return null;
        }
        final V old = (V)values[index];
        keys[index] = null;
        values[index] = null;
        size--;

        // backward-shift deletion keeps probe sequences intact without tombstones
        int next = (index + 1) & mask;
        while (null != keys[next])
        {
            final int home = spread(hashes[next]) & mask;
            if (((next - home) & mask) >= ((next - index) & mask))
            {
                keys[index] = keys[next];
                values[index] = values[next];
                hashes[index] = hashes[next];
                keys[next] = null;
                values[next] = null;
                index = next;
            }
            next = (next + 1) & mask;
        }
        return old;
    }

    /**
     * Remove every entry, keeping the capacity.
     */
    public void clear()
    {
        java.util.Arrays.fill(keys, null);
        java.util.Arrays.fill(values, null);
        size = 0;
    }

    /**
     * Visit every entry (control path: the visitor may allocate).
     *
     * @param visitor called with each key and value.
     */
    @SuppressWarnings("unchecked")
    public void forEach(final BiConsumer<String, V> visitor)
    {
        final String[] keys = this.keys;
        for (int i = 0; i < keys.length; i++)
        {
            if (null != keys[i])
            {
                visitor.accept(keys[i], (V)values[i]);
            }
        }
    }

    /**
     * @return a new list of the keys, in iteration order.
     */
    public List<String> keys()
    {
        final List<String> result = new ArrayList<>(size);
        for (final String key : keys)
        {
            if (null != key)
            {
                result.add(key);
            }
        }
        return result;
    }

    /**
     * @return a new list of the values, in iteration order.
     */
    @SuppressWarnings("unchecked")
    public List<V> values()
    {
        final List<V> result = new ArrayList<>(size);
        for (int i = 0; i < keys.length; i++)
        {
            if (null != keys[i])
            {
                result.add((V)values[i]);
            }
        }
        return result;
    }

    private int indexOf(final CharSequence key, final int hash)
    {
        final String[] keys = this.keys;
        int index = spread(hash) & mask;
        String candidate;
        while (null != (candidate = keys[index]))
        {
            if (hashes[index] == hash && contentEquals(candidate, key))
            {
                return index;
            }
            index = (index + 1) & mask;
        }
        return -1;
    }

    private static int spread(final int hash)
    {
        final int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void allocate(final int capacity)
    {
        keys = new String[capacity];
        values = new Object[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
        resizeThreshold = capacity * 2 / 3;
    }

    private void rehash(final int capacity)
    {
        final String[] oldKeys = keys;
        final Object[] oldValues = values;
        final int[] oldHashes = hashes;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (null != oldKeys[i])
            {
                int index = spread(oldHashes[i]) & mask;
                while (null != keys[index])
                {
                    index = (index + 1) & mask;
                }
                keys[index] = oldKeys[i];
                values[index] = oldValues[i];
                hashes[index] = oldHashes[i];
            }
        }
    }
}
