package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Validates marshalled values against a signature without unmarshalling them: alignment and zero padding,
 * booleans, strict UTF-8 strings, object paths, signatures, array lengths and limits, variant signatures, nesting
 * depth and Unix fd indices. Every read is bounded by the range given; the recursion is bounded by the nesting
 * limit (64). Reused, allocation-free.
 */
final class DBusValueValidator
{
    /** No limit on 'h' indices (used for header fields, where UNIX_FDS may come later). */
    static final long ANY_UNIX_FD = Long.MAX_VALUE;

    private DirectBuffer buffer;
    private ByteOrder order;
    private int base;
    private long unixFds;
    private int sp;

    void reset(final DirectBuffer buffer, final ByteOrder order, final int base, final long unixFds)
    {
        this.buffer = buffer;
        this.order = order;
        this.base = base;
        this.unixFds = unixFds;
    }

    /**
     * Validate that {@code [offset, offset + length)} holds exactly the values of a valid signature.
     */
    void validateValues(final int sigOffset, final int sigLength, final int offset, final int length)
    {
        final int sigEnd = sigOffset + sigLength;
        final int end = offset + length;
        int pos = offset;
        sp = sigOffset;
        while (sp < sigEnd)
        {
            pos = value(pos, end, 0);
        }
        if (pos != end)
        {
            throw new DBusCodecException(DBusRule.TRAILING_BYTES, pos - base);
        }
    }

