package org.omnibus.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A running message bus that a test talks to over its Unix socket: a private dbus-daemon (the reference) or an
 * Omnibus node. Tests are written against this interface only, so the same test runs against either.
 */
public interface Bus extends AutoCloseable
{
    /**
     * @return which bus this is.
     */
    BusKind kind();

    /**
     * @return the D-Bus address clients use, e.g. {@code unix:path=/tmp/x/bus,guid=...}.
     */
    String address();

    /**
     * @return the listening socket's path.
     */
    Path socketPath();

    /**
     * @return the bus GUID from the address (32 hex digits).
     */
    String guid();

    /**
     * @return the process id of the process serving the bus (the test JVM for an in-process node).
     */
    long pid();

    /**
     * @return true while the bus is serving.
     */
    boolean isRunning();

    /**
     * @return where the bus's own log goes (standard error of a child process), for diagnosis.
     */
    Path logFile();

    /**
     * Stop the bus and wait for it to be gone. Idempotent.
     */
    void close();

    /**
     * Start a bus of the given kind in a directory the caller owns (typically a JUnit {@code @TempDir}); its socket
     * and configuration go there, its log under the directory named by the {@code omnibus.systest.logs} property
     * (an in-process node logs to the test's output instead).
     *
     * @param kind  which bus.
     * @param dir   an existing empty directory for the socket and configuration.
     * @param label names the log file (e.g. the test class).
     * @return the running bus.
     * @throws IOException if it cannot be started.
     */
    static Bus start(final BusKind kind, final Path dir, final String label) throws IOException
    {
        final Path socket = dir.resolve("bus");
        final Path config = BusConfig.write(dir.resolve("bus.conf"), socket, kind.rejectsUnrequestedReplies());
        final Path logDir = Path.of(System.getProperty("omnibus.systest.logs", "target/bus-logs"));
        Files.createDirectories(logDir);
        final Path log = logDir.resolve(label + "-" + kind.id() + ".log");
        switch (kind)
        {
            case DBUS_DAEMON:
            case DBUS_DAEMON_STRICT:
                return ProcessBus.dbusDaemon(kind, config, socket, log);

            case OMNIBUS:
                return new NodeBus(config, socket, dir.resolve("data"), log);

            case OMNIBUS_PROCESS:
                return ProcessBus.omnibus(config, socket, dir.resolve("data"), log);

            default:
                throw new IllegalArgumentException("unknown bus kind " + kind);
        }
    }
}
