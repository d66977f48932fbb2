package org.omnibus.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real D-Bus command line client (dbus-send, busctl, gdbus, dbus-test-tool) against a test bus, bounded by
 * a timeout, with {@code DBUS_SESSION_BUS_ADDRESS} pointing at that bus so nothing reaches another one.
 */
public final class Cli
{
    /** How long one command may run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Cli()
    {
    }

    /**
     * The outcome of a command.
     *
     * @param command what ran.
     * @param exitCode its exit code.
     * @param stdout   its standard output.
     * @param stderr   its standard error.
     */
    public record Result(List<String> command, int exitCode, String stdout, String stderr)
    {
        /**
         * @return this, after checking the command succeeded.
         * @throws AssertionError naming the command and its output otherwise.
         */
        public Result assertSuccess()
        {
            if (exitCode != 0)
            {
                throw new AssertionError("command failed: " + this);
            }
            return this;
        }

        /**
         * @return this, after checking the command failed.
         * @throws AssertionError naming the command and its output otherwise.
         */
        public Result assertFailure()
        {
            if (exitCode == 0)
            {
                throw new AssertionError("command succeeded unexpectedly: " + this);
            }
            return this;
        }

        public String toString()
        {
            return String.join(" ", command) + " -> exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /**
     * Run a command against a bus.
     *
     * @param bus     the bus ({@code DBUS_SESSION_BUS_ADDRESS} is set to it).
     * @param command the command line.
     * @return the result.
     */
    public static Result run(final Bus bus, final String... command)
    {
        return run(bus, TIMEOUT, Arrays.asList(command));
    }

    /**
     * Run a command against a bus.
     *
     * @param bus     the bus ({@code DBUS_SESSION_BUS_ADDRESS} is set to it), or null for none (the variable is
     *                removed, e.g. for dbus-run-session).
     * @param timeout how long it may run; it is killed then.
     * @param command the command line.
     * @return the result.
     * @throws AssertionError if it does not finish in time.
     */
    public static Result run(final Bus bus, final Duration timeout, final List<String> command)
    {
        final ProcessBuilder builder = new ProcessBuilder(command);
        environment(builder, bus);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot run " + command, ex);
        }

        final CompletableFuture<String> out = drain(process.getInputStream());
        final CompletableFuture<String> err = drain(process.getErrorStream());
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                killTree(process);
                throw new AssertionError("command did not finish within " + timeout.toMillis() + " ms: " +
                    String.join(" ", command) + "\nstdout: " + out.getNow("") + "\nstderr: " + err.getNow(""));
            }
            return new Result(new ArrayList<>(command), process.exitValue(),
                out.get(timeout.toMillis(), TimeUnit.MILLISECONDS), err.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        catch (final InterruptedException ex)
        {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, ex);
        }
        catch (final Exception ex)
        {
            killTree(process);
            throw new AssertionError("cannot collect the output of " + command, ex);
        }
    }

    /**
     * Kill a process and everything it started (e.g. the bus dbus-run-session spawned), and wait for it.
     *
     * @param process the process.
     */
    static void killTree(final Process process)
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try
        {
            process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Point a child process at a test bus: {@code DBUS_SESSION_BUS_ADDRESS} is the bus, and variables through which
     * a client could find or start another bus are removed.
     *
     * @param builder the child's builder.
     * @param bus     the bus, or null to remove the variable.
     */
    public static void environment(final ProcessBuilder builder, final Bus bus)
    {
        if (bus == null)
        {
            builder.environment().remove("DBUS_SESSION_BUS_ADDRESS");
        }
        else
        {
            builder.environment().put("DBUS_SESSION_BUS_ADDRESS", bus.address());
        }
        builder.environment().remove("DBUS_SYSTEM_BUS_ADDRESS");
        builder.environment().remove("DISPLAY");
        builder.environment().remove("DBUS_STARTER_ADDRESS");
    }

    private static CompletableFuture<String> drain(final InputStream in)
    {
        final CompletableFuture<String> text = new CompletableFuture<>();
        final Thread thread = new Thread(() ->
        {
            try (in)
            {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                text.complete(bytes.toString(StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                text.complete("(unreadable: " + ex + ")");
            }
        }, "cli-output");
        thread.setDaemon(true);
        thread.start();
        return text;
    }
}
