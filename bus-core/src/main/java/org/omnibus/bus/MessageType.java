package org.omnibus.bus;

/**
 * D-Bus message types, with the numbers of the D-Bus header.
 */
public final class MessageType
{
    /** Not a valid type; in match rules and policy it means "any". */
    public static final int INVALID = 0;
    /** A method call. */
    public static final int METHOD_CALL = 1;
    /** A method return. */
    public static final int METHOD_RETURN = 2;
    /** An error reply. */
    public static final int ERROR = 3;
    /** A signal. */
    public static final int SIGNAL = 4;

    private MessageType()
    {
    }

    /**
     * The name used in match rules and policy files (as dbus_message_type_to_string).
     *
     * @param type a message type.
     * @return "method_call", "method_return", "error", "signal" or "invalid".
     */
    public static String toString(final int type)
    {
        switch (type)
        {
            case METHOD_CALL:
                return "method_call";
            case METHOD_RETURN:
                return "method_return";
            case ERROR:
                return "error";
            case SIGNAL:
                return "signal";
            default:
                return "invalid";
        }
    }

    /**
     * Parse a type name (as dbus_message_type_from_string).
     *
     * @param name "method_call", "method_return", "error" or "signal".
     * @return the type, or {@link #INVALID} for anything else.
     */
    public static int fromString(final String name)
    {
        switch (name)
        {
            case "method_call":
                return METHOD_CALL;
            case "method_return":
                return METHOD_RETURN;
            case "error":
                return ERROR;
            case "signal":
                return SIGNAL;
            default:
                return INVALID;
        }
    }

    /**
     * @param type a message type.
     * @return true for method returns and errors.
     */
    public static boolean isReply(final int type)
    {
        return type == METHOD_RETURN || type == ERROR;
    }
}
