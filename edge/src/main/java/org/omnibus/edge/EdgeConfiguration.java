package org.omnibus.edge;

import java.util.concurrent.TimeUnit;

/**
 * Defaults of the edge, with the names dbus-daemon's configuration gives the matching limits.
 */
public final class EdgeConfiguration
{
    /** Longest D-Bus message accepted (dbus-daemon {@code max_message_size}; the spec's limit is 128 MiB). */
    public static final int MAX_MESSAGE_LENGTH_DEFAULT = 128 * 1024 * 1024;

    /** Bytes queued to one connection before it is disconnected as too slow a reader. */
    public static final int MAX_OUTBOUND_BYTES_DEFAULT = 128 * 1024 * 1024;

    /** Open connections accepted (dbus-daemon {@code max_completed_connections} of the session bus). */
    public static final int MAX_CONNECTIONS_DEFAULT = 100_000;

    /** Time a connection has to authenticate (dbus-daemon {@code auth_timeout}). */
    public static final long AUTH_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(30);

    /** Initial size of each connection's input and output buffers; they grow on demand. */
    public static final int INITIAL_BUFFER_LENGTH_DEFAULT = 64 * 1024;

    /** Backlog of the listening sockets. */
    public static final int LISTEN_BACKLOG_DEFAULT = 128;

    /** Room for received SCM_RIGHTS control data: up to 253 descriptors per read, as the kernel allows. */
    public static final int ANCILLARY_RECEIVE_BUFFER_LENGTH_DEFAULT = 253 * 4 + 64;

    private EdgeConfiguration()
    {
    }
}
