package org.omnibus.bus;

/**
 * Error names the bus sends, as defined by the D-Bus specification and dbus-daemon.
 */
public final class DBusErrors
{
    /** Generic failure. */
    public static final String FAILED = "org.freedesktop.DBus.Error.Failed";
    /** No owner and no activatable service for a destination. */
    public static final String SERVICE_UNKNOWN = "org.freedesktop.DBus.Error.ServiceUnknown";
    /** A name has no owner. */
    public static final String NAME_HAS_NO_OWNER = "org.freedesktop.DBus.Error.NameHasNoOwner";
    /** A call did not get a reply. */
    public static final String NO_REPLY = "org.freedesktop.DBus.Error.NoReply";
    /** Policy or privilege forbids the operation. */
    public static final String ACCESS_DENIED = "org.freedesktop.DBus.Error.AccessDenied";
    /** A resource limit was reached. */
    public static final String LIMITS_EXCEEDED = "org.freedesktop.DBus.Error.LimitsExceeded";
    /** Invalid arguments. */
    public static final String INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs";
    /** Unknown method. */
    public static final String UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod";
    /** Unknown interface. */
    public static final String UNKNOWN_INTERFACE = "org.freedesktop.DBus.Error.UnknownInterface";
    /** Unknown object. */
    public static final String UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject";
    /** Unknown property. */
    public static final String UNKNOWN_PROPERTY = "org.freedesktop.DBus.Error.UnknownProperty";
    /** Read-only property. */
    public static final String PROPERTY_READ_ONLY = "org.freedesktop.DBus.Error.PropertyReadOnly";
    /** Match rule syntax error. */
    public static final String MATCH_RULE_INVALID = "org.freedesktop.DBus.Error.MatchRuleInvalid";
    /** RemoveMatch of a rule that was not added. */
    public static final String MATCH_RULE_NOT_FOUND = "org.freedesktop.DBus.Error.MatchRuleNotFound";
    /** Operation not supported. */
    public static final String NOT_SUPPORTED = "org.freedesktop.DBus.Error.NotSupported";
    /** The pid of a connection is unknown. */
    public static final String UNIX_PROCESS_ID_UNKNOWN = "org.freedesktop.DBus.Error.UnixProcessIdUnknown";
    /** No ADT audit data. */
    public static final String ADT_AUDIT_DATA_UNKNOWN = "org.freedesktop.DBus.Error.AdtAuditDataUnknown";
    /** No SELinux context. */
    public static final String SELINUX_SECURITY_CONTEXT_UNKNOWN =
        "org.freedesktop.DBus.Error.SELinuxSecurityContextUnknown";

    private DBusErrors()
    {
    }
}
