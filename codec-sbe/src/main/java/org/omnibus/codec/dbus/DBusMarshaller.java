package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Appends marshalled D-Bus values to a {@link MutableDirectBuffer} in either byte order, with alignment relative
 * to the start of the message and zeroed padding. Allocation-free and reusable; the building block of
 * {@link DBusHeaderEncoder} and {@link DBusMessageBuilder}, and usable directly to write bodies on hot paths.
 * <p>
 * It writes what it is told: it checks array lengths and nesting of {@link #beginArray} but not names or
 * signatures. The buffer must have the capacity (an {@link org.agrona.ExpandableArrayBuffer} grows).
 */
public final class DBusMarshaller
{
    private static final int MAX_OPEN_ARRAYS = DBusProtocol.MAX_VALUE_NESTING + 1;

    private final int[] arrayLengthPositions = new int[MAX_OPEN_ARRAYS];
    private final int[] arrayDataStarts = new int[MAX_OPEN_ARRAYS];
    private int openArrays;
    private MutableDirectBuffer buffer;
    private ByteOrder order;
    private int base;
    private int position;

    /**
     * Start writing.
     *
     * @param buffer   to write into.
     * @param base     index of the start of the message (or body) that alignment is relative to.
     * @param position index where the next value goes.
     * @param order    byte order.
     * @return this.
     */
    public DBusMarshaller wrap(
        final MutableDirectBuffer buffer, final int base, final int position, final ByteOrder order)
    {
        this.buffer = buffer;
        this.base = base;
        this.position = position;
        this.order = order;
        this.openArrays = 0;
        return this;
    }

    /**
     * @return the buffer written into.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return index where the next value goes.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return the byte order written.
     */
    public ByteOrder byteOrder()
    {
        return order;
    }

    /**
     * Write nul bytes up to the next multiple of {@code alignment} from the base.
     *
     * @param alignment 1, 2, 4 or 8.
     * @return this.
     */
    public DBusMarshaller align(final int alignment)
    {
        final int padded = position + ((base - position) & (alignment - 1));
        final int pad = padded - position;
        if ((pad & 1) != 0)
        {
            buffer.putByte(position, (byte)0);
            position += 1;
        }
        if ((pad & 2) != 0)
        {
            buffer.putShort(position, (short)0);
            position += 2;
        }
        if ((pad & 4) != 0)
        {
            buffer.putInt(position, 0);
            position += 4;
        }
        return this;
    }

    /**
     * @param value a BYTE.
     * @return this.
     */
    public DBusMarshaller putByte(final byte value)
    {
        buffer.putByte(position++, value);
        return this;
    }

    /**
     * Four bytes in a fixed order whatever the message's byte order, without alignment (e.g. a header field's
     * code and variant signature).
     */
    void putLittleEndianInt(final int bytes)
    {
        buffer.putInt(position, bytes, ByteOrder.LITTLE_ENDIAN);
        position += 4;
    }

    /**
     * @param value a BOOLEAN.
     * @return this.
     */
    public DBusMarshaller putBoolean(final boolean value)
    {
        return putInt32(value ? 1 : 0);
    }

    /**
     * @param value an INT16.
     * @return this.
     */
    public DBusMarshaller putInt16(final short value)
    {
        align(2);
        buffer.putShort(position, value, order);
        position += 2;
        return this;
    }

    /**
     * @param value a UINT16 (low 16 bits).
     * @return this.
     */
    public DBusMarshaller putUint16(final int value)
    {
        return putInt16((short)value);
    }

    /**
     * @param value an INT32.
     * @return this.
     */
    public DBusMarshaller putInt32(final int value)
    {
        align(4);
        buffer.putInt(position, value, order);
        position += 4;
        return this;
    }

    /**
     * @param value a UINT32 (low 32 bits).
     * @return this.
     */
    public DBusMarshaller putUint32(final long value)
    {
        return putInt32((int)value);
    }

    /**
     * @param index a UNIX_FD index into the fds sent with the message.
     * @return this.
     */
    public DBusMarshaller putUnixFd(final int index)
    {
        return putInt32(index);
    }

    /**
     * @param value an INT64, or the bits of a UINT64.
     * @return this.
     */
    public DBusMarshaller putInt64(final long value)
    {
        align(8);
        buffer.putLong(position, value, order);
        position += 8;
        return this;
    }

    /**
     * @param value a DOUBLE.
     * @return this.
     */
    public DBusMarshaller putDouble(final double value)
    {
        align(8);
        buffer.putDouble(position, value, order);
        position += 8;
        return this;
    }

    /**
     * Write a STRING (or OBJECT_PATH) encoded as UTF-8 on the fly; unpaired surrogates become '?'.
     *
     * @param value the text.
     * @return this.
     */
    public DBusMarshaller putString(final CharSequence value)
    {
        align(4);
        final int lengthPos = position;
        int p = lengthPos + 4;
        for (int i = 0, n = value.length(); i < n; i++)
        {
            int c = value.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(p++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(p++, (byte)(0xC0 | (c >> 6)));
                buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isSurrogate((char)c))
            {
                if (Character.isHighSurrogate((char)c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
                {
                    c = Character.toCodePoint((char)c, value.charAt(++i));
                    buffer.putByte(p++, (byte)(0xF0 | (c >> 18)));
                    buffer.putByte(p++, (byte)(0x80 | ((c >> 12) & 0x3F)));
                    buffer.putByte(p++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                    buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
                }
                else
                {
                    buffer.putByte(p++, (byte)'?');
                }
            }
            else
            {
                buffer.putByte(p++, (byte)(0xE0 | (c >> 12)));
                buffer.putByte(p++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        buffer.putByte(p, (byte)0);
        buffer.putInt(lengthPos, p - lengthPos - 4, order);
        position = p + 1;
        return this;
    }

    /**
     * Write a STRING (or OBJECT_PATH) from bytes already UTF-8.
     *
     * @param src       holding the text.
     * @param srcOffset of its first byte.
     * @param length    in bytes.
     * @return this.
     */
    public DBusMarshaller putString(final DirectBuffer src, final int srcOffset, final int length)
    {
        align(4);
        buffer.putInt(position, length, order);
        buffer.putBytes(position + 4, src, srcOffset, length);
        buffer.putByte(position + 4 + length, (byte)0);
        position += 4 + length + 1;
        return this;
    }

    /**
     * Reserve a STRING (or OBJECT_PATH) of a known length, to be filled by the caller.
     *
     * @param length of the text in bytes.
     * @return index where the caller must put the text's bytes; the nul after it is written.
     */
    public int reserveString(final int length)
    {
        align(4);
        buffer.putInt(position, length, order);
        final int text = position + 4;
        buffer.putByte(text + length, (byte)0);
        position = text + length + 1;
        return text;
    }

    /**
     * @param value an OBJECT_PATH.
     * @return this.
     */
    public DBusMarshaller putObjectPath(final CharSequence value)
    {
        return putString(value);
    }

    /**
     * Write a SIGNATURE (one length byte, ASCII text, nul).
     *
     * @param value the signature, at most 255 ASCII characters.
     * @return this.
     */
    public DBusMarshaller putSignature(final CharSequence value)
    {
        final int length = value.length();
        buffer.putByte(position, (byte)length);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(position + 1 + i, (byte)value.charAt(i));
        }
        buffer.putByte(position + 1 + length, (byte)0);
        position += length + 2;
        return this;
    }

    /**
     * Write a SIGNATURE from bytes.
     *
     * @param src       holding the signature.
     * @param srcOffset of its first byte.
     * @param length    at most 255.
     * @return this.
     */
    public DBusMarshaller putSignature(final DirectBuffer src, final int srcOffset, final int length)
    {
        buffer.putByte(position, (byte)length);
        buffer.putBytes(position + 1, src, srcOffset, length);
        buffer.putByte(position + 1 + length, (byte)0);
        position += length + 2;
        return this;
    }

    /**
     * Start a VARIANT: writes its signature; then write its one value.
     *
     * @param signature a single complete type.
     * @return this.
     */
    public DBusMarshaller beginVariant(final CharSequence signature)
    {
        return putSignature(signature);
    }

    /**
     * Start an ARRAY: writes a length placeholder and the padding to the element alignment (even when the array
     * stays empty); then write the elements and call {@link #endArray()}.
     *
     * @param elementTypeCode first code of the element type ('y', 's', '(', '{', 'a', ...).
     * @return this.
     */
    public DBusMarshaller beginArray(final int elementTypeCode)
    {
        if (openArrays == MAX_OPEN_ARRAYS)
        {
            throw new DBusCodecException(DBusRule.NESTED_TOO_DEEP, position - base);
        }
        align(4);
        arrayLengthPositions[openArrays] = position;
        buffer.putInt(position, 0, order);
        position += 4;
        align(Math.max(1, DBusSignatures.alignment(elementTypeCode)));
        arrayDataStarts[openArrays] = position;
        openArrays++;
        return this;
    }

    /**
     * Finish the innermost open ARRAY: writes its length.
     *
     * @return this.
     * @throws DBusCodecException if the array data exceeds 64 MiB.
     */
    public DBusMarshaller endArray()
    {
        final int index = --openArrays;
        final int length = position - arrayDataStarts[index];
        if (length > DBusProtocol.MAX_ARRAY_LENGTH)
        {
            throw new DBusCodecException(DBusRule.ARRAY_TOO_LONG, arrayLengthPositions[index] - base);
        }
        buffer.putInt(arrayLengthPositions[index], length, order);
        return this;
    }

    /**
     * Start a STRUCT or DICT_ENTRY: aligns to 8; then write its fields.
     *
     * @return this.
     */
    public DBusMarshaller beginStruct()
    {
        return align(8);
    }

    /**
     * Copy already-marshalled bytes (e.g. a body) as they are.
     *
     * @param src       holding the bytes.
     * @param srcOffset of the first byte.
     * @param length    number of bytes.
     * @return this.
     */
    public DBusMarshaller putRaw(final DirectBuffer src, final int srcOffset, final int length)
    {
        buffer.putBytes(position, src, srcOffset, length);
        position += length;
        return this;
    }
}