    /**
     * Validate one variant at {@code pos}.
     *
     * @return the index past it.
     */
    int variant(final int pos, final int end, final int depth)
    {
        if (pos >= end)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - base);
        }
        final int sigLength = buffer.getByte(pos) & 0xFF;
        final int sigStart = pos + 1;
        if (sigLength + 1 > end - sigStart)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - base);
        }
        final int first = buffer.getByte(sigStart);
        final boolean singleChar = sigLength == 1 && DBusSignatures.isSingleCharType(first);
        if (!singleChar)
        {
            DBusSignatures.validateSingle(buffer, sigStart, sigLength, base);
        }
        if (buffer.getByte(sigStart + sigLength) != 0)
        {
            throw new DBusCodecException(DBusRule.STRING_MISSING_NUL, sigStart + sigLength - base);
        }
        if (depth >= DBusProtocol.MAX_VALUE_NESTING)
        {
            throw new DBusCodecException(DBusRule.NESTED_TOO_DEEP, pos - base);
        }
        if (singleChar)
        {
            return basic(first, sigStart + 2, end, depth + 1);
        }
        final int savedSp = sp;
        sp = sigStart;
        final int next = value(sigStart + sigLength + 1, end, depth + 1);
        sp = savedSp;
        return next;
    }

    private int value(final int position, final int end, final int depth)
    {
        final int type = buffer.getByte(sp++);
        switch (type)
        {
            case 'a':
                return array(position, end, depth);

            case '(':
                return struct(position, end, depth, ')');

            case '{':
                return struct(position, end, depth, '}');

            default:
                return basic(type, position, end, depth);
        }
    }

    /**
     * Validate a value of a type given by one code: a basic type or a variant.
     */
    private int basic(final int type, final int position, final int end, final int depth)
    {
        int pos = position;
        switch (type)
        {
            case 'y':
                if (pos >= end)
                {
                    throw new DBusCodecException(DBusRule.TRUNCATED, pos - base);
                }
                return pos + 1;

            case 'n':
            case 'q':
                pos = align(pos, 2, end);
                need(pos, 2, end);
                return pos + 2;

            case 'i':
            case 'u':
                pos = align(pos, 4, end);
                need(pos, 4, end);
                return pos + 4;

            case 'b':
                pos = align(pos, 4, end);
                need(pos, 4, end);
                if ((buffer.getInt(pos, order) & ~1) != 0)
                {
                    throw new DBusCodecException(DBusRule.BAD_BOOLEAN, pos - base);
                }
                return pos + 4;

            case 'h':
                pos = align(pos, 4, end);
                need(pos, 4, end);
                if ((buffer.getInt(pos, order) & 0xFFFF_FFFFL) >= unixFds)
                {
                    throw new DBusCodecException(DBusRule.UNIX_FD_OUT_OF_RANGE, pos - base);
                }
                return pos + 4;

            case 'x':
            case 't':
            case 'd':
                pos = align(pos, 8, end);
                need(pos, 8, end);
                return pos + 8;

            case 's':
            case 'o':
                return string(pos, end, type);

            case 'g':
                return signature(pos, end);

            case 'v':
                return variant(pos, end, depth);

            default:
                throw new DBusCodecException(DBusRule.SIGNATURE_UNKNOWN_TYPE, sp - 1 - base);
        }
    }

    private int string(final int position, final int end, final int type)
    {
        final int pos = align(position, 4, end);
        need(pos, 4, end);
        final long length = buffer.getInt(pos, order) & 0xFFFF_FFFFL;
        final int text = pos + 4;
        if (length >= end - text)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - base);
        }
        final int len = (int)length;
        if (type == 'o')
        {
            if (!DBusNames.isValidObjectPath(buffer, text, len))
            {
                throw new DBusCodecException(DBusRule.BAD_OBJECT_PATH, text - base);
            }
        }
        else
        {
            final int fault = DBusNames.utf8Fault(buffer, text, len);
            if (fault >= 0)
            {
                throw new DBusCodecException(
                    buffer.getByte(fault) == 0 ? DBusRule.STRING_CONTAINS_NUL : DBusRule.BAD_UTF8, fault - base);
            }
        }
        if (buffer.getByte(text + len) != 0)
        {
            throw new DBusCodecException(DBusRule.STRING_MISSING_NUL, text + len - base);
        }
        return text + len + 1;
    }

    private int signature(final int pos, final int end)
    {
        if (pos >= end)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - base);
        }
        final int length = buffer.getByte(pos) & 0xFF;
        final int text = pos + 1;
        if (length >= end - text)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - base);
        }
        DBusSignatures.validate(buffer, text, length, base);
        if (buffer.getByte(text + length) != 0)
        {
            throw new DBusCodecException(DBusRule.STRING_MISSING_NUL, text + length - base);
        }
        return text + length + 1;
    }

    private int array(final int position, final int end, final int depth)
    {
        final int lengthPos = align(position, 4, end);
        need(lengthPos, 4, end);
        final long length = buffer.getInt(lengthPos, order) & 0xFFFF_FFFFL;
        final int elementType = buffer.getByte(sp);
        final int pos = align(lengthPos + 4, DBusSignatures.alignment(elementType), end);
        if (length > DBusProtocol.MAX_ARRAY_LENGTH)
        {
            throw new DBusCodecException(DBusRule.ARRAY_TOO_LONG, lengthPos - base);
        }
        if (length > end - pos)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, lengthPos - base);
        }
        final int arrayEnd = pos + (int)length;
        final int elementSig = sp;
        if (length == 0)
        {
            sp = DBusSignatures.skipCompleteType(buffer, elementSig);
            return pos;
        }
        final int fixedSize = DBusSignatures.fixedSize(elementType);
        if (fixedSize != 0 && length % fixedSize != 0)
        {
            throw new DBusCodecException(DBusRule.ARRAY_LENGTH_INCORRECT, lengthPos - base);
        }
        if (fixedSize != 0 && elementType != 'b' && elementType != 'h')
        {
            sp = elementSig + 1;
            return arrayEnd;
        }
        if (depth >= DBusProtocol.MAX_VALUE_NESTING)
        {
            throw new DBusCodecException(DBusRule.NESTED_TOO_DEEP, lengthPos - base);
        }
        int p = pos;
        if (DBusSignatures.isSingleCharType(elementType))
        {
            // as, ao, av, ab, ah, ...: no signature to walk per element
            while (p < arrayEnd)
            {
                p = basic(elementType, p, arrayEnd, depth + 1);
            }
            sp = elementSig + 1;
            return arrayEnd;
        }
        if (elementType == '{' && DBusSignatures.isSingleCharType(buffer.getByte(elementSig + 2)) &&
            buffer.getByte(elementSig + 3) == '}')
        {
            // a{sv}, a{ss}, ...: key and value each of one code
            final int key = buffer.getByte(elementSig + 1);
            final int value = buffer.getByte(elementSig + 2);
            if (depth + 1 >= DBusProtocol.MAX_VALUE_NESTING)
            {
                throw new DBusCodecException(DBusRule.NESTED_TOO_DEEP, p - base);
            }
            while (p < arrayEnd)
            {
                p = align(p, 8, arrayEnd);
                p = basic(key, p, arrayEnd, depth + 2);
                p = basic(value, p, arrayEnd, depth + 2);
            }
            sp = elementSig + 4;
            return arrayEnd;
        }
        while (p < arrayEnd)
        {
            sp = elementSig;
            p = value(p, arrayEnd, depth + 1);
        }
        return arrayEnd;
    }

    private int struct(final int position, final int end, final int depth, final int close)
    {
        int pos = align(position, 8, end);
        if (depth >= DBusProtocol.MAX_VALUE_NESTING)
        {
            throw new DBusCodecException(DBusRule.NESTED_TOO_DEEP, pos - base);
        }
        while (buffer.getByte(sp) != close)
        {
            pos = value(pos, end, depth + 1);
        }
        sp++;
        return pos;
    }

    private int align(final int pos, final int alignment, final int end)
    {
        final int padded = pos + ((base - pos) & (alignment - 1));
        if (padded > end)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - base);
        }
        if (padded != pos &&
            (buffer.getLong(padded - 8, ByteOrder.LITTLE_ENDIAN) >>> ((8 - (padded - pos)) << 3)) != 0)
        {
            throw paddingFault(pos, padded);
        }
        return padded;
    }

    /**
     * Padding lies after the fixed header, so the eight bytes before an aligned position are in the message.
     */
    private DBusCodecException paddingFault(final int pos, final int padded)
    {
        int i = pos;
        while (i < padded && buffer.getByte(i) == 0)
        {
            i++;
        }
        return new DBusCodecException(DBusRule.PADDING_NOT_ZERO, i - base);
    }

    private void need(final int pos, final int size, final int end)
    {
        if (size > end - pos)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - base);
        }
    }
}
