package org.omnibus.systemtest;

import org.omnibus.test.Tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A python3-dbus client in a child process ({@code pyclient.py}, run by /usr/bin/python3, which has the dbus
 * module), driven by JSON commands; what it prints is kept as {@link Line}s in arrival order. It can call methods,
 * emit signals and serve an object (Echo, Fail, Hold).
 */
public final class PyClient implements AutoCloseable
{
    /** The Python that has python3-dbus (another python3 may come first on PATH). */
    public static final String PYTHON = "/usr/bin/python3";

    /** How long a test waits for the client to print an expected line. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final String SCRIPT = loadScript();

    private final Process process;
    private final OutputStream stdin;
    private final List<Line> lines = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final String label;
    private int nextId = 1;
    private String uniqueName;

    /**
     * One line the client printed: its kind (ready, reply, error, sent, served, call, signal, disconnected) and the
     * tab-separated fields after it.
     *
     * @param kind   first field.
     * @param fields the remaining fields.
     */
    public record Line(String kind, List<String> fields)
    {
        /**
         * @param index field index after the kind.
         * @return the field.
         */
        public String field(final int index)
        {
            return fields.get(index);
        }

        /**
         * For a signal line.
         *
         * @return the sender.
         */
        public String sender()
        {
            return fields.get(0);
        }

        /**
         * For a signal line.
         *
         * @return the member.
         */
        public String member()
        {
            return fields.get(4);
        }

        /**
         * For reply, error and signal lines.
         *
         * @return the arguments as JSON.
         */
        public String args()
        {
            return fields.get(fields.size() - 1);
        }

        public String toString()
        {
            return kind + "\t" + String.join("\t", fields);
        }
    }

    /**
     * Clients started together and closed together.
     *
     * @param clients the clients, in the order they were asked for.
     */
    public record Group(List<PyClient> clients) implements AutoCloseable
    {
        /**
         * @param index which client.
         * @return the client.
         */
        public PyClient get(final int index)
        {
            return clients.get(index);
        }

        /**
         * Close every client.
         */
        public void close()
        {
            clients.forEach(PyClient::close);
        }
    }

    /**
     * Start several clients at once as a {@link Group}.
     *
     * @param bus    the bus.
     * @param labels one per client.
     * @return the group.
     * @throws IOException if python cannot be started.
     */
    public static Group startGroup(final Bus bus, final String... labels) throws IOException
    {
        return new Group(startAll(bus, labels));
    }

    private PyClient(final Bus bus, final String label) throws IOException
    {
        this.label = label;
        final ProcessBuilder builder = new ProcessBuilder(PYTHON, "-u", "-c", SCRIPT, bus.address());
        Cli.environment(builder, bus);
        process = builder.start();
        stdin = process.getOutputStream();
        pump(process.getInputStream(), true);
        pump(process.getErrorStream(), false);
    }

    /**
     * Start a client and wait until it has said Hello.
     *
     * @param bus   the bus.
     * @param label names the client in failure messages.
     * @return the connected client.
     * @throws IOException if python cannot be started.
     */
    public static PyClient start(final Bus bus, final String label) throws IOException
    {
        final PyClient client = new PyClient(bus, label);
        try
        {
            client.uniqueName = client.await(line -> line.kind().equals("ready"), "ready").field(0);
            return client;
        }
        catch (final RuntimeException | Error ex)
        {
            client.close();
            throw ex;
        }
    }

    /**
     * Start several clients at once (python starts slowly) and wait until all have said Hello.
     *
     * @param bus    the bus.
     * @param labels one per client.
     * @return the connected clients, in the order of the labels.
     * @throws IOException if python cannot be started.
     */
    public static List<PyClient> startAll(final Bus bus, final String... labels) throws IOException
    {
        final List<PyClient> clients = new ArrayList<>();
        try
        {
            for (final String label : labels)
            {
                clients.add(new PyClient(bus, label));
            }
            for (final PyClient client : clients)
            {
                client.uniqueName = client.await(line -> line.kind().equals("ready"), "ready").field(0);
            }
            return clients;
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            clients.forEach(PyClient::close);
            throw ex;
        }
    }

    /**
     * @return the unique name the bus gave the client.
     */
    public String uniqueName()
    {
        return uniqueName;
    }

