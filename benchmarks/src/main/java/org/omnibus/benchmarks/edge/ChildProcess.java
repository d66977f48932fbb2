package org.omnibus.benchmarks.edge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the harness started: its stdout lines are queued for {@link #awaitLine}, its stderr is appended to a log
 * file, and {@link #close()} ends it and every process below it (TERM, then KILL after a grace period).
 */
public final class ChildProcess implements AutoCloseable
{
    private static final String EOF = "\u0000EOF";
    private static final Duration TERM_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildProcess(final String name, final Process process)
    {
        this.name = name;
        this.process = process;
        final Thread reader = new Thread(this::readStdout, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Start a process.
     *
     * @param name    for messages.
     * @param command the command line.
     * @param env     extra environment.
     * @param stderr  file its stderr is appended to.
     * @return the started process.
     * @throws IOException if it cannot be started.
     */
    public static ChildProcess start(
        final String name, final List<String> command, final Map<String, String> env, final Path stderr)
        throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        builder.environment().putAll(env);
        return new ChildProcess(name, builder.start());
    }

    /**
     * @return the process's pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * @return whether it still runs.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Wait for a stdout line.
     *
     * @param match     which line.
     * @param timeoutMs bound on waiting.
     * @return the first matching line.
     * @throws IOException if the process ends or the time runs out first.
     */
    public String awaitLine(final Predicate<String> match, final long timeoutMs) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try
        {
            while (true)
            {
                final long left = deadline - System.nanoTime();
                final String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null)
                {
                    throw new IOException(name + ": no expected line within " + timeoutMs + " ms; output " + seen);
                }
                if (EOF.equals(line))
                {
                    lines.add(EOF);
                    throw new IOException(name + " ended (" + exitText() + "); output " + seen);
                }
                if (match.test(line))
                {
                    return line;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(name + ": interrupted", ex);
        }
    }

    /**
     * Write a line to the process's stdin.
     *
     * @param line the line.
     * @throws IOException if the process no longer reads.
     */
    public void send(final String line) throws IOException
    {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /**
     * Wait for the process to exit by itself.
     *
     * @param timeoutMs bound on waiting.
     * @return whether it exited in time.
     */
    public boolean awaitExit(final long timeoutMs)
    {
        try
        {
            return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @return CPU time used so far by the process and all processes below it, in nanoseconds.
     */
    public long cpuNanos()
    {
        long total = cpuNanos(process.toHandle());
        for (final ProcessHandle descendant : process.descendants().toList())
        {
            total += cpuNanos(descendant);
        }
        return total;
    }

    /**
     * End the process and its descendants: TERM to all, KILL to what remains after a grace period.
     */
    public void close()
    {
        final List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        final long deadline = System.nanoTime() + TERM_GRACE.toNanos();
        for (final ProcessHandle handle : all)
        {
            try
            {
                final long left = Math.max(1, deadline - System.nanoTime());
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            }
            catch (final Exception ex)
            {
                handle.destroyForcibly();
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ignore)
        {
            // already gone
        }
    }

    /**
     * @return how it exited, for messages.
     */
    public String exitText()
    {
        return process.isAlive() ? "running" : "exit " + process.exitValue();
    }

    private static long cpuNanos(final ProcessHandle handle)
    {
        return handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private void readStdout()
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                synchronized (seen)
                {
                    if (seen.size() < 50)
                    {
                        seen.add(line);
                    }
                }
                lines.add(line);
            }
        }
        catch (final IOException ignore)
        {
            // the process went away
        }
        finally
        {
            lines.add(EOF);
        }
    }
}
