package org.omnibus.bus.peer;

import java.util.Arrays;

/**
 * What the edge learned about a connecting process (SO_PEERCRED and friends). Immutable.
 */
public final class PeerCredentials
{
    /** Marker for an unknown uid or pid. */
    public static final long UNKNOWN = -1L;

    private final long uid;
    private final long[] gids;
    private final long pid;
    private final String command;
    private final byte[] securityLabel;

    /**
     * @param uid           unix user id or {@link #UNKNOWN}.
     * @param gids          unix group ids (primary first), empty when unknown.
     * @param pid           process id or {@link #UNKNOWN}.
     * @param command       the process' command name for log messages (comm), or null.
     * @param securityLabel the LSM label (without trailing NUL) or null.
     */
    public PeerCredentials(
        final long uid, final long[] gids, final long pid, final String command, final byte[] securityLabel)
    {
        this.uid = uid;
        this.gids = null == gids ? new long[0] : gids.clone();
        this.pid = pid;
        this.command = command;
        this.securityLabel = null == securityLabel ? null : securityLabel.clone();
    }

    /**
     * @param uid  unix user id.
     * @param gids unix group ids.
     * @param pid  process id.
     * @return credentials without command name or label.
     */
    public static PeerCredentials of(final long uid, final long[] gids, final long pid)
    {
        return new PeerCredentials(uid, gids, pid, null, null);
    }

    /**
     * @return credentials where everything is unknown (e.g. ANONYMOUS authentication).
     */
    public static PeerCredentials unknown()
    {
        return new PeerCredentials(UNKNOWN, null, UNKNOWN, null, null);
    }

    /**
     * @return uid or {@link #UNKNOWN}.
     */
    public long uid()
    {
        return uid;
    }

    /**
     * @return group ids (a copy).
     */
    public long[] gids()
    {
        return gids.clone();
    }

    /**
     * @return number of group ids.
     */
    public int gidCount()
    {
        return gids.length;
    }

    /**
     * @param index index of a group id.
     * @return the group id.
     */
    public long gid(final int index)
    {
        return gids[index];
    }

    /**
     * @return pid or {@link #UNKNOWN}.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * @return command name or null.
     */
    public String command()
    {
        return command;
    }

    /**
     * @return security label (a copy) or null.
     */
    public byte[] securityLabel()
    {
        return null == securityLabel ? null : securityLabel.clone();
    }

    /**
     * The description dbus-daemon puts in log and error messages: {@code uid=1000 pid=42 comm="foo"}.
     *
     * @return the description, possibly empty.
     */
    public String loginfo()
    {
        final StringBuilder sb = new StringBuilder();
        if (uid != UNKNOWN)
        {
            sb.append("uid=").append(uid);
        }
        if (pid != UNKNOWN)
        {
            if (sb.length() > 0)
            {
                sb.append(' ');
            }
            sb.append("pid=").append(pid).append(" comm=\"").append(null == command ? "" : command).append('"');
        }
        return sb.toString();
    }

    /** {@inheritDoc} */
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof PeerCredentials))
        {
            return false;
        }
        final PeerCredentials that = (PeerCredentials)o;
        return uid == that.uid && pid == that.pid && Arrays.equals(gids, that.gids) &&
            java.util.Objects.equals(command, that.command) && Arrays.equals(securityLabel, that.securityLabel);
    }

    /** {@inheritDoc} */
    public int hashCode()
    {
        return Long.hashCode(uid) * 31 + Long.hashCode(pid) * 17 + Arrays.hashCode(gids);
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "PeerCredentials{uid=" + uid + ", gids=" + Arrays.toString(gids) + ", pid=" + pid +
            ", command=" + command + '}';
    }
}
