package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * D-Bus type codes and signatures: validity, alignment, and walking a signature by complete types. Allocation-free
 * over a {@link DirectBuffer}.
 */
public final class DBusSignatures
{
    private static final byte[] ALIGNMENT = new byte[256];
    private static final byte[] FIXED_SIZE = new byte[256];
    private static final boolean[] BASIC = new boolean[256];

    static
    {
        final String basic = "ybnqiuxtdhsog";
        for (int i = 0; i < basic.length(); i++)
        {
            BASIC[basic.charAt(i)] = true;
        }
        ALIGNMENT['y'] = 1;
        ALIGNMENT['g'] = 1;
        ALIGNMENT['v'] = 1;
        ALIGNMENT['n'] = 2;
        ALIGNMENT['q'] = 2;
        ALIGNMENT['b'] = 4;
        ALIGNMENT['i'] = 4;
        ALIGNMENT['u'] = 4;
        ALIGNMENT['h'] = 4;
        ALIGNMENT['s'] = 4;
        ALIGNMENT['o'] = 4;
        ALIGNMENT['a'] = 4;
        ALIGNMENT['x'] = 8;
        ALIGNMENT['t'] = 8;
        ALIGNMENT['d'] = 8;
        ALIGNMENT['('] = 8;
        ALIGNMENT['{'] = 8;
        FIXED_SIZE['y'] = 1;
        FIXED_SIZE['n'] = 2;
        FIXED_SIZE['q'] = 2;
        FIXED_SIZE['b'] = 4;
        FIXED_SIZE['i'] = 4;
        FIXED_SIZE['u'] = 4;
        FIXED_SIZE['h'] = 4;
        FIXED_SIZE['x'] = 8;
        FIXED_SIZE['t'] = 8;
        FIXED_SIZE['d'] = 8;
    }

    private DBusSignatures()
    {
    }

    /**
     * Alignment of a value whose type starts with the given code.
     *
     * @param typeCode a type code, '(' or '{'.
     * @return 1, 2, 4 or 8; 0 for a byte that starts no type.
     */
    public static int alignment(final int typeCode)
    {
        return ALIGNMENT[typeCode & 0xFF];
    }

    /**
     * Whether a type code is a basic type (valid as a dict key).
     *
     * @param typeCode a type code.
     * @return true for y b n q i u x t d h s o g.
     */
    public static boolean isBasic(final int typeCode)
    {
        return BASIC[typeCode & 0xFF];
    }

    /**
     * Whether a type code is a complete type on its own: a basic type or 'v'.
     *
     * @param typeCode a type code.
     * @return true for y b n q i u x t d h s o g v.
     */
    public static boolean isSingleCharType(final int typeCode)
    {
        return BASIC[typeCode & 0xFF] || typeCode == 'v';
    }

    /**
     * Size of a fixed-size type.
     *
     * @param typeCode a type code.
     * @return its size in bytes, or 0 if the type is not fixed-size.
     */
    public static int fixedSize(final int typeCode)
    {
        return FIXED_SIZE[typeCode & 0xFF];
    }

    /**
     * Validate a signature: zero or more complete types, at most 255 bytes, nesting limits, dict entries only as
     * array elements with a basic key.
     *
     * @param buffer holding the signature.
     * @param offset of its first byte.
     * @param length in bytes.
     * @throws DBusCodecException naming the rule and the offset within the signature.
     */
    public static void validate(final DirectBuffer buffer, final int offset, final int length)
    {
        validate(buffer, offset, length, offset);
    }

    /**
     * Validate a variant's signature: exactly one complete type.
     *
     * @param buffer holding the signature.
     * @param offset of its first byte.
     * @param length in bytes.
     * @throws DBusCodecException naming the rule and the offset within the signature.
     */
    public static void validateSingle(final DirectBuffer buffer, final int offset, final int length)
    {
        validateSingle(buffer, offset, length, offset);
    }

    /**
     * Whether a signature is valid.
     *
     * @param signature the signature text.
     * @return whether {@link #validate(DirectBuffer, int, int)} accepts it.
     */
    public static boolean isValid(final CharSequence signature)
    {
        final UnsafeBuffer b = DBusNames.utf8(signature);
        try
        {
            validate(b, 0, b.capacity());
            return true;
        }
        catch (final DBusCodecException ex)
        {
            return false;
        }
    }

    /**
     * Whether a signature is a single complete type.
     *
     * @param signature the signature text.
     * @return whether {@link #validateSingle(DirectBuffer, int, int)} accepts it.
     */
    public static boolean isSingleCompleteType(final CharSequence signature)
    {
        final UnsafeBuffer b = DBusNames.utf8(signature);
        try
        {
            validateSingle(b, 0, b.capacity());
            return true;
        }
        catch (final DBusCodecException ex)
        {
            return false;
        }
    }

