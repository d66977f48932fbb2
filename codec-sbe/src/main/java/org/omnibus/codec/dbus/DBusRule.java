package org.omnibus.codec.dbus;

/**
 * The rules of the D-Bus specification that the codec enforces. A {@link DBusCodecException} names the rule an
 * input broke; the edge can log it and count it per rule.
 */
public enum DBusRule
{
    // framing and fixed header
    /** The input ends before the value or structure it announces is complete. */
    TRUNCATED("input ends before the value is complete"),
    /** Bytes remain after the last value of the body, or the input is longer than the message it frames. */
    TRAILING_BYTES("bytes left over after the last value"),
    /** The first byte is neither 'l' nor 'B'. */
    BAD_ENDIANNESS("endianness byte must be 'l' or 'B'"),
    /** The protocol version byte is not 1. */
    BAD_PROTOCOL_VERSION("major protocol version must be 1"),
    /** Message type 0 (INVALID). */
    BAD_MESSAGE_TYPE("message type must not be 0 (INVALID)"),
    /** Serial 0. */
    ZERO_SERIAL("serial must not be 0"),
    /** The message, header and padding and body included, exceeds 2^27 bytes. */
    MESSAGE_TOO_LONG("message exceeds 128 MiB (2^27 bytes)"),

    // header fields
    /** Header field code 0. */
    HEADER_FIELD_INVALID_CODE("header field code 0 (INVALID) is not allowed"),
    /** A known header field appears twice. */
    HEADER_FIELD_DUPLICATE("header field appears twice"),
    /** A known header field's variant holds another type than the specification assigns. */
    HEADER_FIELD_WRONG_TYPE("header field holds the wrong type"),
    /** A METHOD_CALL or SIGNAL without PATH. */
    MISSING_PATH("PATH is required for method calls and signals"),
    /** A SIGNAL without INTERFACE. */
    MISSING_INTERFACE("INTERFACE is required for signals"),
    /** A METHOD_CALL or SIGNAL without MEMBER. */
    MISSING_MEMBER("MEMBER is required for method calls and signals"),
    /** An ERROR without ERROR_NAME. */
    MISSING_ERROR_NAME("ERROR_NAME is required for errors"),
    /** A METHOD_RETURN or ERROR without REPLY_SERIAL. */
    MISSING_REPLY_SERIAL("REPLY_SERIAL is required for method returns and errors"),
    /** REPLY_SERIAL is 0. */
    ZERO_REPLY_SERIAL("REPLY_SERIAL must not be 0"),
    /** PATH is /org/freedesktop/DBus/Local, reserved for local use. */
    LOCAL_PATH("PATH /org/freedesktop/DBus/Local is reserved"),
    /** INTERFACE is org.freedesktop.DBus.Local, reserved for local use. */
    LOCAL_INTERFACE("INTERFACE org.freedesktop.DBus.Local is reserved"),
    /** The padding between the header fields and the body is not zero. */
    HEADER_PADDING_NOT_ZERO("padding before the body must be nul bytes"),

    // names
    /** An object path breaks the object path rules. */
    BAD_OBJECT_PATH("invalid object path"),
    /** An interface name breaks the interface name rules. */
    BAD_INTERFACE_NAME("invalid interface name"),
    /** A member name breaks the member name rules. */
    BAD_MEMBER_NAME("invalid member name"),
    /** An error name breaks the error name rules (those of interface names). */
    BAD_ERROR_NAME("invalid error name"),
    /** A bus name (DESTINATION or SENDER) breaks the bus name rules. */
    BAD_BUS_NAME("invalid bus name"),

    // signatures
    /** A signature is longer than 255 bytes. */
    SIGNATURE_TOO_LONG("signature longer than 255 bytes"),
    /** A signature holds a byte that is no type code. */
    SIGNATURE_UNKNOWN_TYPE("unknown type code in signature"),
    /** An array type code without an element type. */
    SIGNATURE_MISSING_ARRAY_ELEMENT("array without element type"),
    /** A struct without fields, "()". */
    SIGNATURE_EMPTY_STRUCT("struct without fields"),
    /** A '(' without ')' or a ')' without '('. */
    SIGNATURE_UNBALANCED_STRUCT("unbalanced parentheses"),
    /** A dict entry that is not the element type of an array. */
    SIGNATURE_DICT_ENTRY_OUTSIDE_ARRAY("dict entry outside an array"),
    /** A dict entry without exactly two fields, or an unbalanced brace. */
    SIGNATURE_BAD_DICT_ENTRY("dict entry must hold exactly a key and a value"),
    /** A dict entry whose key is not a basic type. */
    SIGNATURE_DICT_KEY_NOT_BASIC("dict entry key must be a basic type"),
    /** More than 32 nested arrays in a signature. */
    SIGNATURE_ARRAY_TOO_DEEP("more than 32 nested arrays"),
    /** More than 32 nested structs in a signature. */
    SIGNATURE_STRUCT_TOO_DEEP("more than 32 nested structs"),
    /** A variant's signature is empty or holds more than one complete type. */
    VARIANT_NOT_SINGLE_TYPE("variant signature must be a single complete type"),

    // values
    /** An alignment padding byte is not zero. */
    PADDING_NOT_ZERO("alignment padding must be nul bytes"),
    /** A boolean is neither 0 nor 1. */
    BAD_BOOLEAN("boolean must be 0 or 1"),
    /** A string, object path or signature lacks its terminating nul. */
    STRING_MISSING_NUL("string not terminated by a nul byte"),
    /** A string contains a nul byte. */
    STRING_CONTAINS_NUL("string contains a nul byte"),
    /** A string is not strict UTF-8 (overlong forms, surrogates, code points above U+10FFFF). */
    BAD_UTF8("string is not valid UTF-8"),
    /** An array is longer than 2^26 bytes. */
    ARRAY_TOO_LONG("array exceeds 64 MiB (2^26 bytes)"),
    /** An array's length does not end on an element boundary. */
    ARRAY_LENGTH_INCORRECT("array length does not match its elements"),
    /** Containers nested more than 64 deep, variants included. */
    NESTED_TOO_DEEP("containers nested more than 64 deep"),
    /** A Unix fd index is not below the UNIX_FDS header field. */
    UNIX_FD_OUT_OF_RANGE("unix fd index not below UNIX_FDS"),
    /** The value read does not have the type the caller asked for (body cursor misuse). */
    TYPE_MISMATCH("value has another type than requested"),
    /** A message type or field that the SBE envelope cannot carry. */
    NOT_CONVERTIBLE("message cannot be carried by the SBE envelope");

    private final String description;

    DBusRule(final String description)
    {
        this.description = description;
    }

    /**
     * What the rule requires, in words.
     *
     * @return a short description.
     */
    public String description()
    {
        return description;
    }
}
