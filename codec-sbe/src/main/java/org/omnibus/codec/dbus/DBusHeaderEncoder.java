package org.omnibus.codec.dbus;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Writes a D-Bus message header (fixed part, header-fields array, padding to 8) in front of a body, allocation-free.
 * The edge uses it to re-frame a message whose body it forwards untouched: copy the fields of the received message
 * but the sender, add the sender it vouches for, then copy the body behind the header.
 * <pre>{@code
 * int headerLength = encoder.wrap(out, 0, msg.endianness())
 *     .type(msg.type()).flags(msg.flags()).serial(msg.serial()).bodyLength(msg.bodyLength())
 *     .copyFields(msg, 1 << DBusHeaderField.SENDER)
 *     .sender(uniqueName)
 *     .finish();
 * out.putBytes(headerLength, msg.buffer(), msg.bodyOffset(), msg.bodyLength());
 * }</pre>
 * Fields are written in the order of the calls. The encoder does not validate names; wrap the result with a
 * {@link DBusMessageFlyweight} where the input is not trusted. The header's endianness must be the body's.
 */
public final class DBusHeaderEncoder
{
    private final DBusMarshaller marshaller = new DBusMarshaller();
    private MutableDirectBuffer buffer;
    private int offset;
    private ByteOrder order;

    /**
     * Start a header: writes the fixed part with type 0, no flags, serial 0 and an empty body.
     *
     * @param buffer     to write into.
     * @param offset     index of the message's first byte.
     * @param endianness {@link DBusProtocol#LITTLE_ENDIAN} or {@link DBusProtocol#BIG_ENDIAN}.
     * @return this.
     */
    public DBusHeaderEncoder wrap(final MutableDirectBuffer buffer, final int offset, final byte endianness)
    {
        if (endianness != DBusProtocol.LITTLE_ENDIAN && endianness != DBusProtocol.BIG_ENDIAN)
        {
            throw new IllegalArgumentException("endianness must be 'l' or 'B': " + endianness);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.order = endianness == DBusProtocol.LITTLE_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        buffer.putByte(offset, endianness);
        buffer.putByte(offset + 1, (byte)0);
        buffer.putByte(offset + 2, (byte)0);
        buffer.putByte(offset + 3, (byte)DBusProtocol.PROTOCOL_VERSION);
        buffer.putInt(offset + 4, 0, order);
        buffer.putInt(offset + 8, 0, order);
        buffer.putInt(offset + 12, 0, order);
        marshaller.wrap(buffer, offset, offset + DBusProtocol.MINIMUM_HEADER_LENGTH, order);
        return this;
    }

    /**
     * Append a field of any code, e.g. one this codec does not know, with a variant value; for tests and tools.
     *
     * @param field     the field code (1..255).
     * @param signature single complete type of the value.
     * @param value     the value, in a form {@link DBusValues} accepts.
     * @return this.
     */
    public DBusHeaderEncoder field(final int field, final String signature, final Object value)
    {
        marshaller.beginStruct().putByte((byte)field);
        DBusValues.write(marshaller, "v", java.util.List.of(new DBusVariant(signature, value)));
        return this;
    }

    /**
     * @return the byte order being written.
     */
    public ByteOrder byteOrder()
    {
        return order;
    }

    /**
     * @param type message type byte.
     * @return this.
     */
    public DBusHeaderEncoder type(final int type)
    {
        buffer.putByte(offset + 1, (byte)type);
        return this;
    }

    /**
     * @param flags flags byte.
     * @return this.
     */
    public DBusHeaderEncoder flags(final int flags)
    {
        buffer.putByte(offset + 2, (byte)flags);
        return this;
    }

    /**
     * @param bodyLength length of the body that will follow the header.
     * @return this.
     */
    public DBusHeaderEncoder bodyLength(final int bodyLength)
    {
        buffer.putInt(offset + 4, bodyLength, order);
        return this;
    }

    /**
     * @param serial the serial (unsigned 32 bits, not 0).
     * @return this.
     */
    public DBusHeaderEncoder serial(final long serial)
    {
        buffer.putInt(offset + 8, (int)serial, order);
        return this;
    }

    /**
     * @param path PATH field.
     * @return this.
     */
    public DBusHeaderEncoder path(final CharSequence path)
    {
        return stringField(DBusHeaderField.PATH, path);
    }

    /**
     * @param name INTERFACE field.
     * @return this.
     */
    public DBusHeaderEncoder interfaceName(final CharSequence name)
    {
        return stringField(DBusHeaderField.INTERFACE, name);
    }

    /**
     * @param name MEMBER field.
     * @return this.
     */
    public DBusHeaderEncoder member(final CharSequence name)
    {
        return stringField(DBusHeaderField.MEMBER, name);
    }

    /**
     * @param name ERROR_NAME field.
     * @return this.
     */
    public DBusHeaderEncoder errorName(final CharSequence name)
    {
        return stringField(DBusHeaderField.ERROR_NAME, name);
    }

    /**
     * @param name DESTINATION field.
     * @return this.
     */
    public DBusHeaderEncoder destination(final CharSequence name)
    {
        return stringField(DBusHeaderField.DESTINATION, name);
    }

    /**
     * @param name SENDER field.
     * @return this.
     */
    public DBusHeaderEncoder sender(final CharSequence name)
    {
        return stringField(DBusHeaderField.SENDER, name);
    }

    /**
     * @param signature SIGNATURE field.
     * @return this.
     */
    public DBusHeaderEncoder signature(final CharSequence signature)
    {
        return stringField(DBusHeaderField.SIGNATURE, signature);
    }

    /**
     * @param replySerial REPLY_SERIAL field.
     * @return this.
     */
    public DBusHeaderEncoder replySerial(final long replySerial)
    {
        return uint32Field(DBusHeaderField.REPLY_SERIAL, replySerial);
    }

    /**
     * @param unixFds UNIX_FDS field.
     * @return this.
     */
    public DBusHeaderEncoder unixFds(final long unixFds)
    {
        return uint32Field(DBusHeaderField.UNIX_FDS, unixFds);
    }

    /**
     * Append a string-like field (PATH, INTERFACE, MEMBER, ERROR_NAME, DESTINATION, SENDER, SIGNATURE) from ASCII.
     *
     * @param field the {@link DBusHeaderField} code.
     * @param value its text.
     * @return this.
     */
    public DBusHeaderEncoder stringField(final int field, final CharSequence value)
    {
        final byte type = beginField(field);
        if (type == 'g')
        {
            marshaller.putSignature(value);
        }
        else
        {
            marshaller.putString(value);
        }
        return this;
    }

    /**
     * Append a string-like field from bytes.
     *
     * @param field     the {@link DBusHeaderField} code.
     * @param src       holding its text.
     * @param srcOffset of the first byte.
     * @param length    in bytes.
     * @return this.
     */
    public DBusHeaderEncoder stringField(final int field, final DirectBuffer src, final int srcOffset, final int length)
    {
        final byte type = beginField(field);
        if (type == 'g')
        {
            marshaller.putSignature(src, srcOffset, length);
        }
        else
        {
            marshaller.putString(src, srcOffset, length);
        }
        return this;
    }

    /**
     * Append a string-like field whose text the caller copies in afterwards (e.g. straight from an SBE decoder).
     *
     * @param field  the {@link DBusHeaderField} code.
     * @param length of the text in bytes.
     * @return index in the buffer where the caller must put exactly {@code length} bytes.
     */
    public int reserveStringField(final int field, final int length)
    {
        final byte type = beginField(field);
        if (type == 'g')
        {
            final int position = marshaller.position();
            buffer.putByte(position, (byte)length);
            buffer.putByte(position + 1 + length, (byte)0);
            marshaller.wrap(buffer, offset, position + length + 2, order);
            return position + 1;
        }
        return marshaller.reserveString(length);
    }

    /**
     * Append a uint32 field (REPLY_SERIAL, UNIX_FDS).
     *
     * @param field the {@link DBusHeaderField} code.
     * @param value unsigned 32-bit value.
     * @return this.
     */
    public DBusHeaderEncoder uint32Field(final int field, final long value)
    {
        beginField(field);
        marshaller.putUint32(value);
        return this;
    }

    /**
     * Append a uint64 field of a code this codec does not know ({@code >=} {@link DBusHeaderField#KNOWN_COUNT}),
     * e.g. {@link DBusHeaderField#OMNIBUS_JOURNAL_SEQUENCE}, without allocating.
     *
     * @param field an extension field code (10..255).
     * @param value the value, unsigned 64-bit.
     * @return this.
     */
    public DBusHeaderEncoder uint64Field(final int field, final long value)
    {
        if (field < DBusHeaderField.KNOWN_COUNT || field > 255)
        {
            throw new IllegalArgumentException("not an extension field code: " + field);
        }
        // code, then the variant's signature: length 1, 't', nul; the value 8-aligned
        marshaller.beginStruct().putLittleEndianInt(field | 0x100 | ('t' << 16));
        marshaller.putInt64(value);
        return this;
    }

    /**
     * Copy the known fields of a message, in field-code order, except those in {@code excludeMask}.
     *
     * @param message     a wrapped message.
     * @param excludeMask bits {@code 1 << code} of fields not to copy (e.g. SENDER).
     * @return this.
     */
    public DBusHeaderEncoder copyFields(final DBusMessageFlyweight message, final int excludeMask)
    {
        final int fields = message.fieldsPresent() & ~excludeMask;
        for (int code = 1; code < DBusHeaderField.KNOWN_COUNT; code++)
        {
            if ((fields & (1 << code)) != 0)
            {
                if (code == DBusHeaderField.REPLY_SERIAL)
                {
                    uint32Field(code, message.replySerial());
                }
                else if (code == DBusHeaderField.UNIX_FDS)
                {
                    uint32Field(code, message.unixFds());
                }
                else
                {
                    stringField(code, message.buffer(), message.fieldOffset(code), message.fieldLength(code));
                }
            }
        }
        return this;
    }

    /**
     * Finish the header: writes the header-fields array length and the nul padding to 8.
     *
     * @return the header length, i.e. where the body starts relative to the message's first byte.
     */
    public int finish()
    {
        final int fieldsEnd = marshaller.position();
        buffer.putInt(offset + 12, fieldsEnd - offset - DBusProtocol.MINIMUM_HEADER_LENGTH, order);
        marshaller.align(8);
        return marshaller.position() - offset;
    }

    private byte beginField(final int field)
    {
        final byte type = DBusHeaderField.type(field);
        if (type == 0)
        {
            throw new IllegalArgumentException("not a known header field: " + field);
        }
        // code, then the variant signature: length 1, the type, nul
        marshaller.beginStruct().putLittleEndianInt(field | 0x100 | (type << 16));
        return type;
    }
}