    /**
     * @return the client's process id.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Send a method call without waiting.
     *
     * @param dest      destination or null.
     * @param path      object path.
     * @param iface     interface or null.
     * @param member    method.
     * @param signature body signature ("" for none).
     * @param args      body values (JSON-able: String, Number, Boolean, List, Map).
     * @return the command id, for {@link #reply(int)}.
     */
    public int callAsync(
        final String dest, final String path, final String iface, final String member, final String signature,
        final Object... args)
    {
        final Map<String, Object> command = command("call");
        command.put("dest", dest);
        command.put("path", path);
        command.put("iface", iface);
        command.put("member", member);
        command.put("sig", signature);
        command.put("args", Arrays.asList(args));
        return send(command);
    }

    /**
     * Call a method and wait for the answer.
     *
     * @param dest      destination or null.
     * @param path      object path.
     * @param iface     interface or null.
     * @param member    method.
     * @param signature body signature ("" for none).
     * @param args      body values.
     * @return the reply or error line.
     */
    public Line call(
        final String dest, final String path, final String iface, final String member, final String signature,
        final Object... args)
    {
        return reply(callAsync(dest, path, iface, member, signature, args));
    }

    /**
     * Call a method of the bus driver and wait for the answer.
     *
     * @param member    method of org.freedesktop.DBus.
     * @param signature body signature ("" for none).
     * @param args      body values.
     * @return the reply or error line.
     */
    public Line callDriver(final String member, final String signature, final Object... args)
    {
        return call(WireClient.DRIVER, WireClient.DRIVER_PATH, WireClient.DRIVER_IFACE, member, signature, args);
    }

    /**
     * AddMatch, checking it succeeded (the rule is installed when this returns).
     *
     * @param rule the match rule.
     */
    public void addMatch(final String rule)
    {
        final Line reply = callDriver("AddMatch", "s", rule);
        if (!reply.kind().equals("reply"))
        {
            throw new AssertionError(label + ": AddMatch(" + rule + ") failed: " + reply);
        }
    }

    /**
     * RequestName.
     *
     * @param name  the name.
     * @param flags RequestName flags.
     * @return the reply code, or -1 for an error.
     */
    public int requestName(final String name, final int flags)
    {
        final Line reply = callDriver("RequestName", "su", name, flags);
        return reply.kind().equals("reply") ? Integer.parseInt(reply.args().replaceAll("[\\[\\]]", "")) : -1;
    }

    /**
     * Wait for the answer to a call.
     *
     * @param id the command id.
     * @return the reply or error line.
     */
    public Line reply(final int id)
    {
        final String key = Integer.toString(id);
        return await(line -> (line.kind().equals("reply") || line.kind().equals("error")) &&
            line.field(0).equals(key), "answer to command " + id);
    }

    /**
     * Emit a signal without waiting (the client handles commands in order, so a later command's answer shows that
     * this one has been sent).
     *
     * @param destination unicast destination, or null to broadcast.
     * @param path        object path.
     * @param iface       interface.
     * @param member      signal name.
     * @param signature   body signature ("" for none).
     * @param args        body values.
     * @return the command id.
     */
    public int emitAsync(
        final String destination, final String path, final String iface, final String member,
        final String signature, final Object... args)
    {
        final Map<String, Object> command = command("emit");
        command.put("dest", destination);
        command.put("path", path);
        command.put("iface", iface);
        command.put("member", member);
        command.put("sig", signature);
        command.put("args", Arrays.asList(args));
        return send(command);
    }

    /**
     * Emit a signal and wait until it has been handed to the bus connection.
     *
     * @param destination unicast destination, or null to broadcast.
     * @param path        object path.
     * @param iface       interface.
     * @param member      signal name.
     * @param signature   body signature ("" for none).
     * @param args        body values.
     */
    public void emit(
        final String destination, final String path, final String iface, final String member,
        final String signature, final Object... args)
    {
        final String id = Integer.toString(emitAsync(destination, path, iface, member, signature, args));
        await(line -> line.kind().equals("sent") && line.field(0).equals(id), "emit " + member);
    }

    /**
     * Serve an object: Echo, Fail, Hold (see pyclient.py).
     *
     * @param path the object path.
     */
    public void serve(final String path)
    {
        final Map<String, Object> command = command("serve");
        command.put("path", path);
        final String id = Integer.toString(send(command));
        await(line -> line.kind().equals("served") && line.field(0).equals(id), "serve " + path);
    }

    /**
     * @return the signal lines received so far, in arrival order.
     */
    public List<Line> signals()
    {
        return linesOf("signal");
    }