    /**
     * End of the complete type starting at {@code position} of a signature already known to be valid.
     *
     * @param buffer   holding the signature.
     * @param position of the complete type's first code.
     * @return the index just past it.
     */
    public static int skipCompleteType(final DirectBuffer buffer, final int position)
    {
        int p = position;
        int open = 0;
        while (true)
        {
            final byte c = buffer.getByte(p++);
            switch (c)
            {
                case 'a':
                    continue;
                case '(':
                case '{':
                    open++;
                    continue;
                case ')':
                case '}':
                    open--;
                    break;
                default:
                    break;
            }
            if (open <= 0)
            {
                return p;
            }
        }
    }

    static void validate(final DirectBuffer buffer, final int offset, final int length, final int base)
    {
        if (length > DBusProtocol.MAX_SIGNATURE_LENGTH)
        {
            throw new DBusCodecException(DBusRule.SIGNATURE_TOO_LONG, offset - base);
        }
        final int end = offset + length;
        int p = offset;
        while (p < end)
        {
            p = completeType(buffer, p, end, 0, 0, false, base);
        }
    }

    static void validateSingle(final DirectBuffer buffer, final int offset, final int length, final int base)
    {
        if (length > DBusProtocol.MAX_SIGNATURE_LENGTH)
        {
            throw new DBusCodecException(DBusRule.SIGNATURE_TOO_LONG, offset - base);
        }
        if (length == 0)
        {
            throw new DBusCodecException(DBusRule.VARIANT_NOT_SINGLE_TYPE, offset - base);
        }
        final int end = offset + length;
        final int p = completeType(buffer, offset, end, 0, 0, false, base);
        if (p != end)
        {
            throw new DBusCodecException(DBusRule.VARIANT_NOT_SINGLE_TYPE, p - base);
        }
    }

    /**
     * Parse one complete type.
     *
     * @return the index just past it.
     */
    private static int completeType(
        final DirectBuffer buffer,
        final int position,
        final int end,
        final int arrayDepth,
        final int structDepth,
        final boolean dictEntryAllowed,
        final int base)
    {
        final int c = buffer.getByte(position) & 0xFF;
        if (BASIC[c] || c == 'v')
        {
            return position + 1;
        }
        switch (c)
        {
            case 'a':
            {
                if (arrayDepth >= DBusProtocol.MAX_TYPE_NESTING)
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_ARRAY_TOO_DEEP, position - base);
                }
                final int next = position + 1;
                if (next >= end || buffer.getByte(next) == ')' || buffer.getByte(next) == '}')
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_MISSING_ARRAY_ELEMENT, position - base);
                }
                return completeType(buffer, next, end, arrayDepth + 1, structDepth, true, base);
            }

            case '(':
            {
                if (structDepth >= DBusProtocol.MAX_TYPE_NESTING)
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_STRUCT_TOO_DEEP, position - base);
                }
                int p = position + 1;
                if (p < end && buffer.getByte(p) == ')')
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_EMPTY_STRUCT, position - base);
                }
                while (p < end && buffer.getByte(p) != ')')
                {
                    p = completeType(buffer, p, end, arrayDepth, structDepth + 1, false, base);
                }
                if (p >= end)
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_UNBALANCED_STRUCT, position - base);
                }
                return p + 1;
            }

            case '{':
            {
                if (!dictEntryAllowed)
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_DICT_ENTRY_OUTSIDE_ARRAY, position - base);
                }
                final int key = position + 1;
                if (key >= end || buffer.getByte(key) == '}')
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_BAD_DICT_ENTRY, position - base);
                }
                if (!BASIC[buffer.getByte(key) & 0xFF])
                {
                    final int k = buffer.getByte(key) & 0xFF;
                    final DBusRule rule = k == 'v' || k == 'a' || k == '(' || k == '{' ?
                        DBusRule.SIGNATURE_DICT_KEY_NOT_BASIC :
                        (k == ')' ? DBusRule.SIGNATURE_UNBALANCED_STRUCT : DBusRule.SIGNATURE_UNKNOWN_TYPE);
                    throw new DBusCodecException(rule, key - base);
                }
                final int value = key + 1;
                if (value >= end || buffer.getByte(value) == '}')
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_BAD_DICT_ENTRY, position - base);
                }
                final int close = completeType(buffer, value, end, arrayDepth, structDepth, false, base);
                if (close >= end || buffer.getByte(close) != '}')
                {
                    throw new DBusCodecException(DBusRule.SIGNATURE_BAD_DICT_ENTRY, position - base);
                }
                return close + 1;
            }

            case ')':
                throw new DBusCodecException(DBusRule.SIGNATURE_UNBALANCED_STRUCT, position - base);

            case '}':
                throw new DBusCodecException(DBusRule.SIGNATURE_BAD_DICT_ENTRY, position - base);

            default:
                throw new DBusCodecException(DBusRule.SIGNATURE_UNKNOWN_TYPE, position - base);
        }
    }
}
