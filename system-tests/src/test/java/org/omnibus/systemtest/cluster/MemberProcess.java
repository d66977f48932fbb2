package org.omnibus.systemtest.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link ClusterMemberMain} child process seen from the test: start it (optionally behind a command prefix such as
 * {@code ip netns exec NS}), send commands, read its events, kill it with SIGKILL. Its stdout lines are collected by a
 * reader thread; its stderr goes to a file next to its event logs.
 */
final class MemberProcess implements AutoCloseable
{
    private final int nodeId;
    private final Process process;
    private final PrintWriter commands;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private final Path stderr;

    private MemberProcess(final int nodeId, final List<String> command, final Map<String, String> env,
        final Path stderr) throws IOException
    {
        this.nodeId = nodeId;
        this.stderr = stderr;
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        reader = new Thread(this::readLines, "member-" + nodeId + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Start a member process.
     *
     * @param prefix  command words before java (e.g. {@code ip netns exec NS}), or empty.
     * @param nodeId  the node.
     * @param options {@link ClusterMemberMain} options (name to value).
     * @param secret  the cluster secret (passed in the environment).
     * @param logDir  where its stderr goes.
     * @return the process.
     * @throws IOException if it cannot be started.
     */
    static MemberProcess start(
        final List<String> prefix,
        final int nodeId,
        final Map<String, String> options,
        final String secret,
        final Path logDir) throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        final Path logFile = logDir.resolve("node-" + nodeId + "-" + System.nanoTime() + ".protocol.log");
        command.add("-Dlogback.configurationFile=" + logbackConfig(logDir));
        command.add("-Domnibus.systest.child.log=" + logFile);
        command.add("-Domnibus.systest.child.level=" +
            System.getProperty("omnibus.systest.child.level", "INFO"));
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClusterMemberMain.class.getName());
        for (final Map.Entry<String, String> option : options.entrySet())
        {
            command.add("--" + option.getKey() + "=" + option.getValue());
        }
        final Map<String, String> env = new HashMap<>();
        env.put("OMNIBUS_CLUSTER_SECRET", secret);
        return new MemberProcess(nodeId, command, env, logDir.resolve("node-" + nodeId + ".stderr"));
    }

    /**
     * A logback configuration for the children: the protocol's log to a file per process (stdout is the test's
     * channel), at {@code -Domnibus.systest.child.level} (INFO by default, DEBUG to see every round).
     */
    private static Path logbackConfig(final Path logDir) throws IOException
    {
        final Path config = logDir.resolve("logback-child.xml");
        if (!java.nio.file.Files.exists(config))
        {
            java.nio.file.Files.writeString(config, String.join("\n",
                "<configuration>",
                "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">",
                "    <file>${omnibus.systest.child.log}</file>",
                "    <encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger{20} - %msg%n</pattern></encoder>",
                "  </appender>",
                "  <logger name=\"org.omnibus\" level=\"${omnibus.systest.child.level}\"/>",
                "  <root level=\"WARN\"><appender-ref ref=\"FILE\"/></root>",
                "</configuration>", ""));
        }
        return config;
    }

    /**
     * The flags Agrona and Aeron need: the parent pom's {@code omnibus.jvm.flags} (surefire passes them as a system
     * property), else the flags this JVM was started with.
     */
    static List<String> jvmFlags()
    {
        final String flags = System.getProperty("omnibus.jvm.flags");
        if (flags != null && !flags.isBlank())
        {
            return Arrays.asList(flags.trim().split("\\s+"));
        }
        final List<String> inherited = new ArrayList<>();
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dagrona.") || arg.startsWith("-Dchronicle."))
            {
                inherited.add(arg);
            }
        }
        return inherited;
    }

    private void readLines()
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                synchronized (lines)
                {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        }
        catch (final IOException ex)
        {
            // The process is gone.
        }
        finally
        {
            synchronized (lines)
            {
                lines.notifyAll();
            }
        }
    }

    int nodeId()
    {
        return nodeId;
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    void send(final String command)
    {
        commands.println(command);
    }

    /** @return a copy of every line so far. */
    List<String> lines()
    {
        synchronized (lines)
        {
            return new ArrayList<>(lines);
        }
    }

    /**
     * Wait for a line (from index {@code from} on) that matches.
     *
     * @param from    first line index to look at.
     * @param matcher what to look for.
     * @param timeout how long at most.
     * @return the line.
     * @throws AssertionError on timeout or if the process ended first.
     */
    String awaitLine(final int from, final Predicate<String> matcher, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int index = from;
        synchronized (lines)
        {
            while (true)
            {
                for (; index < lines.size(); index++)
                {
                    if (matcher.test(lines.get(index)))
                    {
                        return lines.get(index);
                    }
                }
                final long leftNs = deadline - System.nanoTime();
                if (leftNs <= 0)
                {
                    throw new AssertionError("node " + nodeId + ": timed out; last lines " + tail());
                }
                if (!reader.isAlive())
                {
                    throw new AssertionError("node " + nodeId + " ended (exit " + exitValue() + "); last lines " +
                        tail() + "; stderr in " + stderr);
                }
                try
                {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNs)));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", ex);
                }
            }
        }
    }

    /** @return the number of lines so far (an index for {@link #awaitLine}). */
    int lineCount()
    {
        synchronized (lines)
        {
            return lines.size();
        }
    }

    /**
     * Ask for a status line and parse it.
     *
     * @param timeout how long at most.
     * @return key to value.
     */
    Map<String, String> status(final Duration timeout)
    {
        final int from = lineCount();
        send("status");
        return parse(awaitLine(from, (l) -> l.startsWith("status "), timeout));
    }

    static Map<String, String> parse(final String line)
    {
        final Map<String, String> values = new HashMap<>();
        for (final String word : line.split("\\s+"))
        {
            final int eq = word.indexOf('=');
            if (eq > 0)
            {
                values.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return values;
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill()
    {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /**
     * Ask the process to exit cleanly; kill it if it does not within the timeout.
     *
     * @param timeout how long to wait.
     * @return true if it exited cleanly (said bye, exit code 0).
     */
    boolean exit(final Duration timeout)
    {
        if (!process.isAlive())
        {
            return false;
        }
        final int from = 0;
        send("exit");
        if (!waitFor(timeout))
        {
            kill();
            return false;
        }
        try
        {
            reader.join(timeout.toMillis());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return process.exitValue() == 0 && lines().subList(from, lineCount()).contains("bye");
    }

    private boolean waitFor(final Duration timeout)
    {
        try
        {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String exitValue()
    {
        try
        {
            return String.valueOf(process.exitValue());
        }
        catch (final IllegalThreadStateException ex)
        {
            return "still running";
        }
    }

    private String tail()
    {
        final List<String> all = lines();
        return all.subList(Math.max(0, all.size() - 8), all.size()).toString();
    }

    /** Kill the process if it still runs. */
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    static UncheckedIOException unchecked(final IOException ex)
    {
        return new UncheckedIOException(ex);
    }
}
