package org.omnibus.api;

import org.agrona.concurrent.UnsafeBuffer;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.omnibus.codec.dbus.DBusCodecException;
import org.omnibus.codec.dbus.DBusFraming;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A D-Bus connection to a bus over a Unix socket: SASL EXTERNAL, Hello, method calls with replies, signals.
 * <p>
 * One reader thread per connection reads and validates every message (the project's codec) into one reusable
 * buffer: replies complete the calls waiting for them, every other message (signals, calls to this connection)
 * goes to the {@link MessageHandler}s in arrival order, on that thread. Sending is thread-safe; serials are
 * assigned here. Closing the socket (or the bus closing it) ends the reader, fails the calls still waiting and
 * runs the close listeners.
 * <pre>{@code
 * try (BusConnection bus = BusConnection.connect(System.getenv("DBUS_SESSION_BUS_ADDRESS")))
 * {
 *     bus.addHandler(m -> System.out.println(m.member()));
 *     bus.addMatch("type='signal',interface='com.example.Feed'");
 *     bus.emitSignal("/feed", "com.example.Feed", "Tick", "u", 1L);
 * }
 * }</pre>
 */
public final class BusConnection implements AutoCloseable
{
    /** The bus driver's name. */
    public static final String DRIVER_NAME = "org.freedesktop.DBus";
    /** The bus driver's object path. */
    public static final String DRIVER_PATH = "/org/freedesktop/DBus";
    /** The bus driver's main interface. */
    public static final String DRIVER_INTERFACE = "org.freedesktop.DBus";
    /** How long {@link #call} waits by default (libdbus' default). */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(25);

    private static final Logger LOG = LoggerFactory.getLogger(BusConnection.class);
    private static final int INITIAL_BUFFER_LENGTH = 4096;

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final List<MessageHandler> handlers = new CopyOnWriteArrayList<>();
    private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[INITIAL_BUFFER_LENGTH]);
    private final Thread reader;
    private long nextSerial = 1;
    private volatile boolean closed;
    private volatile IOException closeCause;
    private String uniqueName;
    private String guid;

    private BusConnection(final AFUNIXSocket socket) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.reader = new Thread(this::readLoop, "omnibus-bus-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Connect to a bus, authenticate (EXTERNAL, as this process' uid) and say Hello.
     *
     * @param address a D-Bus address: {@code unix:path=…} or {@code unix:abstract=…}, several separated by
     *                {@code ;} tried in order (e.g. the value of DBUS_SESSION_BUS_ADDRESS).
     * @return a registered connection.
     * @throws IOException when no address accepts the connection, authentication fails or Hello fails.
     */
    public static BusConnection connect(final String address) throws IOException
    {
        IOException failure = null;
        for (final AFUNIXSocketAddress socketAddress : BusAddresses.parse(address))
        {
            final AFUNIXSocket socket;
            try
            {
                socket = AFUNIXSocket.connectTo(socketAddress);
            }
            catch (final IOException ex)
            {
                failure = ex;
                continue;
            }
            final BusConnection connection = new BusConnection(socket);
            try
            {
                connection.authenticate();
                connection.reader.start();
                connection.uniqueName = (String)connection.call(DRIVER_NAME, DRIVER_PATH, DRIVER_INTERFACE, "Hello", "")
                    .orThrow().arg(0);
                return connection;
            }
            catch (final IOException | RuntimeException ex)
            {
                connection.close();
                throw ex;
            }
        }
        throw failure != null ? failure : new IOException("cannot connect to " + address);
    }

    private void authenticate() throws IOException
    {
        final long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        final StringBuilder hex = new StringBuilder();
        for (final byte b : Long.toString(uid).getBytes(StandardCharsets.US_ASCII))
        {
            hex.append(String.format("%02x", b));
        }
        socket.setSoTimeout((int)DEFAULT_CALL_TIMEOUT.toMillis());
        out.write(0);
        out.write(("AUTH EXTERNAL " + hex + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final String answer = readLine();
        if (!answer.startsWith("OK "))
        {
            throw new IOException("the bus refused authentication: " + answer);
        }
        guid = answer.substring(3).trim();
        out.write("BEGIN\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(0);
    }

    private String readLine() throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n')
        {
            if (c < 0)
            {
                throw new EOFException("the bus closed the connection during authentication");
            }
            if (c != '\r')
            {
                line.append((char)c);
            }
            if (line.length() > 1024)
            {
                throw new IOException("authentication line too long");
            }
        }
        return line.toString();
    }

    /**
     * @return the unique name the bus assigned (Hello's reply).
     */
    public String uniqueName()
    {
        return uniqueName;
    }

    /**
     * @return the bus' GUID from authentication.
     */
    public String guid()
    {
        return guid;
    }

    /**
     * @return false once the connection is closed, by either side.
     */
    public boolean isConnected()
    {
        return !closed;
    }

    /**
     * @param handler receives every message that is not a reply to a call of this connection, on the reader
     *                thread, in arrival order.
     */
    public void addHandler(final MessageHandler handler)
    {
        handlers.add(handler);
    }

    /**
     * @param handler a handler added before.
     */
    public void removeHandler(final MessageHandler handler)
    {
        handlers.remove(handler);
    }

    /**
     * @param listener runs once when the connection closes (on the reader thread, or on the closing thread when
     *                 the reader had not started).
     */
    public void addCloseListener(final Runnable listener)
    {
        closeListeners.add(listener);
    }

    /**
     * Call a method and wait for the answer ({@link #DEFAULT_CALL_TIMEOUT}).
     *
     * @param destination bus name of the callee.
     * @param path        object path.
     * @param iface       interface, or null.
     * @param member      method name.
     * @param signature   signature of the arguments ("" for none).
     * @param args        the arguments ({@code u}/{@code t}/{@code x} as Long, {@code s} as String, …).
     * @return the method return or the error (see {@link Reply#orThrow()}).
     * @throws IOException when the connection fails or no answer comes in time.
     */
    public Reply call(
        final String destination, final String path, final String iface, final String member,
        final String signature, final Object... args) throws IOException
    {
        return call(DEFAULT_CALL_TIMEOUT, destination, path, iface, member, signature, args);
    }

    /**
     * Call a method and wait for the answer.
     *
     * @param timeout     how long to wait.
     * @param destination bus name of the callee.
     * @param path        object path.
     * @param iface       interface, or null.
     * @param member      method name.
     * @param signature   signature of the arguments ("" for none).
     * @param args        the arguments.
     * @return the method return or the error.
     * @throws IOException when the connection fails or no answer comes in time.
     */
    public Reply call(
        final Duration timeout, final String destination, final String path, final String iface,
        final String member, final String signature, final Object... args) throws IOException
    {
        final DBusMessageBuilder builder = DBusMessageBuilder.methodCall(destination, path, iface, member);
        if (!signature.isEmpty())
        {
            builder.body(signature, args);
        }
        final CompletableFuture<Reply> answer = new CompletableFuture<>();
        synchronized (writeLock)
        {
            final long serial = nextSerial++;
            pending.put(serial, answer);
            try
            {
                write(builder.serial(serial).build());
            }
            catch (final IOException ex)
            {
                pending.remove(serial);
                throw ex;
            }
        }
        if (closed)
        {
            failPending();
        }
        try
        {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof IOException ? (IOException)ex.getCause() : new IOException(ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new IOException("no answer to " + member + " within " + timeout);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + member);
        }
    }

    /**
     * Call a method of the bus driver ({@code org.freedesktop.DBus}) and return its reply.
     *
     * @param member    method name.
     * @param signature argument signature.
     * @param args      arguments.
     * @return the reply.
     * @throws IOException when the connection fails, no answer comes in time, or the answer is an error
     *                     ({@link DBusException}).
     */
    public Reply callDriver(final String member, final String signature, final Object... args) throws IOException
    {
        return call(DRIVER_NAME, DRIVER_PATH, DRIVER_INTERFACE, member, signature, args).orThrow();
    }

    /**
     * Ask the bus to route matching broadcasts to this connection.
     *
     * @param rule a D-Bus match rule.
     * @throws IOException on failure (e.g. {@code MatchRuleInvalid}).
     */
    public void addMatch(final String rule) throws IOException
    {
        callDriver("AddMatch", "s", rule);
    }

    /**
     * Send a message; its serial is assigned here.
     *
     * @param builder the message.
     * @return the serial it was sent with.
     * @throws IOException when the connection fails.
     */
    public long send(final DBusMessageBuilder builder) throws IOException
    {
        synchronized (writeLock)
        {
            final long serial = nextSerial++;
            write(builder.serial(serial).build());
            return serial;
        }
    }

    /**
     * Emit a broadcast signal.
     *
     * @param path      object path of the emitter.
     * @param iface     interface.
     * @param member    signal name.
     * @param signature signature of the arguments ("" for none).
     * @param args      the arguments.
     * @return the serial it was sent with.
     * @throws IOException when the connection fails.
     */
    public long emitSignal(
        final String path, final String iface, final String member, final String signature, final Object... args)
        throws IOException
    {
        final DBusMessageBuilder builder = DBusMessageBuilder.signal(path, iface, member);
        if (!signature.isEmpty())
        {
            builder.body(signature, args);
        }
        return send(builder);
    }

    private void write(final byte[] bytes) throws IOException
    {
        if (closed)
        {
            throw new IOException("connection closed", closeCause);
        }
        out.write(bytes);
        out.flush();
    }

    private void readLoop()
    {
        try
        {
            while (!closed)
            {
                final int length = readMessage();
                dispatch(length);
            }
        }
        catch (final IOException ex)
        {
            if (!closed)
            {
                closeCause = ex;
                LOG.debug("connection {} ended: {}", uniqueName, ex.toString());
            }
        }
        catch (final RuntimeException ex)
        {
            closeCause = new IOException(ex);
            LOG.warn("connection {} closed: a handler or the bus failed", uniqueName, ex);
        }
        finally
        {
            closeQuietly();
            failPending();
            for (final Runnable listener : closeListeners)
            {
                try
                {
                    listener.run();
                }
                catch (final RuntimeException ex)
                {
                    LOG.warn("close listener failed", ex);
                }
            }
        }
    }

    private int readMessage() throws IOException
    {
        readFully(0, DBusProtocol.MINIMUM_HEADER_LENGTH);
        final int length = DBusFraming.messageLength(readBuffer, 0, DBusProtocol.MINIMUM_HEADER_LENGTH);
        if (length < DBusProtocol.MINIMUM_HEADER_LENGTH)
        {
            throw new IOException("bad message framing from the bus (" + length + ")");
        }
        if (readBuffer.capacity() < length)
        {
            final byte[] bigger = new byte[Math.max(length, readBuffer.capacity() * 2)];
            readBuffer.getBytes(0, bigger, 0, DBusProtocol.MINIMUM_HEADER_LENGTH);
            readBuffer.wrap(bigger);
        }
        readFully(DBusProtocol.MINIMUM_HEADER_LENGTH, length - DBusProtocol.MINIMUM_HEADER_LENGTH);
        return length;
    }

    private void readFully(final int offset, final int length) throws IOException
    {
        final byte[] array = readBuffer.byteArray();
        int done = 0;
        while (done < length)
        {
            final int n = in.read(array, offset + done, length - done);
            if (n < 0)
            {
                throw new EOFException("the bus closed the connection");
            }
            done += n;
        }
    }

    private void dispatch(final int length) throws IOException
    {
        try
        {
            message.wrap(readBuffer, 0, length);
        }
        catch (final DBusCodecException ex)
        {
            throw new IOException("invalid message from the bus: " + ex.getMessage(), ex);
        }
        final int type = message.type();
        if (type == DBusProtocol.TYPE_METHOD_RETURN || type == DBusProtocol.TYPE_ERROR)
        {
            final CompletableFuture<Reply> answer = pending.remove(message.replySerial());
            if (answer != null)
            {
                answer.complete(Reply.of(message));
                return;
            }
        }
        for (final MessageHandler handler : handlers)
        {
            handler.onMessage(message);
        }
    }

    private void failPending()
    {
        for (final Long serial : pending.keySet())
        {
            final CompletableFuture<Reply> answer = pending.remove(serial);
            if (answer != null)
            {
                answer.completeExceptionally(new IOException("connection closed", closeCause));
            }
        }
    }

    private void closeQuietly()
    {
        closed = true;
        try
        {
            socket.close();
        }
        catch (final IOException ex)
        {
            LOG.debug("closing the socket", ex);
        }
    }

    /**
     * Close the socket. Waits (up to 10 s) for the reader thread to finish the message it is handling, unless
     * called from a handler. Idempotent.
     */
    @Override
    public void close()
    {
        closeQuietly();
        if (reader.isAlive() && Thread.currentThread() != reader)
        {
            try
            {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        else if (!reader.isAlive() && reader.getState() == Thread.State.NEW)
        {
            failPending();
        }
    }
}
