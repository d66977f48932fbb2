package org.omnibus.bus;

/**
 * The part of a D-Bus message the bus logic reads: header fields and top-level string arguments.
 * <p>
 * The edge adapts the D-Bus codec's flyweight to this interface, so routing never copies a message. Header
 * fields are exposed as {@link CharSequence}s (a flyweight over the wire bytes will do: names and paths are ASCII
 * once the codec validated them) and are {@code null} when absent. String-like arguments are exposed as their
 * UTF-8 bytes so that matching needs no decoding. Serials are unsigned 32-bit values held in an int.
 * <p>
 * Implementations are read many times per routing decision and must not allocate in any method but
 * {@link #decodeBody()}, which is only called for messages to the bus driver.
 */
public interface MessageView
{
    /**
     * @return one of {@link MessageType}.
     */
    int type();

    /**
     * @return header flags, see {@link MessageFlags}.
     */
    int flags();

    /**
     * @return the serial (uint32 in an int).
     */
    int serial();

    /**
     * @return the reply serial, 0 when absent.
     */
    int replySerial();

    /**
     * @return the object path or null.
     */
    CharSequence path();

    /**
     * @return the interface or null.
     */
    CharSequence interfaceName();

    /**
     * @return the member or null.
     */
    CharSequence member();

    /**
     * @return the error name or null.
     */
    CharSequence errorName();

    /**
     * @return the destination or null.
     */
    CharSequence destination();

    /**
     * @return the body signature; null or empty when the body is empty.
     */
    CharSequence signature();

    /**
     * @return number of unix fds the message carries.
     */
    int unixFds();

    /**
     * The D-Bus type code of a top-level body argument.
     *
     * @param index argument index, 0 based.
     * @return the type code ('s', 'o', 'u', 'a'...), or 0 when the body has fewer arguments.
     */
    int argType(int index);

    /**
     * Length of a string-like argument (type 's', 'o' or 'g').
     *
     * @param index argument index.
     * @return its length in UTF-8 bytes, or -1 when the argument is absent or not string-like.
     */
    int argLength(int index);

    /**
     * One UTF-8 byte of a string-like argument.
     *
     * @param index    argument index.
     * @param position byte position, 0 &lt;= position &lt; {@link #argLength(int)}.
     * @return the byte.
     */
    byte argByte(int index, int position);

    /**
     * Decode the whole body into Java values (control path only), in the forms of the codec's
     * {@link org.omnibus.codec.dbus.DBusValues}: y Byte, b Boolean, n Short, q/i Integer, u/x/t Long, d Double,
     * s String, o {@link org.omnibus.codec.dbus.DBusObjectPath}, g {@link org.omnibus.codec.dbus.DBusSignature},
     * v {@link org.omnibus.codec.dbus.DBusVariant}, a List, a{..} LinkedHashMap, (..)
     * {@link org.omnibus.codec.dbus.DBusStruct}, h {@link org.omnibus.codec.dbus.DBusUnixFd}. The driver only
     * needs s, u, a{ss} and v.
     *
     * @return the values, one per top-level argument.
     */
    Object[] decodeBody();

    /**
     * @return true when the NO_REPLY_EXPECTED flag is set.
     */
    default boolean noReplyExpected()
    {
        return (flags() & MessageFlags.NO_REPLY_EXPECTED) != 0;
    }
}
