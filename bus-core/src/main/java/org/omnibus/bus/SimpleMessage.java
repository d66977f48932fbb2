package org.omnibus.bus;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A message held as plain Java values: the form of messages the bus driver produces (replies, errors, signals)
 * and a convenient {@link MessageView} for tests. The edge marshals it with the D-Bus codec.
 * <p>
 * Fluent setters; not thread safe. Argument bytes are computed when the body is set, so the {@link MessageView}
 * accessors do not allocate.
 */
public final class SimpleMessage implements MessageView
{
    private static final Object[] EMPTY = new Object[0];

    private int type;
    private int flags;
    private int serial;
    private int replySerial;
    private String path;
    private String interfaceName;
    private String member;
    private String errorName;
    private String destination;
    private String sender;
    private String signature = "";
    private int unixFds;
    private Object[] body = EMPTY;
    private char[] argTypes = new char[0];
    private byte[][] argBytes = new byte[0][];

    /**
     * A method call.
     *
     * @param destination destination or null.
     * @param path        object path.
     * @param iface       interface or null.
     * @param member      member.
     * @return the message.
     */
    public static SimpleMessage methodCall(
        final String destination, final String path, final String iface, final String member)
    {
        return new SimpleMessage().type(MessageType.METHOD_CALL).destination(destination).path(path)
            .interfaceName(iface).member(member);
    }

    /**
     * A signal.
     *
     * @param path   object path.
     * @param iface  interface.
     * @param member member.
     * @return the message.
     */
    public static SimpleMessage signal(final String path, final String iface, final String member)
    {
        return new SimpleMessage().type(MessageType.SIGNAL).path(path).interfaceName(iface).member(member);
    }

    /**
     * A method return.
     *
     * @param destination destination.
     * @param replySerial serial of the call.
     * @return the message.
     */
    public static SimpleMessage methodReturn(final String destination, final int replySerial)
    {
        return new SimpleMessage().type(MessageType.METHOD_RETURN).destination(destination).replySerial(replySerial);
    }

    /**
     * An error.
     *
     * @param destination destination.
     * @param replySerial serial of the call.
     * @param errorName   error name.
     * @param text        error message (the body, signature "s").
     * @return the message.
     */
    public static SimpleMessage error(
        final String destination, final int replySerial, final String errorName, final String text)
    {
        return new SimpleMessage().type(MessageType.ERROR).destination(destination).replySerial(replySerial)
            .errorName(errorName).body("s", text);
    }

    /**
     * @param type message type.
     * @return this.
     */
    public SimpleMessage type(final int type)
    {
        this.type = type;
        return this;
    }

    /**
     * @param flags header flags.
     * @return this.
     */
    public SimpleMessage flags(final int flags)
    {
        this.flags = flags;
        return this;
    }

    /**
     * @param serial serial.
     * @return this.
     */
    public SimpleMessage serial(final int serial)
    {
        this.serial = serial;
        return this;
    }

    /**
     * @param replySerial reply serial.
     * @return this.
     */
    public SimpleMessage replySerial(final int replySerial)
    {
        this.replySerial = replySerial;
        return this;
    }

    /**
     * @param path object path or null.
     * @return this.
     */
    public SimpleMessage path(final String path)
    {
        this.path = path;
        return this;
    }

    /**
     * @param interfaceName interface or null.
     * @return this.
     */
    public SimpleMessage interfaceName(final String interfaceName)
    {
        this.interfaceName = interfaceName;
        return this;
    }

    /**
     * @param member member or null.
     * @return this.
     */
    public SimpleMessage member(final String member)
    {
        this.member = member;
        return this;
    }

    /**
     * @param errorName error name or null.
     * @return this.
     */
    public SimpleMessage errorName(final String errorName)
    {
        this.errorName = errorName;
        return this;
    }

    /**
     * @param destination destination or null.
     * @return this.
     */
    public SimpleMessage destination(final String destination)
    {
        this.destination = destination;
        return this;
    }

    /**
     * @param sender sender or null (driver messages carry "org.freedesktop.DBus").
     * @return this.
     */
    public SimpleMessage sender(final String sender)
    {
        this.sender = sender;
        return this;
    }

    /**
     * @param unixFds number of fds.
     * @return this.
     */
    public SimpleMessage unixFds(final int unixFds)
    {
        this.unixFds = unixFds;
        return this;
    }

    /**
     * Set the body.
     *
     * @param signature the body signature.
     * @param values    one value per complete type of the signature, in the forms the codec's
     *                  {@link org.omnibus.codec.dbus.DBusValues} writes (s: CharSequence, u: Number, ay: byte[],
     *                  as: List, a{sv}: Map of {@link org.omnibus.codec.dbus.DBusVariant}...).
     * @return this.
     * @throws IllegalArgumentException if the number of values does not match the signature.
     */
    public SimpleMessage body(final String signature, final Object... values)
    {
        final List<String> types = Signatures.split(signature);
        if (types.size() != values.length)
        {
            throw new IllegalArgumentException(
                "signature " + signature + " has " + types.size() + " types but " + values.length + " values");
        }
        this.signature = signature;
        this.body = values.clone();
        this.argTypes = new char[types.size()];
        this.argBytes = new byte[types.size()][];
        for (int i = 0; i < types.size(); i++)
        {
            final char code = types.get(i).charAt(0);
            argTypes[i] = code;
            if ((code == 's' || code == 'o' || code == 'g') && null != values[i])
            {
                argBytes[i] = values[i].toString().getBytes(StandardCharsets.UTF_8);
            }
        }
        return this;
    }

    /**
     * @return the sender or null.
     */
    public String sender()
    {
        return sender;
    }

    /**
     * @return the body values (not copied).
     */
    public Object[] body()
    {
        return body;
    }

    /** {@inheritDoc} */
    public int type()
    {
        return type;
    }

    /** {@inheritDoc} */
    public int flags()
    {
        return flags;
    }

    /** {@inheritDoc} */
    public int serial()
    {
        return serial;
    }

    /** {@inheritDoc} */
    public int replySerial()
    {
        return replySerial;
    }

    /** {@inheritDoc} */
    public String path()
    {
        return path;
    }

    /** {@inheritDoc} */
    public String interfaceName()
    {
        return interfaceName;
    }

    /** {@inheritDoc} */
    public String member()
    {
        return member;
    }

    /** {@inheritDoc} */
    public String errorName()
    {
        return errorName;
    }

    /** {@inheritDoc} */
    public String destination()
    {
        return destination;
    }

    /** {@inheritDoc} */
    public String signature()
    {
        return signature;
    }

    /** {@inheritDoc} */
    public int unixFds()
    {
        return unixFds;
    }

    /** {@inheritDoc} */
    public int argType(final int index)
    {
        return index < argTypes.length ? argTypes[index] : 0;
    }

    /** {@inheritDoc} */
    public int argLength(final int index)
    {
        return index < argBytes.length && null != argBytes[index] ? argBytes[index].length : -1;
    }

    /** {@inheritDoc} */
    public byte argByte(final int index, final int position)
    {
        return argBytes[index][position];
    }

    /** {@inheritDoc} */
    public Object[] decodeBody()
    {
        return body.clone();
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "SimpleMessage{type=" + MessageType.toString(type) + ", serial=" + Integer.toUnsignedString(serial) +
            ", replySerial=" + Integer.toUnsignedString(replySerial) + ", path=" + path + ", interface=" +
            interfaceName + ", member=" + member + ", errorName=" + errorName + ", destination=" + destination +
            ", sender=" + sender + ", signature=" + signature + ", body=" + Arrays.deepToString(body) + '}';
    }
}