    /**
     * @param kind a line kind.
     * @return the lines of that kind so far, in order.
     */
    public List<Line> linesOf(final String kind)
    {
        final List<Line> result = new ArrayList<>();
        synchronized (lines)
        {
            for (final Line line : lines)
            {
                if (line.kind().equals(kind))
                {
                    result.add(line);
                }
            }
        }
        return result;
    }

    /**
     * Wait until a line satisfying the condition has been printed (at any time so far).
     *
     * @param condition what to look for.
     * @param what      describes it for the failure message.
     * @return the first such line.
     */
    public Line await(final Predicate<Line> condition, final String what)
    {
        final Line[] found = new Line[1];
        Tests.await(() ->
        {
            synchronized (lines)
            {
                for (final Line line : lines)
                {
                    if (condition.test(line))
                    {
                        found[0] = line;
                        return true;
                    }
                }
            }
            if (!process.isAlive())
            {
                throw new AssertionError(label + " exited (" + process.exitValue() + ") before " + what +
                    "; printed " + snapshot() + "; stderr: " + stderr);
            }
            return false;
        }, TIMEOUT, () -> label + ": " + what + "; printed " + snapshot() + "; stderr: " + stderr);
        return found[0];
    }

    /**
     * Wait until a signal satisfying the condition has arrived.
     *
     * @param condition what to look for.
     * @param what      describes it for the failure message.
     * @return the first such signal.
     */
    public Line awaitSignal(final Predicate<Line> condition, final String what)
    {
        return await(line -> line.kind().equals("signal") && condition.test(line), what);
    }

    /**
     * Wait until at least {@code count} signals satisfying the condition have arrived.
     *
     * @param condition what to look for.
     * @param count     how many.
     * @param what      describes it for the failure message.
     * @return all such signals so far.
     */
    public List<Line> awaitSignals(final Predicate<Line> condition, final int count, final String what)
    {
        final List<Line> found = new ArrayList<>();
        Tests.await(() ->
        {
            found.clear();
            signals().stream().filter(condition).forEach(found::add);
            return found.size() >= count;
        }, TIMEOUT, () -> label + ": " + count + " x " + what + "; printed " + snapshot() + "; stderr: " + stderr);
        return found;
    }

    /**
     * @return everything printed so far.
     */
    public List<Line> snapshot()
    {
        synchronized (lines)
        {
            return new ArrayList<>(lines);
        }
    }

    /**
     * Ask the client to close its bus connection and exit, and wait until it has.
     */
    public void exit()
    {
        if (process.isAlive())
        {
            final Map<String, Object> command = command("exit");
            try
            {
                send(command);
            }
            catch (final UncheckedIOException ignore)
            {
                // already going
            }
            waitForExit();
        }
    }

    /**
     * Kill the process (SIGKILL): the bus sees the connection drop without a goodbye.
     */
    public void kill()
    {
        process.destroyForcibly();
        waitForExit();
    }

    /**
     * Close the connection and let the client exit. Idempotent.
     */
    public void close()
    {
        if (process.isAlive())
        {
            try
            {
                stdin.close();
            }
            catch (final IOException ignore)
            {
                // it exits or is killed below
            }
            waitForExit();
        }
    }

    public String toString()
    {
        return "PyClient[" + label + " " + uniqueName + "]";
    }

    private void waitForExit()
    {
        try
        {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> command(final String op)
    {
        final Map<String, Object> command = new LinkedHashMap<>();
        command.put("id", nextId);
        command.put("op", op);
        return command;
    }

    private int send(final Map<String, Object> command)
    {
        final int id = nextId++;
        try
        {
            stdin.write((Json.write(command) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(label + " is gone; stderr: " + stderr, ex);
        }
        return id;
    }

    private void pump(final InputStream in, final boolean isStdout)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
            {
                String text;
                while ((text = reader.readLine()) != null)
                {
                    if (isStdout)
                    {
                        final List<String> parts = Arrays.asList(text.split("\t", -1));
                        synchronized (lines)
                        {
                            lines.add(new Line(parts.get(0), List.copyOf(parts.subList(1, parts.size()))));
                        }
                    }
                    else
                    {
                        stderr.append(text).append('\n');
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process has gone
            }
        }, "pyclient-" + (isStdout ? "out" : "err"));
        thread.setDaemon(true);
        thread.start();
    }

    private static String loadScript()
    {
        try (InputStream in = PyClient.class.getResourceAsStream("pyclient.py"))
        {
            if (in == null)
            {
                throw new IllegalStateException("pyclient.py is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
