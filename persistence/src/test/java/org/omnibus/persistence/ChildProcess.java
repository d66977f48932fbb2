package org.omnibus.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started with this JVM's module flags and class path, whose output lines can be awaited with a
 * deadline, and which is killed with SIGKILL ({@link Process#destroyForcibly()} on Linux).
 */
final class ChildProcess implements AutoCloseable
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    ChildProcess(final Class<?> mainClass, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports") || arg.startsWith("-D"))
            {
                command.add(arg);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignore)
            {
                // the process died
            }
        }, "child-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Wait for an output line starting with a prefix.
     *
     * @return the line.
     */
    String awaitLine(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final long remainingNs = deadline - System.nanoTime();
            final String line = remainingNs > 0 ? lines.poll(remainingNs, TimeUnit.NANOSECONDS) : null;
            if (null == line)
            {
                throw new AssertionError("no line starting with '" + prefix + "' within " + timeoutMs +
                    " ms; alive=" + process.isAlive() + ", output: " + String.join("\n", output));
            }
            output.add(line);
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
    }

    /**
     * SIGKILL the process and wait for it to die.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new AssertionError("child did not die");
        }
    }

    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
    }
}
