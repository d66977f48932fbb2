package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A reusable, allocation-free cursor that walks a marshalled body by its signature: read argument N as a string
 * for match rules ({@code argN}, {@code argNpath}, {@code arg0namespace}), read driver method arguments, or
 * unmarshal whole values.
 * <p>
 * The cursor moves through the values of the current container (the body's top level at first). Basic values
 * are read with the {@code readXxx} methods, which check the type; containers are entered with
 * {@link #enterArray()}, {@link #enterStruct()}, {@link #enterDictEntry()} and {@link #enterVariant()} and left
 * with {@link #exit()}, which skips whatever of the container was not read. {@link #skip()} passes over one value
 * of any type, {@link #seekArg(int)} goes to a top-level argument.
 * <p>
 * Every read is bounds-checked against the body, so the cursor is safe on bodies that were not validated
 * (e.g. from {@link DBusMessageFlyweight#wrapHeader}): malformed data raises a {@link DBusCodecException},
 * never another exception and never a read outside the body. Offsets in its exceptions are from the body start.
 * <pre>{@code
 * cursor.wrap(message);
 * if (cursor.seekArg(0) == 's') { cursor.readString(); match = cursor.stringEquals("org.example.Name"); }
 * }</pre>
 */
public final class DBusBodyCursor
{
    /** {@link #peekType()} when the current container has no more values. */
    public static final int END = 0;

    private static final int TOP = 0;
    private static final int ARRAY = 1;
    private static final int STRUCT = 2;
    private static final int DICT_ENTRY = 3;
    private static final int VARIANT = 4;
    /** A validated body nests at most 64 containers around a value, which may itself be an (empty) array. */
    private static final int MAX_DEPTH = DBusProtocol.MAX_VALUE_NESTING + 1;

    private final int[] kinds = new int[MAX_DEPTH + 1];
    private final DirectBuffer[] sigBuffers = new DirectBuffer[MAX_DEPTH + 1];
    private final int[] sigPositions = new int[MAX_DEPTH + 1];
    private final int[] sigEnds = new int[MAX_DEPTH + 1];
    private final int[] ends = new int[MAX_DEPTH + 1];

    private DirectBuffer buffer;
    private ByteOrder order;
    private int bodyOffset;
    private int bodyLength;
    private DirectBuffer topSigBuffer;
    private int topSigOffset;
    private int topSigLength;
    private int depth;
    private int pos;
    private int stringOffset;
    private int stringLength;

    /**
     * Walk the body of a wrapped message.
     *
     * @param message a message wrapped by {@link DBusMessageFlyweight#wrap} or {@code wrapHeader}.
     * @return this, positioned before the first argument.
     */
    public DBusBodyCursor wrap(final DBusMessageFlyweight message)
    {
        return wrapTrusted(
            message.buffer(), message.bodyOffset(), message.bodyLength(), message.byteOrder(),
            message.buffer(), message.signatureOffset(), message.signatureLength());
    }

    /**
     * Walk a body held apart from its header (e.g. in an SBE {@code BusMessage}). The signature is validated.
     *
     * @param buffer       holding the body.
     * @param bodyOffset   index of the body's first byte; alignment is computed relative to it.
     * @param bodyLength   length of the body.
     * @param order        byte order of the body.
     * @param sigBuffer    holding the body signature.
     * @param sigOffset    index of the signature's first byte.
     * @param sigLength    length of the signature.
     * @return this, positioned before the first argument.
     * @throws DBusCodecException if the signature is invalid.
     */
    public DBusBodyCursor wrap(
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength,
        final ByteOrder order,
        final DirectBuffer sigBuffer,
        final int sigOffset,
        final int sigLength)
    {
        DBusSignatures.validate(sigBuffer, sigOffset, sigLength);
        return wrapTrusted(buffer, bodyOffset, bodyLength, order, sigBuffer, sigOffset, sigLength);
    }

    private DBusBodyCursor wrapTrusted(
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength,
        final ByteOrder order,
        final DirectBuffer sigBuffer,
        final int sigOffset,
        final int sigLength)
    {
        this.buffer = buffer;
        this.order = order;
        this.bodyOffset = bodyOffset;
        this.bodyLength = bodyLength;
        this.topSigBuffer = sigBuffer;
        this.topSigOffset = sigOffset;
        this.topSigLength = sigLength;
        return rewind();
    }

    /**
     * Go back before the first argument.
     *
     * @return this.
     */
    public DBusBodyCursor rewind()
    {
        depth = 0;
        kinds[0] = TOP;
        sigBuffers[0] = topSigBuffer;
        sigPositions[0] = topSigOffset;
        sigEnds[0] = topSigOffset + topSigLength;
        ends[0] = bodyOffset + bodyLength;
        pos = bodyOffset;
        stringOffset = bodyOffset;
        stringLength = 0;
        return this;
    }

    /**
     * Go to a top-level argument.
     *
     * @param index of the argument, from 0.
     * @return its type code, or {@link #END} if the body has fewer arguments.
     */
    public int seekArg(final int index)
    {
        rewind();
        for (int i = 0; i < index; i++)
        {
            if (!hasNext())
            {
                return END;
            }
            skip();
        }
        return peekType();
    }

    /**
     * @return whether the current container has another value.
     */
    public boolean hasNext()
    {
        final int d = depth;
        switch (kinds[d])
        {
            case ARRAY:
                return pos < ends[d];
            case STRUCT:
                return sigBuffers[d].getByte(sigPositions[d]) != ')';
            case DICT_ENTRY:
                return sigBuffers[d].getByte(sigPositions[d]) != '}';
            default:
                return sigPositions[d] < sigEnds[d];
        }
    }

    /**
     * @return the type code of the next value ('y', 's', 'a', '(', '{', 'v', ...), or {@link #END}.
     */
    public int peekType()
    {
        return hasNext() ? sigBuffers[depth].getByte(sigPositions[depth]) : END;
    }

    /**
     * Inside an array, the type code its elements start with, also when it is empty.
     *
     * @return the element type code ('{' for a dict), or {@link #END} when the current container is no array.
     */
    public int elementType()
    {
        return kinds[depth] == ARRAY ? sigBuffers[depth].getByte(sigPositions[depth]) : END;
    }

    /**
     * @return nesting of the current container, 0 at the body's top level.
     */
    public int depth()
    {
        return depth;
    }

    /**
     * @return index in the buffer of the next byte the cursor will read (before alignment).
     */
    public int position()
    {
        return pos;
    }

    /**
     * @return the next value, a BYTE.
     */
    public byte readByte()
    {
        final int p = fixed('y', 1);
        return buffer.getByte(p);
    }

    /**
     * @return the next value, a BOOLEAN.
     */
    public boolean readBoolean()
    {
        final int p = fixed('b', 4);
        return buffer.getInt(p, order) != 0;
    }

    /**
     * @return the next value, an INT16.
     */
    public short readInt16()
    {
        final int p = fixed('n', 2);
        return buffer.getShort(p, order);
    }

    /**
     * @return the next value, a UINT16.
     */
    public int readUint16()
    {
        final int p = fixed('q', 2);
        return buffer.getShort(p, order) & 0xFFFF;
    }

    /**
     * @return the next value, an INT32.
     */
    public int readInt32()
    {
        final int p = fixed('i', 4);
        return buffer.getInt(p, order);
    }

    /**
     * @return the next value, a UINT32.
     */
    public long readUint32()
    {
        final int p = fixed('u', 4);
        return buffer.getInt(p, order) & 0xFFFF_FFFFL;
    }

    /**
     * @return the next value, a UNIX_FD index.
     */
    public int readUnixFd()
    {
        final int p = fixed('h', 4);
        return buffer.getInt(p, order);
    }

    /**
     * @return the next value, an INT64.
     */
    public long readInt64()
    {
        final int p = fixed('x', 8);
        return buffer.getLong(p, order);
    }

    /**
     * @return the next value, a UINT64, as the same 64 bits.
     */
    public long readUint64()
    {
        final int p = fixed('t', 8);
        return buffer.getLong(p, order);
    }

    /**
     * @return the next value, a DOUBLE.
     */
    public double readDouble()
    {
        final int p = fixed('d', 8);
        return buffer.getDouble(p, order);
    }

    /**
     * Read the next value, a STRING, OBJECT_PATH or SIGNATURE, without copying it: its text is then at
     * {@link #stringOffset()} for {@link #stringLength()} bytes.
     *
     * @return the length of its text in bytes.
     */
    public int readString()
    {
        final int type = peekType();
        if (type == 's' || type == 'o')
        {
            final int p = align(4);
            need(p, 4);
            final long len = buffer.getInt(p, order) & 0xFFFF_FFFFL;
            final int text = p + 4;
            if (len >= ends[depth] - text)
            {
                throw fault(DBusRule.TRUNCATED, p);
            }
            consumeType();
            stringOffset = text;
            stringLength = (int)len;
            pos = text + (int)len + 1;
            return (int)len;
        }
        if (type == 'g')
        {
            need(pos, 1);
            final int len = buffer.getByte(pos) & 0xFF;
            final int text = pos + 1;
            if (len >= ends[depth] - text)
            {
                throw fault(DBusRule.TRUNCATED, pos);
            }
            consumeType();
            stringOffset = text;
            stringLength = len;
            pos = text + len + 1;
            return len;
        }
        throw fault(DBusRule.TYPE_MISMATCH, pos);
    }

    /**
     * @return index in the buffer of the text of the string last read.
     */
    public int stringOffset()
    {
        return stringOffset;
    }

    /**
     * @return length in bytes of the text of the string last read.
     */
    public int stringLength()
    {
        return stringLength;
    }

    /**
     * Compare the string last read with a text, allocation-free (the text is encoded as UTF-8 on the fly).
     *
     * @param text to compare with.
     * @return whether they are equal.
     */
    public boolean stringEquals(final CharSequence text)
    {
        return utf8Equals(buffer, stringOffset, stringLength, text);
    }

    /**
     * The string last read as a {@link String}; allocates.
     *
     * @return the text, decoded as UTF-8.
     */
    public String stringAsString()
    {
        return DBusNames.decodeUtf8(buffer, stringOffset, stringLength);
    }

    /**
     * Read the next value, a STRING, OBJECT_PATH or SIGNATURE, as a {@link String}; allocates.
     *
     * @return its text.
     */
    public String readStringAsString()
    {
        readString();
        return stringAsString();
    }

    /**
     * Enter the next value, an ARRAY: then iterate its elements with {@link #hasNext()} and leave with
     * {@link #exit()}.
     *
     * @return the length of the array's data in bytes.
     */
    public int enterArray()
    {
        if (peekType() != 'a')
        {
            throw fault(DBusRule.TYPE_MISMATCH, pos);
        }
        final int lengthPos = align(4);
        need(lengthPos, 4);
        final long len = buffer.getInt(lengthPos, order) & 0xFFFF_FFFFL;
        final DirectBuffer sigBuffer = sigBuffers[depth];
        final int elementSig = sigPositions[depth] + 1;
        pos = lengthPos + 4;
        final int start = align(DBusSignatures.alignment(sigBuffer.getByte(elementSig)));
        if (len > ends[depth] - start)
        {
            throw fault(DBusRule.TRUNCATED, lengthPos);
        }
        consumeType();
        push(ARRAY, sigBuffer, elementSig, elementSig, start + (int)len);
        pos = start;
        return (int)len;
    }

    /**
     * Enter the next value, a STRUCT: then read its fields and leave with {@link #exit()}.
     */
    public void enterStruct()
    {
        enterStructLike('(', STRUCT);
    }

    /**
     * Enter the next value, a DICT_ENTRY (an element of an {@code a{..}} array): then read key and value and leave
     * with {@link #exit()}.
     */
    public void enterDictEntry()
    {
        enterStructLike('{', DICT_ENTRY);
    }

    /**
     * Enter the next value, a VARIANT: then read its one value and leave with {@link #exit()}. Its signature is
     * validated, and is then at {@link #stringOffset()} for {@link #stringLength()} bytes.
     *
     * @return the type code of the value it holds.
     */
    public int enterVariant()
    {
        if (peekType() != 'v')
        {
            throw fault(DBusRule.TYPE_MISMATCH, pos);
        }
        need(pos, 1);
        final int len = buffer.getByte(pos) & 0xFF;
        final int sig = pos + 1;
        if (len >= ends[depth] - sig)
        {
            throw fault(DBusRule.TRUNCATED, pos);
        }
        DBusSignatures.validateSingle(buffer, sig, len, bodyOffset);
        consumeType();
        stringOffset = sig;
        stringLength = len;
        push(VARIANT, buffer, sig, sig + len, ends[depth]);
        pos = sig + len + 1;
        return buffer.getByte(sig);
    }

    /**
     * Leave the current container, skipping what was not read of it.
     */
    public void exit()
    {
        if (depth == 0)
        {
            throw fault(DBusRule.TYPE_MISMATCH, pos);
        }
        if (kinds[depth] == ARRAY)
        {
            pos = ends[depth];
        }
        else
        {
            while (hasNext())
            {
                skip();
            }
        }
        depth--;
    }

    /**
     * Skip the next value, whatever its type.
     */
    public void skip()
    {
        final int type = peekType();
        switch (type)
        {
            case 'y': fixed('y', 1); break;
            case 'n': fixed('n', 2); break;
            case 'q': fixed('q', 2); break;
            case 'b': fixed('b', 4); break;
            case 'i': fixed('i', 4); break;
            case 'u': fixed('u', 4); break;
            case 'h': fixed('h', 4); break;
            case 'x': fixed('x', 8); break;
            case 't': fixed('t', 8); break;
            case 'd': fixed('d', 8); break;
            case 's':
            case 'o':
            case 'g':
                readString();
                break;
            case 'a':
                enterArray();
                exit();
                break;
            case '(':
                enterStruct();
                exit();
                break;
            case '{':
                enterDictEntry();
                exit();
                break;
            case 'v':
                enterVariant();
                exit();
                break;
            default:
                throw fault(type == END ? DBusRule.TYPE_MISMATCH : DBusRule.SIGNATURE_UNKNOWN_TYPE, pos);
        }
    }

    /**
     * Compare UTF-8 bytes with a text without allocating.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @param text   to compare with.
     * @return whether the bytes are exactly the UTF-8 encoding of {@code text}.
     */
    public static boolean utf8Equals(
        final DirectBuffer buffer, final int offset, final int length, final CharSequence text)
    {
        int p = offset;
        final int end = offset + length;
        for (int i = 0, n = text.length(); i < n; i++)
        {
            int c = text.charAt(i);
            if (c < 0x80)
            {
                if (p >= end || buffer.getByte(p++) != c)
                {
                    return false;
                }
                continue;
            }
            final int bytes;
            if (c < 0x800)
            {
                bytes = 2;
            }
            else if (Character.isHighSurrogate((char)c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                c = Character.toCodePoint((char)c, text.charAt(++i));
                bytes = 4;
            }
            else
            {
                bytes = 3;
            }
            if (end - p < bytes)
            {
                return false;
            }
            final int lead = bytes == 2 ? 0xC0 | (c >> 6) : bytes == 3 ? 0xE0 | (c >> 12) : 0xF0 | (c >> 18);
            if ((buffer.getByte(p++) & 0xFF) != lead)
            {
                return false;
            }
            for (int shift = (bytes - 2) * 6; shift >= 0; shift -= 6)
            {
                if ((buffer.getByte(p++) & 0xFF) != (0x80 | ((c >> shift) & 0x3F)))
                {
                    return false;
                }
            }
        }
        return p == end;
    }

    private void enterStructLike(final int open, final int kind)
    {
        if (peekType() != open)
        {
            throw fault(DBusRule.TYPE_MISMATCH, pos);
        }
        final int start = align(8);
        final DirectBuffer sigBuffer = sigBuffers[depth];
        final int fields = sigPositions[depth] + 1;
        consumeType();
        push(kind, sigBuffer, fields, fields, ends[depth]);
        pos = start;
    }

    private void push(final int kind, final DirectBuffer sigBuffer, final int sigPos, final int sigEnd, final int end)
    {
        if (depth + 1 > MAX_DEPTH)
        {
            throw fault(DBusRule.NESTED_TOO_DEEP, pos);
        }
        final int d = ++depth;
        kinds[d] = kind;
        sigBuffers[d] = sigBuffer;
        sigPositions[d] = sigPos;
        sigEnds[d] = sigEnd;
        ends[d] = end;
    }

    /**
     * Advance the current container's signature past the value just consumed (arrays repeat theirs).
     */
    private void consumeType()
    {
        final int d = depth;
        if (kinds[d] != ARRAY)
        {
            sigPositions[d] = DBusSignatures.skipCompleteType(sigBuffers[d], sigPositions[d]);
        }
    }

    private int fixed(final int type, final int size)
    {
        if (peekType() != type)
        {
            throw fault(DBusRule.TYPE_MISMATCH, pos);
        }
        final int p = align(size);
        need(p, size);
        consumeType();
        pos = p + size;
        return p;
    }

    private int align(final int alignment)
    {
        final int padded = pos + ((bodyOffset - pos) & (alignment - 1));
        if (padded > ends[depth])
        {
            throw fault(DBusRule.TRUNCATED, pos);
        }
        return padded;
    }

    private void need(final int p, final int size)
    {
        if (size > ends[depth] - p)
        {
            throw fault(DBusRule.TRUNCATED, p);
        }
    }

    private DBusCodecException fault(final DBusRule rule, final int at)
    {
        return new DBusCodecException(rule, at - bodyOffset);
    }
}
