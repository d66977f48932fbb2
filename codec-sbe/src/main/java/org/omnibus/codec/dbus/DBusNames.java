package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Validity rules of the D-Bus specification for object paths, interface, member, error and bus names, and for
 * UTF-8 strings. The {@link DirectBuffer} forms allocate nothing; the {@link CharSequence} forms are conveniences.
 */
public final class DBusNames
{
    private DBusNames()
    {
    }

    /**
     * An object path: '/' alone, or '/'-separated non-empty elements of [A-Za-z0-9_], starting with '/' and not
     * ending with it.
     *
     * @param buffer holding the path.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return whether it is a valid object path.
     */
    public static boolean isValidObjectPath(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || buffer.getByte(offset) != '/')
        {
            return false;
        }
        if (length == 1)
        {
            return true;
        }
        final int end = offset + length;
        if (buffer.getByte(end - 1) == '/')
        {
            return false;
        }
        long carry = 0;
        for (int i = offset; i < end; i += 8)
        {
            final long word = DBusSwar.word(buffer, i, end);
            final long slashes = DBusSwar.equal(word, '/');
            if ((word & DBusSwar.HIGH) != 0 ||
                (slashes | DBusSwar.letters(word) | DBusSwar.digits(word)) != DBusSwar.HIGH ||
                (slashes & ((slashes << 8) | carry)) != 0)
            {
                return false;
            }
            carry = (slashes >>> 56) & 0x80;
        }
        return true;
    }

    /**
     * An interface name: at most 255 bytes, at least two '.'-separated non-empty elements of [A-Za-z0-9_], no
     * element starting with a digit.
     *
     * @param buffer holding the name.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return whether it is a valid interface name.
     */
    public static boolean isValidInterfaceName(final DirectBuffer buffer, final int offset, final int length)
    {
        return isValidDottedName(buffer, offset, length, false, false);
    }

    /**
     * An error name: the rules of interface names.
     *
     * @param buffer holding the name.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return whether it is a valid error name.
     */
    public static boolean isValidErrorName(final DirectBuffer buffer, final int offset, final int length)
    {
        return isValidDottedName(buffer, offset, length, false, false);
    }

    /**
     * A bus name: a unique name (':' then at least two '.'-separated non-empty elements of [A-Za-z0-9_-]) or a
     * well-known name (at least two such elements, none starting with a digit); at most 255 bytes.
     *
     * @param buffer holding the name.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return whether it is a valid bus name.
     */
    public static boolean isValidBusName(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > 0 && buffer.getByte(offset) == ':')
        {
            return length <= DBusProtocol.MAX_NAME_LENGTH &&
                isValidDottedName(buffer, offset + 1, length - 1, true, true);
        }
        return isValidDottedName(buffer, offset, length, true, false);
    }

    /**
     * A unique connection name: a bus name starting with ':'.
     *
     * @param buffer holding the name.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return whether it is a valid unique name.
     */
    public static boolean isValidUniqueName(final DirectBuffer buffer, final int offset, final int length)
    {
        return length > 0 && buffer.getByte(offset) == ':' && isValidBusName(buffer, offset, length);
    }

    /**
     * A member (method or signal) name: 1 to 255 bytes of [A-Za-z0-9_], not starting with a digit.
     *
     * @param buffer holding the name.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return whether it is a valid member name.
     */
    public static boolean isValidMemberName(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || length > DBusProtocol.MAX_NAME_LENGTH)
        {
            return false;
        }
        final int end = offset + length;
        for (int i = offset; i < end; i += 8)
        {
            final long word = DBusSwar.word(buffer, i, end);
            final long digits = DBusSwar.digits(word);
            if ((word & DBusSwar.HIGH) != 0 || (DBusSwar.letters(word) | digits) != DBusSwar.HIGH ||
                (i == offset && (digits & 0x80) != 0))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Strict UTF-8 without nul bytes, as D-Bus strings must be: no overlong forms, no surrogates, nothing above
     * U+10FFFF (noncharacters are allowed).
     *
     * @param buffer holding the text.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return whether the text is valid.
     */
    public static boolean isValidUtf8(final DirectBuffer buffer, final int offset, final int length)
    {
        return utf8Fault(buffer, offset, length) < 0;
    }

    /**
     * @param name an object path.
     * @return whether it is valid.
     * @see #isValidObjectPath(DirectBuffer, int, int)
     */
    public static boolean isValidObjectPath(final CharSequence name)
    {
        final UnsafeBuffer b = ascii(name);
        return b != null && isValidObjectPath(b, 0, b.capacity());
    }

    /**
     * @param name an interface name.
     * @return whether it is valid.
     * @see #isValidInterfaceName(DirectBuffer, int, int)
     */
    public static boolean isValidInterfaceName(final CharSequence name)
    {
        final UnsafeBuffer b = ascii(name);
        return b != null && isValidInterfaceName(b, 0, b.capacity());
    }

    /**
     * @param name an error name.
     * @return whether it is valid.
     * @see #isValidErrorName(DirectBuffer, int, int)
     */
    public static boolean isValidErrorName(final CharSequence name)
    {
        final UnsafeBuffer b = ascii(name);
        return b != null && isValidErrorName(b, 0, b.capacity());
    }

    /**
     * @param name a bus name.
     * @return whether it is valid.
     * @see #isValidBusName(DirectBuffer, int, int)
     */
    public static boolean isValidBusName(final CharSequence name)
    {
        final UnsafeBuffer b = ascii(name);
        return b != null && isValidBusName(b, 0, b.capacity());
    }

    /**
     * @param name a member name.
     * @return whether it is valid.
     * @see #isValidMemberName(DirectBuffer, int, int)
     */
    public static boolean isValidMemberName(final CharSequence name)
    {
        final UnsafeBuffer b = ascii(name);
        return b != null && isValidMemberName(b, 0, b.capacity());
    }

    private static UnsafeBuffer ascii(final CharSequence name)
    {
        final int length = name.length();
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            final char c = name.charAt(i);
            if (c == 0 || c > 0x7F)
            {
                return null;
            }
            bytes[i] = (byte)c;
        }
        return new UnsafeBuffer(bytes);
    }

    static String decodeUtf8(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static UnsafeBuffer utf8(final CharSequence text)
    {
        return new UnsafeBuffer(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isValidDottedName(
        final DirectBuffer buffer, final int offset, final int length, final boolean hyphens, final boolean digitsLead)
    {
        if (length <= 0 || length > DBusProtocol.MAX_NAME_LENGTH)
        {
            return false;
        }
        final int end = offset + length;
        if (buffer.getByte(end - 1) == '.')
        {
            return false;
        }
        int dots = 0;
        long elementStart = 0x80;
        for (int i = offset; i < end; i += 8)
        {
            final long word = DBusSwar.word(buffer, i, end);
            final long dotMask = DBusSwar.equal(word, '.');
            final long digits = DBusSwar.digits(word);
            final long allowed = DBusSwar.letters(word) | digits | dotMask |
                (hyphens ? DBusSwar.equal(word, '-') : 0);
            final long starts = (dotMask << 8) | elementStart;
            if ((word & DBusSwar.HIGH) != 0 || allowed != DBusSwar.HIGH || (dotMask & starts) != 0 ||
                (!digitsLead && (digits & starts) != 0))
            {
                return false;
            }
            dots += Long.bitCount(dotMask);
            elementStart = (dotMask >>> 56) & 0x80;
        }
        return dots > 0;
    }

    /**
     * First fault in a UTF-8 text.
     *
     * @return -1 if valid, else the index in the buffer of the first byte that is nul or not strict UTF-8.
     */
    static int utf8Fault(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            if (DBusSwar.isAsciiWithoutNul(DBusSwar.word(buffer, i, end)))
            {
                i += 8;
                continue;
            }
            final int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80)
            {
                if (b0 == 0)
                {
                    return i;
                }
                i++;
                continue;
            }
            final int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                need = 1;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                need = 2;
                if (b0 == 0xE0)
                {
                    lo = 0xA0;
                }
                else if (b0 == 0xED)
                {
                    hi = 0x9F;
                }
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                need = 3;
                if (b0 == 0xF0)
                {
                    lo = 0x90;
                }
                else if (b0 == 0xF4)
                {
                    hi = 0x8F;
                }
            }
            else
            {
                return i;
            }
            if (end - i <= need)
            {
                return i;
            }
            final int b1 = buffer.getByte(i + 1) & 0xFF;
            if (b1 < lo || b1 > hi)
            {
                return i;
            }
            for (int k = 2; k <= need; k++)
            {
                final int bk = buffer.getByte(i + k) & 0xFF;
                if (bk < 0x80 || bk > 0xBF)
                {
                    return i;
                }
            }
            i += need + 1;
        }
        return -1;
    }
}
