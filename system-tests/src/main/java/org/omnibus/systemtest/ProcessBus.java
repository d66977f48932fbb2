package org.omnibus.systemtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bus run as a child process with dbus-daemon's command line ({@code --config-file=FILE --nofork
 * --print-address=1}): dbus-daemon itself, or an Omnibus node through its dbus-daemon compatible form.
 */
final class ProcessBus implements Bus
{
    private static final long START_TIMEOUT_MS = 30_000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final Pattern GUID = Pattern.compile("guid=([0-9a-f]{32})");

    private final BusKind kind;
    private final Process process;
    private final Path socketPath;
    private final Path logFile;
    private final String address;
    private final String guid;
    private boolean closed;

    private ProcessBus(
        final BusKind kind, final List<String> command, final Path socketPath, final Path logFile) throws IOException
    {
        this.kind = kind;
        this.socketPath = socketPath;
        this.logFile = logFile;
        this.process = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectError(ProcessBuilder.Redirect.to(logFile.toFile()))
            .start();

        try
        {
            address = readAddress();
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
        final Matcher matcher = GUID.matcher(address);
        guid = matcher.find() ? matcher.group(1) : "";
    }

    static ProcessBus dbusDaemon(final BusKind kind, final Path config, final Path socket, final Path log)
        throws IOException
    {
        return new ProcessBus(kind, List.of(
            "dbus-daemon", "--config-file=" + config, "--nofork", "--nopidfile", "--print-address=1"), socket, log);
    }

    static ProcessBus omnibus(final Path config, final Path socket, final Path dataDir, final Path log)
        throws IOException
    {
        final List<String> command = omnibusCommand();
        command.add("--config-file=" + config);
        command.add("--data-dir=" + dataDir);
        command.add("--nofork");
        command.add("--nopidfile");
        command.add("--print-address=1");
        return new ProcessBus(BusKind.OMNIBUS_PROCESS, command, socket, log);
    }

    /**
     * The command that runs an Omnibus node in a child JVM from the test's classpath, as the {@code omnibus}
     * launcher does from the built jar; options follow.
     *
     * @return java, its flags, the classpath and the main class.
     */
    static List<String> omnibusCommand()
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(childJvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.omnibus.node.OmnibusMain");
        return command;
    }

    /**
     * The JVM flags Agrona, Aeron and Chronicle need: the parent pom's {@code omnibus.jvm.flags}, which surefire
     * hands to the test JVM as a system property, else the flags the test JVM itself was started with.
     */
    static List<String> childJvmFlags()
    {
        final String flags = System.getProperty("omnibus.jvm.flags");
        if (flags != null && !flags.isBlank())
        {
            return Arrays.asList(flags.trim().split("\\s+"));
        }
        final List<String> inherited = new ArrayList<>();
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.") || arg.startsWith("-Dagrona."))
            {
                inherited.add(arg);
            }
        }
        return inherited;
    }

    private String readAddress() throws IOException
    {
        final BufferedReader reader =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final CompletableFuture<String> line = new CompletableFuture<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                String text;
                while ((text = reader.readLine()) != null)
                {
                    if (!line.isDone() && text.startsWith("unix:"))
                    {
                        line.complete(text.trim());
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the bus has gone
            }
            line.complete(null);
        }, "bus-stdout");
        thread.setDaemon(true);
        thread.start();

        try
        {
            final String text = line.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (text == null)
            {
                throw new IOException(kind + " exited before printing its address: " + describeExit());
            }
            return text;
        }
        catch (final TimeoutException ex)
        {
            throw new IOException(kind + " printed no address within " + START_TIMEOUT_MS + " ms: " + tail());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + kind, ex);
        }
        catch (final ExecutionException ex)
        {
            throw new IOException(ex.getCause());
        }
    }

    private String describeExit()
    {
        try
        {
            process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return (process.isAlive() ? "still running" : "exit code " + process.exitValue()) + ", log: " + tail();
    }

    private String tail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    public BusKind kind()
    {
        return kind;
    }

    public String address()
    {
        return address;
    }

    public Path socketPath()
    {
        return socketPath;
    }

    public String guid()
    {
        return guid;
    }

    public long pid()
    {
        return process.pid();
    }

    public boolean isRunning()
    {
        return !closed && process.isAlive();
    }

    public Path logFile()
    {
        return logFile;
    }

    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try
        {
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return the exit code once the process has ended (after {@link #close()}), else -1.
     */
    int exitCode()
    {
        return process.isAlive() ? -1 : process.exitValue();
    }

    public String toString()
    {
        return kind + "[pid=" + process.pid() + ", " + address + "]";
    }
}
