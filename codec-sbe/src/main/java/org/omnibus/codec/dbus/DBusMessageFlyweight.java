package org.omnibus.codec.dbus;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * A reusable, allocation-free reader over one complete D-Bus message in a {@link DirectBuffer}.
 * <p>
 * {@link #wrap(DirectBuffer, int, int)} validates the whole message once (fixed header, every header field and its
 * type, the fields each message type requires, names, paths, signatures, padding, and the body against its
 * signature) and records where each header field lies; the accessors then only read what was recorded. On invalid
 * input it throws a {@link DBusCodecException} naming the rule and the offset from the start of the message, and
 * leaves the flyweight unusable until the next successful wrap.
 * <p>
 * String header fields (path, interface, member, error name, destination, sender, signature) are ASCII by the
 * specification's rules, so they can be compared with, hashed like and viewed as {@link CharSequence}s byte for
 * char. Field codes are those of {@link DBusHeaderField}. Offsets returned are indices into {@link #buffer()}.
 * <p>
 * Not thread-safe; one per agent.
 */
public final class DBusMessageFlyweight
{
    private final DBusValueValidator validator = new DBusValueValidator();
    private final DBusHeaderCache headerCache = new DBusHeaderCache();
    private final int[] fieldOffsets = new int[DBusHeaderField.KNOWN_COUNT];
    private final int[] fieldLengths = new int[DBusHeaderField.KNOWN_COUNT];
    private final int[] elementStarts = new int[DBusHeaderField.KNOWN_COUNT];
    private final int[] elementEnds = new int[DBusHeaderField.KNOWN_COUNT];

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private ByteOrder order;
    private int type;
    private int flags;
    private long serial;
    private long replySerial;
    private long unixFds;
    private int fieldsPresent;
    private int fieldsEnd;
    private int bodyOffset;
    private int bodyLength;
    private boolean bodyValidated;
    private boolean valid;
    /** The last short signature validated (up to 8 bytes, as a word), so a repeated one is not parsed again. */
    private long lastSignatureWord;
    private int lastSignatureLength = -1;

    /**
     * Wrap and validate a complete message, body included.
     *
     * @param buffer holding the message.
     * @param offset of its first byte.
     * @param length of the message: exactly what {@link DBusFraming#messageLength} returned.
     * @return this.
     * @throws DBusCodecException if the message breaks a rule.
     */
    public DBusMessageFlyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        parse(buffer, offset, length, true);
        return this;
    }

    /**
     * Wrap a message validating its header only, for bodies already validated where the message entered the bus
     * (the body may still be read with a {@link DBusBodyCursor}, which is bounds-safe on any input).
     *
     * @param buffer holding the message.
     * @param offset of its first byte.
     * @param length of the message.
     * @return this.
     * @throws DBusCodecException if the header breaks a rule.
     */
    public DBusMessageFlyweight wrapHeader(final DirectBuffer buffer, final int offset, final int length)
    {
        parse(buffer, offset, length, false);
        return this;
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return index of the message's first byte in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return length of the whole message in bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return the byte order of the message (header and body).
     */
    public ByteOrder byteOrder()
    {
        return order;
    }

    /**
     * @return the endianness byte, {@link DBusProtocol#LITTLE_ENDIAN} or {@link DBusProtocol#BIG_ENDIAN}.
     */
    public byte endianness()
    {
        return order == ByteOrder.LITTLE_ENDIAN ? DBusProtocol.LITTLE_ENDIAN : DBusProtocol.BIG_ENDIAN;
    }

    /**
     * @return the message type, e.g. {@link DBusProtocol#TYPE_SIGNAL}; unknown types (5..255) are valid and must
     * be ignored by the receiver.
     */
    public int type()
    {
        return type;
    }

    /**
     * @return the flags byte, unknown bits included.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @return whether {@link DBusProtocol#FLAG_NO_REPLY_EXPECTED} is set.
     */
    public boolean noReplyExpected()
    {
        return (flags & DBusProtocol.FLAG_NO_REPLY_EXPECTED) != 0;
    }

    /**
     * @return the serial, an unsigned 32-bit value (never 0).
     */
    public long serial()
    {
        return serial;
    }

    /**
     * @return the REPLY_SERIAL field, or 0 when absent.
     */
    public long replySerial()
    {
        return replySerial;
    }

    /**
     * @return the UNIX_FDS field, or 0 when absent.
     */
    public long unixFds()
    {
        return unixFds;
    }

    /**
     * @return whether the body was validated by {@link #wrap} (false after {@link #wrapHeader}).
     */
    public boolean bodyValidated()
    {
        return bodyValidated;
    }

    /**
     * @return index of the body's first byte in {@link #buffer()} (8-aligned relative to the message start).
     */
    public int bodyOffset()
    {
        return bodyOffset;
    }

    /**
     * @return length of the body in bytes.
     */
    public int bodyLength()
    {
        return bodyLength;
    }

    /**
     * @return index in {@link #buffer()} just past the last header field (before the padding to the body).
     */
    public int headerFieldsEnd()
    {
        return fieldsEnd;
    }

    /**
     * @param field a {@link DBusHeaderField} code.
     * @return whether the message carries that known field.
     */
    public boolean hasField(final int field)
    {
        return field > 0 && field < DBusHeaderField.KNOWN_COUNT && (fieldsPresent & (1 << field)) != 0;
    }

    /**
     * @return a bit mask with bit {@code 1 << code} set for each known field present.
     */
    public int fieldsPresent()
    {
        return fieldsPresent;
    }

    /**
     * Where a string field's text lies.
     *
     * @param field a string {@link DBusHeaderField} code.
     * @return index of its first byte in {@link #buffer()}, or -1 when absent.
     */
    public int fieldOffset(final int field)
    {
        return hasField(field) && DBusHeaderField.isStringField(field) ? fieldOffsets[field] : -1;
    }

    /**
     * Length of a string field's text.
     *
     * @param field a string {@link DBusHeaderField} code.
     * @return its length in bytes (without the nul), or 0 when absent.
     */
    public int fieldLength(final int field)
    {
        return hasField(field) && DBusHeaderField.isStringField(field) ? fieldLengths[field] : 0;
    }

    /**
     * Where a field's whole {@code (yv)} element starts: 8-aligned, useful to cut a field out when re-framing.
     *
     * @param field a {@link DBusHeaderField} code.
     * @return index in {@link #buffer()}, or -1 when absent.
     */
    public int fieldElementStart(final int field)
    {
        return hasField(field) ? elementStarts[field] : -1;
    }

    /**
     * Where a field's {@code (yv)} element ends.
     *
     * @param field a {@link DBusHeaderField} code.
     * @return index in {@link #buffer()} just past the element, or -1 when absent.
     */
    public int fieldElementEnd(final int field)
    {
        return hasField(field) ? elementEnds[field] : -1;
    }

    /**
     * Compare a string field with a text, allocation-free.
     *
     * @param field a string {@link DBusHeaderField} code.
     * @param text  to compare with; may be null.
     * @return true if the field is present and equals {@code text}; false if absent (even for an empty text).
     */
    public boolean fieldEquals(final int field, final CharSequence text)
    {
        if (text == null || !hasField(field) || !DBusHeaderField.isStringField(field))
        {
            return false;
        }
        final int len = fieldLengths[field];
        if (text.length() != len)
        {
            return false;
        }
        final int start = fieldOffsets[field];
        for (int i = 0; i < len; i++)
        {
            if (text.charAt(i) != buffer.getByte(start + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compare a string field with bytes in another buffer, allocation-free.
     *
     * @param field       a string {@link DBusHeaderField} code.
     * @param other       buffer holding the bytes.
     * @param otherOffset of the first byte.
     * @param otherLength number of bytes.
     * @return true if the field is present and has exactly those bytes.
     */
    public boolean fieldEquals(final int field, final DirectBuffer other, final int otherOffset, final int otherLength)
    {
        if (!hasField(field) || !DBusHeaderField.isStringField(field) || fieldLengths[field] != otherLength)
        {
            return false;
        }
        final int start = fieldOffsets[field];
        for (int i = 0; i < otherLength; i++)
        {
            if (other.getByte(otherOffset + i) != buffer.getByte(start + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Hash of a string field, the same value as {@link String#hashCode()} of its text, allocation-free.
     *
     * @param field a string {@link DBusHeaderField} code.
     * @return the hash, or 0 when absent.
     */
    public int fieldHash(final int field)
    {
        if (!hasField(field) || !DBusHeaderField.isStringField(field))
        {
            return 0;
        }
        int hash = 0;
        for (int i = fieldOffsets[field], end = i + fieldLengths[field]; i < end; i++)
        {
            hash = 31 * hash + buffer.getByte(i);
        }
        return hash;
    }

    /**
     * Copy a string field's text.
     *
     * @param field     a string {@link DBusHeaderField} code.
     * @param dst       destination buffer.
     * @param dstOffset where to put the first byte.
     * @return number of bytes copied, 0 when absent.
     */
    public int getField(final int field, final MutableDirectBuffer dst, final int dstOffset)
    {
        final int len = fieldLength(field);
        if (len > 0)
        {
            dst.putBytes(dstOffset, buffer, fieldOffsets[field], len);
        }
        return len;
    }

    /**
     * Point a reusable view at a string field's text.
     *
     * @param field a string {@link DBusHeaderField} code.
     * @param view  to wrap over the field (wrapped empty when absent).
     * @return the view.
     */
    public AsciiSequenceView fieldView(final int field, final AsciiSequenceView view)
    {
        if (hasField(field) && DBusHeaderField.isStringField(field))
        {
            return view.wrap(buffer, fieldOffsets[field], fieldLengths[field]);
        }
        return view.wrap(buffer, offset, 0);
    }

    /**
     * A string field as a {@link String}; allocates, for paths off the hot path.
     *
     * @param field a string {@link DBusHeaderField} code.
     * @return the text, or null when absent.
     */
    public String fieldAsString(final int field)
    {
        if (!hasField(field) || !DBusHeaderField.isStringField(field))
        {
            return null;
        }
        return buffer.getStringWithoutLengthAscii(fieldOffsets[field], fieldLengths[field]);
    }

    /**
     * @return the PATH field, or null; allocates.
     */
    public String path()
    {
        return fieldAsString(DBusHeaderField.PATH);
    }

    /**
     * @return the INTERFACE field, or null; allocates.
     */
    public String interfaceName()
    {
        return fieldAsString(DBusHeaderField.INTERFACE);
    }

    /**
     * @return the MEMBER field, or null; allocates.
     */
    public String member()
    {
        return fieldAsString(DBusHeaderField.MEMBER);
    }

    /**
     * @return the ERROR_NAME field, or null; allocates.
     */
    public String errorName()
    {
        return fieldAsString(DBusHeaderField.ERROR_NAME);
    }

    /**
     * @return the DESTINATION field, or null; allocates.
     */
    public String destination()
    {
        return fieldAsString(DBusHeaderField.DESTINATION);
    }

    /**
     * @return the SENDER field, or null; allocates.
     */
    public String sender()
    {
        return fieldAsString(DBusHeaderField.SENDER);
    }

    /**
     * @return the body signature, "" when the field is absent; allocates.
     */
    public String signature()
    {
        final String signature = fieldAsString(DBusHeaderField.SIGNATURE);
        return signature == null ? "" : signature;
    }

    /**
     * @return index of the body signature's first byte in {@link #buffer()}; meaningful only when
     * {@link #signatureLength()} is above 0.
     */
    public int signatureOffset()
    {
        return hasField(DBusHeaderField.SIGNATURE) ? fieldOffsets[DBusHeaderField.SIGNATURE] : offset;
    }

    /**
     * @return length of the body signature, 0 when absent.
     */
    public int signatureLength()
    {
        return fieldLength(DBusHeaderField.SIGNATURE);
    }

    /**
     * @return whether the last wrap succeeded.
     */
    public boolean isValid()
    {
        return valid;
    }

    /**
     * A one-line description for logs and tests; allocates.
     *
     * @return type, serial and present fields.
     */
    public String toString()
    {
        if (!valid)
        {
            return "DBusMessage{invalid}";
        }
        final StringBuilder sb = new StringBuilder(128)
            .append("DBusMessage{").append(DBusProtocol.typeName(type))
            .append(", endianness=").append((char)endianness())
            .append(", flags=").append(flags)
            .append(", serial=").append(serial);
        for (int code = 1; code < DBusHeaderField.KNOWN_COUNT; code++)
        {
            if (hasField(code))
            {
                sb.append(", ").append(DBusHeaderField.name(code).toLowerCase()).append('=');
                if (code == DBusHeaderField.REPLY_SERIAL)
                {
                    sb.append(replySerial);
                }
                else if (code == DBusHeaderField.UNIX_FDS)
                {
                    sb.append(unixFds);
                }
                else
                {
                    sb.append(fieldAsString(code));
                }
            }
        }
        return sb.append(", bodyLength=").append(bodyLength).append('}').toString();
    }

    private void parse(final DirectBuffer buffer, final int offset, final int length, final boolean validateBody)
    {
        valid = false;
        bodyValidated = false;
        fieldsPresent = 0;
        replySerial = 0;
        unixFds = 0;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;

        if (offset < 0 || length > buffer.capacity() - offset)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, Math.max(0, buffer.capacity() - offset));
        }
        final int total = DBusFraming.messageLength(buffer, offset, length);
        if (total < 0)
        {
            throw framingFault(total, length);
        }
        if (total > length)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, length);
        }
        if (total < length)
        {
            throw new DBusCodecException(DBusRule.TRAILING_BYTES, total);
        }
        order = buffer.getByte(offset) == DBusProtocol.LITTLE_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        type = buffer.getByte(offset + 1) & 0xFF;
        if (type == DBusProtocol.TYPE_INVALID)
        {
            throw new DBusCodecException(DBusRule.BAD_MESSAGE_TYPE, 1);
        }
        flags = buffer.getByte(offset + 2) & 0xFF;
        serial = buffer.getInt(offset + 8, order) & 0xFFFF_FFFFL;
        if (serial == 0)
        {
            throw new DBusCodecException(DBusRule.ZERO_SERIAL, 8);
        }
        final int fieldsLength = buffer.getInt(offset + 12, order);
        fieldsEnd = offset + DBusProtocol.MINIMUM_HEADER_LENGTH + fieldsLength;
        bodyOffset = offset + (int)DBusFraming.align8(DBusProtocol.MINIMUM_HEADER_LENGTH + fieldsLength);
        bodyLength = total - (bodyOffset - offset);

        final int fieldsStart = offset + DBusProtocol.MINIMUM_HEADER_LENGTH;
        final int cached = headerCache.find(buffer, fieldsStart, fieldsLength, order);
        if (cached >= 0)
        {
            fieldsPresent = headerCache.present(cached);
            replySerial = headerCache.replySerial(cached);
            unixFds = headerCache.unixFds(cached);
            headerCache.load(cached, offset, fieldOffsets, fieldLengths, elementStarts, elementEnds);
        }
        else
        {
            validator.reset(buffer, order, offset, DBusValueValidator.ANY_UNIX_FD);
            parseFields();
            headerCache.store(
                buffer, fieldsStart, fieldsLength, order, fieldsPresent, replySerial, unixFds,
                offset, fieldOffsets, fieldLengths, elementStarts, elementEnds);
        }

        if (bodyOffset != fieldsEnd &&
            (buffer.getLong(bodyOffset - 8, ByteOrder.LITTLE_ENDIAN) >>> ((8 - (bodyOffset - fieldsEnd)) << 3)) != 0)
        {
            int i = fieldsEnd;
            while (buffer.getByte(i) == 0)
            {
                i++;
            }
            throw new DBusCodecException(DBusRule.HEADER_PADDING_NOT_ZERO, i - offset);
        }
        checkRequiredFields();

        if (validateBody)
        {
            validator.reset(buffer, order, offset, unixFds);
            final boolean hasSignature = hasField(DBusHeaderField.SIGNATURE);
            validator.validateValues(
                hasSignature ? fieldOffsets[DBusHeaderField.SIGNATURE] : offset,
                hasSignature ? fieldLengths[DBusHeaderField.SIGNATURE] : 0,
                bodyOffset,
                bodyLength);
            bodyValidated = true;
        }
        valid = true;
    }

    private void parseFields()
    {
        int pos = offset + DBusProtocol.MINIMUM_HEADER_LENGTH;
        final int end = fieldsEnd;
        while (pos < end)
        {
            pos = align(pos, 8, end);
            final int elementStart = pos;
            if (pos >= end)
            {
                throw new DBusCodecException(DBusRule.TRUNCATED, pos - offset);
            }
            final int code = buffer.getByte(pos++) & 0xFF;
            if (code == DBusHeaderField.INVALID)
            {
                throw new DBusCodecException(DBusRule.HEADER_FIELD_INVALID_CODE, elementStart - offset);
            }
            if (code >= DBusHeaderField.KNOWN_COUNT)
            {
                pos = validator.variant(pos, end, 2);
                continue;
            }
            final int bit = 1 << code;
            if ((fieldsPresent & bit) != 0)
            {
                throw new DBusCodecException(DBusRule.HEADER_FIELD_DUPLICATE, elementStart - offset);
            }
            fieldsPresent |= bit;
            elementStarts[code] = elementStart;

            // the element is 8-aligned: code, then the variant's signature 01 <type> 00, then the value at +4,
            // already aligned for every known field type
            final byte fieldType = DBusHeaderField.type(code);
            if (end - elementStart < 4 ||
                (buffer.getInt(elementStart, ByteOrder.LITTLE_ENDIAN) >>> 8) != (0x01 | (fieldType << 8)))
            {
                throw new DBusCodecException(DBusRule.HEADER_FIELD_WRONG_TYPE, pos - offset);
            }
            pos = elementStart + 4;
            if (fieldType == 'u')
            {
                need(pos, 4, end);
                final long value = buffer.getInt(pos, order) & 0xFFFF_FFFFL;
                if (code == DBusHeaderField.REPLY_SERIAL)
                {
                    if (value == 0)
                    {
                        throw new DBusCodecException(DBusRule.ZERO_REPLY_SERIAL, pos - offset);
                    }
                    replySerial = value;
                }
                else
                {
                    unixFds = value;
                }
                pos += 4;
            }
            else if (fieldType == 'g')
            {
                need(pos, 1, end);
                final int len = buffer.getByte(pos) & 0xFF;
                final int text = pos + 1;
                if (len >= end - text)
                {
                    throw new DBusCodecException(DBusRule.TRUNCATED, pos - offset);
                }
                checkSignature(text, len);
                if (buffer.getByte(text + len) != 0)
                {
                    throw new DBusCodecException(DBusRule.STRING_MISSING_NUL, text + len - offset);
                }
                fieldOffsets[code] = text;
                fieldLengths[code] = len;
                pos = text + len + 1;
            }
            else
            {
                need(pos, 4, end);
                final long len = buffer.getInt(pos, order) & 0xFFFF_FFFFL;
                final int text = pos + 4;
                if (len >= end - text)
                {
                    throw new DBusCodecException(DBusRule.TRUNCATED, pos - offset);
                }
                checkName(code, text, (int)len);
                if (buffer.getByte(text + (int)len) != 0)
                {
                    throw new DBusCodecException(DBusRule.STRING_MISSING_NUL, text + (int)len - offset);
                }
                fieldOffsets[code] = text;
                fieldLengths[code] = (int)len;
                pos = text + (int)len + 1;
            }
            elementEnds[code] = pos;
        }
    }

    private void checkSignature(final int text, final int len)
    {
        if (len <= 8)
        {
            final long word = DBusSwar.word(buffer, text, text + len);
            if (len == lastSignatureLength && word == lastSignatureWord)
            {
                return;
            }
            DBusSignatures.validate(buffer, text, len, offset);
            lastSignatureWord = word;
            lastSignatureLength = len;
        }
        else
        {
            DBusSignatures.validate(buffer, text, len, offset);
        }
    }

    private void checkName(final int code, final int text, final int len)
    {
        switch (code)
        {
            case DBusHeaderField.PATH:
                if (!DBusNames.isValidObjectPath(buffer, text, len))
                {
                    throw new DBusCodecException(DBusRule.BAD_OBJECT_PATH, text - offset);
                }
                if (equalsAscii(text, len, DBusProtocol.LOCAL_PATH))
                {
                    throw new DBusCodecException(DBusRule.LOCAL_PATH, text - offset);
                }
                break;

            case DBusHeaderField.INTERFACE:
                if (!DBusNames.isValidInterfaceName(buffer, text, len))
                {
                    throw new DBusCodecException(DBusRule.BAD_INTERFACE_NAME, text - offset);
                }
                if (equalsAscii(text, len, DBusProtocol.LOCAL_INTERFACE))
                {
                    throw new DBusCodecException(DBusRule.LOCAL_INTERFACE, text - offset);
                }
                break;

            case DBusHeaderField.MEMBER:
                if (!DBusNames.isValidMemberName(buffer, text, len))
                {
                    throw new DBusCodecException(DBusRule.BAD_MEMBER_NAME, text - offset);
                }
                break;

            case DBusHeaderField.ERROR_NAME:
                if (!DBusNames.isValidErrorName(buffer, text, len))
                {
                    throw new DBusCodecException(DBusRule.BAD_ERROR_NAME, text - offset);
                }
                break;

            default: // DESTINATION, SENDER
                if (!DBusNames.isValidBusName(buffer, text, len))
                {
                    throw new DBusCodecException(DBusRule.BAD_BUS_NAME, text - offset);
                }
                break;
        }
    }

    private void checkRequiredFields()
    {
        final int at = 12;
        switch (type)
        {
            case DBusProtocol.TYPE_METHOD_CALL:
                require(DBusHeaderField.PATH, DBusRule.MISSING_PATH, at);
                require(DBusHeaderField.MEMBER, DBusRule.MISSING_MEMBER, at);
                break;

            case DBusProtocol.TYPE_METHOD_RETURN:
                require(DBusHeaderField.REPLY_SERIAL, DBusRule.MISSING_REPLY_SERIAL, at);
                break;

            case DBusProtocol.TYPE_ERROR:
                require(DBusHeaderField.ERROR_NAME, DBusRule.MISSING_ERROR_NAME, at);
                require(DBusHeaderField.REPLY_SERIAL, DBusRule.MISSING_REPLY_SERIAL, at);
                break;

            case DBusProtocol.TYPE_SIGNAL:
                require(DBusHeaderField.PATH, DBusRule.MISSING_PATH, at);
                require(DBusHeaderField.INTERFACE, DBusRule.MISSING_INTERFACE, at);
                require(DBusHeaderField.MEMBER, DBusRule.MISSING_MEMBER, at);
                break;

            default:
                break;
        }
    }

    private void require(final int field, final DBusRule rule, final int at)
    {
        if ((fieldsPresent & (1 << field)) == 0)
        {
            throw new DBusCodecException(rule, at);
        }
    }

    private boolean equalsAscii(final int start, final int len, final String text)
    {
        if (len != text.length())
        {
            return false;
        }
        for (int i = 0; i < len; i++)
        {
            if (buffer.getByte(start + i) != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private int align(final int pos, final int alignment, final int end)
    {
        final int padded = pos + ((offset - pos) & (alignment - 1));
        if (padded > end)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - offset);
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
        return new DBusCodecException(DBusRule.PADDING_NOT_ZERO, i - offset);
    }

    private void need(final int pos, final int size, final int end)
    {
        if (size > end - pos)
        {
            throw new DBusCodecException(DBusRule.TRUNCATED, pos - offset);
        }
    }

    private static DBusCodecException framingFault(final int code, final int length)
    {
        switch (code)
        {
            case DBusFraming.BAD_ENDIANNESS: return new DBusCodecException(DBusRule.BAD_ENDIANNESS, 0);
            case DBusFraming.BAD_PROTOCOL_VERSION: return new DBusCodecException(DBusRule.BAD_PROTOCOL_VERSION, 3);
            case DBusFraming.MESSAGE_TOO_LONG: return new DBusCodecException(DBusRule.MESSAGE_TOO_LONG, 4);
            default: return new DBusCodecException(DBusRule.TRUNCATED, Math.max(0, length));
        }
    }
}
