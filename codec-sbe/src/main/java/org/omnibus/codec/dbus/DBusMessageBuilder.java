package org.omnibus.codec.dbus;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds complete D-Bus messages of any type, in either byte order, from Java values. Convenient, allocating:
 * for tests, tools, the driver's replies and bus-api. Header fields are written in the order they were first set
 * (the factories set them in field-code order); the SIGNATURE field is added after them when a body is given and
 * it was not set. {@link #build()} validates what it built with a {@link DBusMessageFlyweight}.
 * <pre>{@code
 * byte[] signal = DBusMessageBuilder.signal("/org/example", "org.example.Iface", "Changed")
 *     .serial(7).body("sa{sv}", "name", Map.of("key", new DBusVariant("i", 1))).build();
 * }</pre>
 */
public final class DBusMessageBuilder
{
    private final Map<Integer, Object> fields = new LinkedHashMap<>();
    private final List<Object[]> extraFields = new ArrayList<>();
    private int type;
    private int flags;
    private long serial = 1;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private String bodySignature = "";
    private List<?> bodyValues = List.of();
    private byte[] rawBody;

    /**
     * A builder for a message of the given type with no fields.
     *
     * @param type the message type byte.
     */
    public DBusMessageBuilder(final int type)
    {
        this.type = type;
    }

    /**
     * A METHOD_CALL.
     *
     * @param destination bus name, or null for none.
     * @param path        object path.
     * @param iface       interface name, or null for none.
     * @param member      method name.
     * @return the builder.
     */
    public static DBusMessageBuilder methodCall(
        final String destination, final String path, final String iface, final String member)
    {
        final DBusMessageBuilder builder = new DBusMessageBuilder(DBusProtocol.TYPE_METHOD_CALL)
            .path(path).interfaceName(iface).member(member);
        return builder.destination(destination);
    }

    /**
     * A SIGNAL.
     *
     * @param path   object path of the emitter.
     * @param iface  interface name.
     * @param member signal name.
     * @return the builder.
     */
    public static DBusMessageBuilder signal(final String path, final String iface, final String member)
    {
        return new DBusMessageBuilder(DBusProtocol.TYPE_SIGNAL).path(path).interfaceName(iface).member(member);
    }

    /**
     * A METHOD_RETURN.
     *
     * @param replySerial serial of the call answered.
     * @return the builder.
     */
    public static DBusMessageBuilder methodReturn(final long replySerial)
    {
        return new DBusMessageBuilder(DBusProtocol.TYPE_METHOD_RETURN).replySerial(replySerial);
    }

    /**
     * An ERROR.
     *
     * @param replySerial serial of the call answered.
     * @param errorName   error name.
     * @return the builder.
     */
    public static DBusMessageBuilder error(final long replySerial, final String errorName)
    {
        return new DBusMessageBuilder(DBusProtocol.TYPE_ERROR).errorName(errorName).replySerial(replySerial);
    }

    /**
     * @param type message type byte.
     * @return this.
     */
    public DBusMessageBuilder type(final int type)
    {
        this.type = type;
        return this;
    }

    /**
     * @param flags flags byte.
     * @return this.
     */
    public DBusMessageBuilder flags(final int flags)
    {
        this.flags = flags;
        return this;
    }

    /**
     * @param serial serial (default 1).
     * @return this.
     */
    public DBusMessageBuilder serial(final long serial)
    {
        this.serial = serial;
        return this;
    }

    /**
     * @param order byte order (default little-endian).
     * @return this.
     */
    public DBusMessageBuilder byteOrder(final ByteOrder order)
    {
        this.order = order;
        return this;
    }

    /**
     * @param path PATH, or null to remove it.
     * @return this.
     */
    public DBusMessageBuilder path(final String path)
    {
        return field(DBusHeaderField.PATH, path);
    }

    /**
     * @param name INTERFACE, or null to remove it.
     * @return this.
     */
    public DBusMessageBuilder interfaceName(final String name)
    {
        return field(DBusHeaderField.INTERFACE, name);
    }

    /**
     * @param name MEMBER, or null to remove it.
     * @return this.
     */
    public DBusMessageBuilder member(final String name)
    {
        return field(DBusHeaderField.MEMBER, name);
    }

    /**
     * @param name ERROR_NAME, or null to remove it.
     * @return this.
     */
    public DBusMessageBuilder errorName(final String name)
    {
        return field(DBusHeaderField.ERROR_NAME, name);
    }

    /**
     * @param name DESTINATION, or null to remove it.
     * @return this.
     */
    public DBusMessageBuilder destination(final String name)
    {
        return field(DBusHeaderField.DESTINATION, name);
    }

    /**
     * @param name SENDER, or null to remove it.
     * @return this.
     */
    public DBusMessageBuilder sender(final String name)
    {
        return field(DBusHeaderField.SENDER, name);
    }

    /**
     * Set the SIGNATURE field explicitly (e.g. to write it where a test wants it); {@link #body} sets it otherwise.
     *
     * @param signature the signature, or null to remove it.
     * @return this.
     */
    public DBusMessageBuilder signature(final String signature)
    {
        return field(DBusHeaderField.SIGNATURE, signature);
    }

    /**
     * @param replySerial REPLY_SERIAL.
     * @return this.
     */
    public DBusMessageBuilder replySerial(final long replySerial)
    {
        return field(DBusHeaderField.REPLY_SERIAL, replySerial);
    }

    /**
     * @param unixFds UNIX_FDS.
     * @return this.
     */
    public DBusMessageBuilder unixFds(final long unixFds)
    {
        return field(DBusHeaderField.UNIX_FDS, unixFds);
    }

    /**
     * Add a header field of a code this codec does not know (10..255), written after the known ones.
     *
     * @param code      the field code.
     * @param signature single complete type of the value.
     * @param value     the value.
     * @return this.
     */
    public DBusMessageBuilder unknownField(final int code, final String signature, final Object value)
    {
        extraFields.add(new Object[]{ code, signature, value });
        return this;
    }

    /**
     * Set the body.
     *
     * @param signature signature of the values.
     * @param values    one value per complete type.
     * @return this.
     */
    public DBusMessageBuilder body(final String signature, final Object... values)
    {
        return bodyList(signature, Arrays.asList(values));
    }

    /**
     * Set the body.
     *
     * @param signature signature of the values.
     * @param values    one value per complete type.
     * @return this.
     */
    public DBusMessageBuilder bodyList(final String signature, final List<?> values)
    {
        this.bodySignature = signature;
        this.bodyValues = values;
        this.rawBody = null;
        return this;
    }

    /**
     * Set an already-marshalled body (in this builder's byte order).
     *
     * @param signature its signature.
     * @param body      its bytes.
     * @return this.
     */
    public DBusMessageBuilder rawBody(final String signature, final byte[] body)
    {
        this.bodySignature = signature;
        this.rawBody = body.clone();
        return this;
    }

    /**
     * Build and validate.
     *
     * @return the message bytes.
     * @throws DBusCodecException if the message would break a rule (e.g. a bad name).
     */
    public byte[] build()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = buildInto(buffer, 0);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /**
     * Build without validating: for tests that need a message breaking a rule.
     *
     * @return the message bytes.
     */
    public byte[] buildUnvalidated()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = write(buffer, 0);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /**
     * Build into a buffer and validate.
     *
     * @param buffer to write into; must have the capacity (an {@link ExpandableArrayBuffer} grows).
     * @param offset where the message starts.
     * @return the message length.
     * @throws DBusCodecException if the message would break a rule.
     */
    public int buildInto(final MutableDirectBuffer buffer, final int offset)
    {
        final int length = write(buffer, offset);
        new DBusMessageFlyweight().wrap(buffer, offset, length);
        return length;
    }

    private DBusMessageBuilder field(final int code, final Object value)
    {
        if (value == null)
        {
            fields.remove(code);
        }
        else
        {
            fields.put(code, value);
        }
        return this;
    }

    private int write(final MutableDirectBuffer buffer, final int offset)
    {
        final ExpandableArrayBuffer body = new ExpandableArrayBuffer(64);
        final int bodyLength;
        if (rawBody != null)
        {
            body.putBytes(0, rawBody);
            bodyLength = rawBody.length;
        }
        else
        {
            final DBusMarshaller marshaller = new DBusMarshaller().wrap(body, 0, 0, order);
            DBusValues.write(marshaller, bodySignature, bodyValues);
            bodyLength = marshaller.position();
        }

        final byte endianness = order == ByteOrder.LITTLE_ENDIAN ? DBusProtocol.LITTLE_ENDIAN : DBusProtocol.BIG_ENDIAN;
        final DBusHeaderEncoder header = new DBusHeaderEncoder()
            .wrap(buffer, offset, endianness)
            .type(type)
            .flags(flags)
            .serial(serial)
            .bodyLength(bodyLength);
        for (final Map.Entry<Integer, Object> field : fields.entrySet())
        {
            final int code = field.getKey();
            if (code == DBusHeaderField.REPLY_SERIAL || code == DBusHeaderField.UNIX_FDS)
            {
                header.uint32Field(code, (Long)field.getValue());
            }
            else
            {
                header.stringField(code, (String)field.getValue());
            }
        }
        if (!fields.containsKey(DBusHeaderField.SIGNATURE) && !bodySignature.isEmpty())
        {
            header.signature(bodySignature);
        }
        for (final Object[] extra : extraFields)
        {
            header.field((Integer)extra[0], (String)extra[1], extra[2]);
        }
        final int headerLength = header.finish();
        buffer.putBytes(offset + headerLength, body, 0, bodyLength);
        return headerLength + bodyLength;
    }
}
