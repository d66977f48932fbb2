package org.omnibus.codec.dbus;

/**
 * Constants of the D-Bus wire protocol (D-Bus specification, "Message Protocol").
 */
public final class DBusProtocol
{
    /** Endianness byte of a little-endian message. */
    public static final byte LITTLE_ENDIAN = 'l';
    /** Endianness byte of a big-endian message. */
    public static final byte BIG_ENDIAN = 'B';
    /** The only major protocol version. */
    public static final int PROTOCOL_VERSION = 1;

    /** Message type 0 is invalid. */
    public static final int TYPE_INVALID = 0;
    /** Method call. */
    public static final int TYPE_METHOD_CALL = 1;
    /** Method reply with returned data. */
    public static final int TYPE_METHOD_RETURN = 2;
    /** Error reply. */
    public static final int TYPE_ERROR = 3;
    /** Signal emission. */
    public static final int TYPE_SIGNAL = 4;

    /** Flag: the sender expects no reply. */
    public static final int FLAG_NO_REPLY_EXPECTED = 0x1;
    /** Flag: the bus must not launch an owner for the destination name. */
    public static final int FLAG_NO_AUTO_START = 0x2;
    /** Flag: the caller is prepared to wait for interactive authorization. */
    public static final int FLAG_ALLOW_INTERACTIVE_AUTHORIZATION = 0x4;

    /** Length of the fixed part of the header: endianness, type, flags, version, body length, serial. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** The fixed header plus the length of the header-fields array: what framing needs to see. */
    public static final int MINIMUM_HEADER_LENGTH = 16;

    /** Maximum length of a whole message, 2^27 bytes (128 MiB). */
    public static final int MAX_MESSAGE_LENGTH = 134_217_728;
    /** Maximum length of the data of an array, 2^26 bytes (64 MiB). */
    public static final int MAX_ARRAY_LENGTH = 67_108_864;
    /** Maximum length of a signature in bytes. */
    public static final int MAX_SIGNATURE_LENGTH = 255;
    /** Maximum length of a bus, interface, member or error name in bytes. */
    public static final int MAX_NAME_LENGTH = 255;
    /** Maximum nesting of arrays in a signature, and separately of structs. */
    public static final int MAX_TYPE_NESTING = 32;
    /** Maximum nesting of containers (arrays, structs, dict entries, variants) in a value. */
    public static final int MAX_VALUE_NESTING = 64;

    /** Path reserved for messages libdbus synthesises locally; never valid on the wire. */
    public static final String LOCAL_PATH = "/org/freedesktop/DBus/Local";
    /** Interface reserved for messages libdbus synthesises locally; never valid on the wire. */
    public static final String LOCAL_INTERFACE = "org.freedesktop.DBus.Local";

    private DBusProtocol()
    {
    }

    /**
     * Name of a message type, for logs.
     *
     * @param type the message type byte.
     * @return its name in the specification's spelling.
     */
    public static String typeName(final int type)
    {
        switch (type)
        {
            case TYPE_METHOD_CALL: return "method_call";
            case TYPE_METHOD_RETURN: return "method_return";
            case TYPE_ERROR: return "error";
            case TYPE_SIGNAL: return "signal";
            default: return "unknown(" + type + ")";
        }
    }
}
