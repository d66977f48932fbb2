package org.omnibus.systemtest;

import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;
import org.omnibus.codec.dbus.DBusValues;

import java.util.List;

/**
 * A message a {@link WireClient} received, copied out of the wire (allocating: tests only).
 *
 * @param type        message type byte.
 * @param flags       flags byte.
 * @param serial      serial given by the sender.
 * @param replySerial REPLY_SERIAL, 0 if absent.
 * @param sender      SENDER, null if absent.
 * @param destination DESTINATION, null if absent.
 * @param path        PATH, null if absent.
 * @param iface       INTERFACE, null if absent.
 * @param member      MEMBER, null if absent.
 * @param errorName   ERROR_NAME, null if absent.
 * @param signature   SIGNATURE, "" if absent.
 * @param body        the arguments, in {@link DBusValues}' read-back forms.
 */
public record WireMessage(
    int type,
    int flags,
    long serial,
    long replySerial,
    String sender,
    String destination,
    String path,
    String iface,
    String member,
    String errorName,
    String signature,
    List<Object> body)
{
    /** Type of the marker that stands for the end of the stream (the bus closed the connection). */
    public static final int TYPE_END_OF_STREAM = -1;

    /** The marker for the end of the stream. */
    public static final WireMessage END_OF_STREAM =
        new WireMessage(TYPE_END_OF_STREAM, 0, 0, 0, null, null, null, null, null, null, "", List.of());

    /**
     * Copy a wrapped (validated) message.
     *
     * @param message the message.
     * @return the copy.
     */
    public static WireMessage of(final DBusMessageFlyweight message)
    {
        return new WireMessage(
            message.type(),
            message.flags(),
            message.serial(),
            message.replySerial(),
            message.sender(),
            message.destination(),
            message.path(),
            message.interfaceName(),
            message.member(),
            message.errorName(),
            message.signature() == null ? "" : message.signature(),
            DBusValues.readBody(message));
    }

    /**
     * @return true for the end-of-stream marker.
     */
    public boolean isEndOfStream()
    {
        return type == TYPE_END_OF_STREAM;
    }

    /**
     * @return true for a METHOD_RETURN.
     */
    public boolean isReturn()
    {
        return type == DBusProtocol.TYPE_METHOD_RETURN;
    }

    /**
     * @return true for an ERROR.
     */
    public boolean isError()
    {
        return type == DBusProtocol.TYPE_ERROR;
    }

    /**
     * @return true for a SIGNAL.
     */
    public boolean isSignal()
    {
        return type == DBusProtocol.TYPE_SIGNAL;
    }

    /**
     * @return true for a METHOD_CALL.
     */
    public boolean isCall()
    {
        return type == DBusProtocol.TYPE_METHOD_CALL;
    }

    /**
     * @param index argument index.
     * @return the argument.
     */
    public Object arg(final int index)
    {
        return body.get(index);
    }

    /**
     * @return a one-line description for failure messages.
     */
    public String toString()
    {
        if (isEndOfStream())
        {
            return "<end of stream>";
        }
        return DBusProtocol.typeName(type) + " serial=" + serial +
            (replySerial != 0 ? " reply_serial=" + replySerial : "") + " sender=" + sender + " dest=" + destination +
            " path=" + path + " iface=" + iface + " member=" + member +
            (errorName != null ? " error=" + errorName : "") + " sig=" + signature + " body=" + body;
    }
}
