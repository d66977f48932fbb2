package org.omnibus.benchmarks.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One bus under test, started by the harness in its own directory with a {@link BusConfig} and ended by
 * {@link #close()} together with every process below it.
 */
public final class RunningBus implements AutoCloseable
{
    /** Bound on a bus coming up and answering Hello (Omnibus starts a JVM). */
    public static final long START_TIMEOUT_MS = 60_000;

    /** The buses the harness knows. */
    public enum Kind
    {
        /** The Omnibus node, through its dbus-daemon compatible command line. */
        OMNIBUS("omnibus"),
        /** The reference implementation, a private instance. */
        DBUS_DAEMON("dbus-daemon"),
        /** dbus-broker under dbus-broker-launch, handed its socket by systemd-socket-activate. */
        DBUS_BROKER("dbus-broker");

        private final String label;

        Kind(final String label)
        {
            this.label = label;
        }

        /**
         * @return the name used in tables and file names.
         */
        public String label()
        {
            return label;
        }

        /**
         * @param label a label.
         * @return the kind.
         */
        public static Kind ofLabel(final String label)
        {
            for (final Kind kind : values())
            {
                if (kind.label.equals(label))
                {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown bus: " + label + " (omnibus, dbus-daemon, dbus-broker)");
        }
    }

    /**
     * How to start the buses.
     *
     * @param omnibusCommand Omnibus's command line, with {@code {config}}, {@code {socket}} and {@code {dir}}
     *                       replaced; it prints its address (a line containing {@code unix:path=}).
     * @param omnibusEnv     extra environment of the Omnibus command (e.g. OMNIBUS_JAVA_OPTS for JFR).
     * @param brokerLauncher the dbus-broker launcher script (benchmarks/scripts/dbus-broker-session.sh).
     */
    public record Launchers(List<String> omnibusCommand, Map<String, String> omnibusEnv, Path brokerLauncher)
    {
    }

    private final Kind kind;
    private final Path dir;
    private final ChildProcess process;
    private final String address;
    private final String version;

    private RunningBus(
        final Kind kind, final Path dir, final ChildProcess process, final String address, final String version)
    {
        this.kind = kind;
        this.dir = dir;
        this.process = process;
        this.address = address;
        this.version = version;
    }

    /**
     * Start a bus in {@code dir} (which must exist and be empty) and wait until it answers Hello.
     *
     * @param kind      which bus.
     * @param dir       its directory: configuration, socket, logs.
     * @param launchers how to start Omnibus and dbus-broker.
     * @return the running bus.
     * @throws IOException if it does not start or answer in time.
     */
    public static RunningBus start(final Kind kind, final Path dir, final Launchers launchers) throws IOException
    {
        final Path socket = dir.resolve("bus");
        final Path config = dir.resolve("bus.conf");
        Files.writeString(config, BusConfig.sessionConfig(socket), StandardCharsets.UTF_8);
        final Path log = dir.resolve("bus.log");
        final ChildProcess process;
        final String address;
        switch (kind)
        {
            case DBUS_DAEMON:
                process = ChildProcess.start(kind.label(),
                    List.of("dbus-daemon", "--config-file=" + config, "--nofork", "--print-address"), Map.of(), log);
                address = awaitAddress(process);
                break;

            case DBUS_BROKER:
                process = ChildProcess.start(kind.label(),
                    List.of("bash", launchers.brokerLauncher().toString(), socket.toString(), config.toString(),
                    dir.toString()), Map.of(), log);
                address = BusAddress.of(socket);
                break;

            case OMNIBUS:
                final List<String> command = new ArrayList<>();
                for (final String arg : launchers.omnibusCommand())
                {
                    command.add(arg.replace("{config}", config.toString())
                        .replace("{socket}", socket.toString()).replace("{dir}", dir.toString()));
                }
                process = ChildProcess.start(kind.label(), command, launchers.omnibusEnv(), log);
                address = awaitAddress(process);
                break;

            default:
                throw new IllegalArgumentException(kind.toString());
        }
        try
        {
            awaitHello(process, address);
            return new RunningBus(kind, dir, process, address, version(kind, launchers));
        }
        catch (final IOException | RuntimeException ex)
        {
            process.close();
            throw ex;
        }
    }

    /**
     * @return which bus.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return its directory (configuration, socket, bus.log, and journal.log for dbus-broker).
     */
    public Path dir()
    {
        return dir;
    }

    /**
     * @return its D-Bus address.
     */
    public String address()
    {
        return address;
    }

    /**
     * @return its version line.
     */
    public String version()
    {
        return version;
    }

    /**
     * @return whether its process still runs.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * @return how its process exited ("running" while it runs), e.g. "exit 143" after a SIGTERM to a JVM.
     */
    public String exitText()
    {
        return process.exitText();
    }

    /**
     * @return CPU time its processes used so far, in nanoseconds.
     */
    public long cpuNanos()
    {
        return process.cpuNanos();
    }

    /**
     * Stop it and everything it started.
     */
    public void close()
    {
        process.close();
    }

    private static String awaitAddress(final ChildProcess process) throws IOException
    {
        final String line = process.awaitLine(l -> l.contains("unix:path="), START_TIMEOUT_MS);
        return line.substring(line.indexOf("unix:path=")).trim();
    }

    private static void awaitHello(final ChildProcess process, final String address) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        final Path socket = BusAddress.socketPath(address);
        while (!Files.exists(socket))
        {
            if (!process.isAlive() || System.nanoTime() > deadline)
            {
                throw new IOException("bus socket " + socket + " did not appear (" + process.exitText() + ")");
            }
            sleepQuietly(20);
        }
        final long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try (BusConnection probe = BusConnection.open(address, left))
        {
            if (probe.uniqueName() == null || !process.isAlive())
            {
                throw new IOException("bus did not answer Hello");
            }
        }
    }

    private static String version(final Kind kind, final Launchers launchers)
    {
        final List<String> command = switch (kind)
        {
            case DBUS_DAEMON -> List.of("dbus-daemon", "--version");
            case DBUS_BROKER -> List.of("dbus-broker", "--version");
            case OMNIBUS -> List.of("git", "describe", "--always", "--dirty");
        };
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            final String first = output.lines().findFirst().orElse("?").trim();
            return kind == Kind.OMNIBUS ? "omnibus " + first : first;
        }
        catch (final IOException ex)
        {
            return "?";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static void sleepQuietly(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
