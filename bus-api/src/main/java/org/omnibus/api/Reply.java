package org.omnibus.api;

import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;
import org.omnibus.codec.dbus.DBusValues;

import java.util.List;

/**
 * The answer to a method call: a method return or an error, with its arguments decoded.
 *
 * @param errorName the error name, or null for a method return.
 * @param signature the body's signature ("" when empty).
 * @param body      the arguments (D-Bus values as {@link DBusValues} reads them: uint32 and uint64 as Long, …).
 */
public record Reply(String errorName, String signature, List<Object> body)
{
    /**
     * @return true for an error.
     */
    public boolean isError()
    {
        return errorName != null;
    }

    /**
     * @param index an argument index.
     * @return the argument.
     */
    public Object arg(final int index)
    {
        return body.get(index);
    }

    /**
     * @param index an argument index of a numeric type.
     * @return its value as a long (uint64 as its bits).
     */
    public long longArg(final int index)
    {
        return ((Number)body.get(index)).longValue();
    }

    /**
     * @return this reply if it is not an error.
     * @throws DBusException if it is one.
     */
    public Reply orThrow() throws DBusException
    {
        if (errorName != null)
        {
            throw new DBusException(errorName, body.isEmpty() ? "" : String.valueOf(body.get(0)));
        }
        return this;
    }

    /**
     * Copy a received message's body out of the read buffer.
     *
     * @param message a wrapped message.
     * @return its arguments.
     */
    public static List<Object> bodyOf(final DBusMessageFlyweight message)
    {
        return DBusValues.readBody(message);
    }

    static Reply of(final DBusMessageFlyweight message)
    {
        final String signature = message.signature();
        return new Reply(message.type() == DBusProtocol.TYPE_ERROR ? message.errorName() : null,
            signature == null ? "" : signature, DBusValues.readBody(message));
    }
}
