package org.omnibus.codec.dbus;

/**
 * Header field codes of the D-Bus header's {@code a(yv)} array, and the type each must have.
 */
public final class DBusHeaderField
{
    /** Code 0 is invalid. */
    public static final int INVALID = 0;
    /** Object path ({@code o}): target of a call, emitter of a signal. */
    public static final int PATH = 1;
    /** Interface name ({@code s}). */
    public static final int INTERFACE = 2;
    /** Member name ({@code s}): method or signal name. */
    public static final int MEMBER = 3;
    /** Error name ({@code s}). */
    public static final int ERROR_NAME = 4;
    /** Serial of the message this one replies to ({@code u}). */
    public static final int REPLY_SERIAL = 5;
    /** Bus name of the recipient ({@code s}). */
    public static final int DESTINATION = 6;
    /** Unique name of the sender ({@code s}), set by the bus. */
    public static final int SENDER = 7;
    /** Signature of the body ({@code g}); absent means empty. */
    public static final int SIGNATURE = 8;
    /** Number of Unix file descriptors accompanying the message ({@code u}). */
    public static final int UNIX_FDS = 9;

    /**
     * Omnibus extension ({@code t}): the global sequence of a message a durable subscription
     * ({@code org.omnibus.Journal.Subscribe}) delivers. Only the bus writes it, always as the first field of the
     * header; other D-Bus libraries skip unknown codes as the specification asks, and the bus drops unknown
     * fields from what peers send (HeaderFiltering), so a peer cannot forge it. Not a known field here.
     */
    public static final int OMNIBUS_JOURNAL_SEQUENCE = 128;
    /**
     * Omnibus extension ({@code t}): the durable subscription a message is delivered for, the second field of the
     * header right after {@link #OMNIBUS_JOURNAL_SEQUENCE} (a connection may hold several subscriptions).
     */
    public static final int OMNIBUS_JOURNAL_SUBSCRIPTION = 129;

    /** One more than the highest known code; codes at or above it are ignored when read. */
    public static final int KNOWN_COUNT = 10;

    private static final byte[] TYPES = { 0, 'o', 's', 's', 's', 'u', 's', 's', 'g', 'u' };
    private static final String[] NAMES =
    {
        "INVALID", "PATH", "INTERFACE", "MEMBER", "ERROR_NAME", "REPLY_SERIAL", "DESTINATION", "SENDER",
        "SIGNATURE", "UNIX_FDS"
    };

    private DBusHeaderField()
    {
    }

    /**
     * The type code a known field's variant must hold.
     *
     * @param code a field code in 1..9.
     * @return its type code ({@code o}, {@code s}, {@code u} or {@code g}), or 0 for an unknown code.
     */
    public static byte type(final int code)
    {
        return code > 0 && code < KNOWN_COUNT ? TYPES[code] : 0;
    }

    /**
     * Whether a known field holds a string-like value (o, s or g), as opposed to a uint32.
     *
     * @param code a field code.
     * @return true for PATH, INTERFACE, MEMBER, ERROR_NAME, DESTINATION, SENDER and SIGNATURE.
     */
    public static boolean isStringField(final int code)
    {
        final byte type = type(code);
        return type == 'o' || type == 's' || type == 'g';
    }

    /**
     * Name of a field code, for logs.
     *
     * @param code a field code.
     * @return its name in the specification's spelling.
     */
    public static String name(final int code)
    {
        return code >= 0 && code < KNOWN_COUNT ? NAMES[code] : "UNKNOWN(" + code + ")";
    }
}
