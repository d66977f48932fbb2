package org.omnibus.bus.name;

/**
 * RequestName flags and the replies of RequestName and ReleaseName, with the numbers of the D-Bus specification.
 */
public final class NameFlags
{
    /** Let another connection take the name with REPLACE_EXISTING. */
    public static final int ALLOW_REPLACEMENT = 0x1;
    /** Take the name from its owner if it allows replacement. */
    public static final int REPLACE_EXISTING = 0x2;
    /** Do not wait in the queue; fail (or lose the name) instead. */
    public static final int DO_NOT_QUEUE = 0x4;

    /** RequestName: the caller is now the primary owner. */
    public static final int REQUEST_PRIMARY_OWNER = 1;
    /** RequestName: the caller waits in the queue. */
    public static final int REQUEST_IN_QUEUE = 2;
    /** RequestName: the name has another owner and the caller was not queued. */
    public static final int REQUEST_EXISTS = 3;
    /** RequestName: the caller already was the primary owner. */
    public static final int REQUEST_ALREADY_OWNER = 4;
    /** RequestName (not a D-Bus reply): the caller owns or waits for max_names_per_connection names already. */
    public static final int REQUEST_LIMITS_EXCEEDED = -1;

    /** ReleaseName: released (or left the queue). */
    public static final int RELEASE_RELEASED = 1;
    /** ReleaseName: the name has no owner. */
    public static final int RELEASE_NON_EXISTENT = 2;
    /** ReleaseName: the caller neither owns nor waits for the name. */
    public static final int RELEASE_NOT_OWNER = 3;

    private NameFlags()
    {
    }
}
