package org.omnibus.systemtest;

import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.dbus.DBusCodecException;
import org.omnibus.codec.dbus.DBusFraming;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A minimal D-Bus client over the project's wire codec, for tests that need control a library would not give:
 * exact serials, raw bytes, the order of every message received. SASL EXTERNAL with the process's uid, then Hello.
 * A reader thread frames incoming messages into a queue; the end of the stream is queued as
 * {@link WireMessage#END_OF_STREAM}. Not thread-safe: one test thread drives it.
 */
public final class WireClient implements AutoCloseable
{
    /** The bus driver's name. */
    public static final String DRIVER = "org.freedesktop.DBus";

    /** The bus driver's object path. */
    public static final String DRIVER_PATH = "/org/freedesktop/DBus";

    /** The bus driver's interface. */
    public static final String DRIVER_IFACE = "org.freedesktop.DBus";

    /** How long a test waits for any single answer from the bus. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final int MAX_SASL_LINE = 16 * 1024;

    private final SocketChannel channel;
    private final BlockingQueue<WireMessage> inbox = new LinkedBlockingQueue<>();
    private final ArrayDeque<WireMessage> pushedBack = new ArrayDeque<>();
    private Thread reader;
    private volatile String readerFailure;
    private long nextSerial = 1;
    private String uniqueName;
    private String guid;

    private WireClient(final SocketChannel channel)
    {
        this.channel = channel;
    }

    /**
     * Connect, authenticate and say Hello.
     *
     * @param socket the bus socket.
     * @return the connected client; its unique name is {@link #uniqueName()}.
     * @throws IOException if the bus cannot be reached or refuses.
     */
    public static WireClient connect(final Path socket) throws IOException
    {
        final WireClient client = open(socket);
        try
        {
            client.authenticate();
            client.hello();
            return client;
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            client.close();
            throw ex;
        }
    }

    /**
     * Open the socket without authenticating, for tests that write their own bytes ({@link #write}); call
     * {@link #authenticate()} and {@link #hello()} or {@link #startReader()} as the test needs.
     *
     * @param socket the bus socket.
     * @return the client.
     * @throws IOException if the socket cannot be connected.
     */
    public static WireClient open(final Path socket) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
        }
        catch (final IOException ex)
        {
            channel.close();
            throw ex;
        }
        return new WireClient(channel);
    }

    /**
     * @return the uid of this process, as EXTERNAL authentication sends it.
     * @throws IOException if /proc cannot be read.
     */
    public static int processUid() throws IOException
    {
        return (Integer)Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /**
     * Authenticate with EXTERNAL (the nul byte, AUTH, BEGIN) and start the reader.
     *
     * @throws IOException if the bus does not answer OK.
     */
    public void authenticate() throws IOException
    {
        write(("\0AUTH EXTERNAL " + hex(Integer.toString(processUid())) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        final String reply = readSaslLine();
        if (!reply.startsWith("OK "))
        {
            throw new IOException("bus refused EXTERNAL authentication: " + reply);
        }
        guid = reply.substring(3).trim();
        write("BEGIN\r\n".getBytes(StandardCharsets.US_ASCII));
        startReader();
    }

    /**
     * Call Hello and remember the unique name.
     *
     * @return the unique name.
     * @throws IOException if the bus does not answer.
     */
    public String hello() throws IOException
    {
        final WireMessage reply = callDriver("Hello", "");
        if (!reply.isReturn())
        {
            throw new IOException("Hello failed: " + reply);
        }
        uniqueName = (String)reply.arg(0);
        return uniqueName;
    }

    /**
     * Read one SASL line (up to CR LF), byte by byte so nothing after it is consumed. Blocking: bound the test with
     * a timeout.
     *
     * @return the line without CR LF.
     * @throws IOException on end of stream or an overlong line.
     */
    public String readSaslLine() throws IOException
    {
        final StringBuilder line = new StringBuilder();
        final ByteBuffer one = ByteBuffer.allocate(1);
        while (line.length() < MAX_SASL_LINE)
        {
            one.clear();
            if (channel.read(one) < 0)
            {
                throw new IOException("end of stream during authentication after '" + line + "'");
            }
            final char c = (char)(one.get(0) & 0xFF);
            if (c == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r')
            {
                return line.substring(0, line.length() - 1);
            }
            line.append(c);
        }
        throw new IOException("overlong SASL line: " + line.substring(0, 80));
    }

    /**
     * Start the thread that frames incoming D-Bus messages (after authentication).
     */
    public void startReader()
    {
        if (reader == null)
        {
            reader = new Thread(this::readLoop, "wire-client-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * @return the unique name from Hello, null before it.
     */
    public String uniqueName()
    {
        return uniqueName;
    }

    /**
     * @return the bus GUID from the SASL OK line, null before authentication.
     */
    public String guid()
    {
        return guid;
    }

    /**
     * Write raw bytes.
     *
     * @param bytes what to write.
     * @throws IOException if the connection is gone.
     */
    public void write(final byte[] bytes) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    /**
     * Close our sending side (the bus sees end of stream) but keep reading.
     *
     * @throws IOException if the socket is gone.
     */
    public void shutdownOutput() throws IOException
    {
        channel.shutdownOutput();
    }

    /**
     * @return the serial the next {@link #send} uses.
     */
    public long nextSerial()
    {
        return nextSerial;
    }

    /**
     * Send a message with the next serial.
     *
     * @param message the message; its serial is set here.
     * @return the serial used.
     * @throws IOException if the connection is gone.
     */
    public long send(final DBusMessageBuilder message) throws IOException
    {
        final long serial = nextSerial++;
        write(message.serial(serial).build());
        return serial;
    }

    /**
     * Send a method call and wait for its reply; whatever arrives before the reply stays queued for {@link #next}.
     *
     * @param destination bus name or null.
     * @param path        object path.
     * @param iface       interface or null.
     * @param member      method.
     * @param signature   body signature ("" for none).
     * @param args        body values.
     * @return the METHOD_RETURN or ERROR.
     * @throws IOException if the connection is gone.
     */
    public WireMessage call(
        final String destination,
        final String path,
        final String iface,
        final String member,
        final String signature,
        final Object... args) throws IOException
    {
        final DBusMessageBuilder message = DBusMessageBuilder.methodCall(destination, path, iface, member);
        if (!signature.isEmpty())
        {
            message.body(signature, args);
        }
        return awaitReply(send(message), new ArrayList<>());
    }

    /**
     * Call a method of the bus driver.
     *
     * @param member    method of org.freedesktop.DBus.
     * @param signature body signature ("" for none).
     * @param args      body values.
     * @return the METHOD_RETURN or ERROR.
     * @throws IOException if the connection is gone.
     */
    public WireMessage callDriver(final String member, final String signature, final Object... args)
        throws IOException
    {
        return call(DRIVER, DRIVER_PATH, DRIVER_IFACE, member, signature, args);
    }

    /**
     * Wait for the reply to {@code serial}; messages before it are appended to {@code before} and also stay
     * available to {@link #next} (in order).
     *
     * @param serial the call's serial.
     * @param before receives the messages that came first.
     * @return the reply.
     */
    public WireMessage awaitReply(final long serial, final List<WireMessage> before)
    {
        final List<WireMessage> skipped = new ArrayList<>();
        try
        {
            final WireMessage reply = await(m -> (m.isReturn() || m.isError()) && m.replySerial() == serial, skipped);
            before.addAll(skipped);
            return reply;
        }
        finally
        {
            requeueFirst(skipped);
        }
    }

    /**
     * Wait for the reply to {@code serial}, consuming (and returning in {@code before}) what came first.
     *
     * @param serial the call's serial.
     * @param before receives the messages that came first; they are not kept for {@link #next}.
     * @return the reply.
     */
    public WireMessage takeReply(final long serial, final List<WireMessage> before)
    {
        return await(m -> (m.isReturn() || m.isError()) && m.replySerial() == serial, before);
    }

    /**
     * Take the next message.
     *
     * @param timeout how long to wait.
     * @return the message, or {@link WireMessage#END_OF_STREAM} once the bus has closed the connection.
     * @throws AssertionError if nothing arrives in time.
     */
    public WireMessage next(final Duration timeout)
    {
        final WireMessage message = nextOrNull(timeout.toNanos());
        if (message == null)
        {
            throw new AssertionError(describe() + ": nothing received within " + timeout.toMillis() + " ms");
        }
        return message;
    }

    /**
     * Take the next message if one comes in time.
     *
     * @param timeout how long to wait.
     * @return the message, {@link WireMessage#END_OF_STREAM} once the bus has closed the connection, or null.
     */
    public WireMessage poll(final Duration timeout)
    {
        return nextOrNull(timeout.toNanos());
    }

    /**
     * Take the next message.
     *
     * @return the message or {@link WireMessage#END_OF_STREAM}.
     * @throws AssertionError if nothing arrives within {@link #DEFAULT_TIMEOUT}.
     */
    public WireMessage next()
    {
        return next(DEFAULT_TIMEOUT);
    }

    /**
     * Take messages until one matches; the others go to {@code skipped}.
     *
     * @param condition what to wait for.
     * @param skipped   receives the messages that did not match, in order.
     * @return the matching message.
     * @throws AssertionError if the stream ends or nothing matches within {@link #DEFAULT_TIMEOUT}.
     */
    public WireMessage await(final Predicate<WireMessage> condition, final List<WireMessage> skipped)
    {
        final long deadlineNs = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true)
        {
            final long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0)
            {
                throw new AssertionError(describe() + ": no matching message within " +
                    DEFAULT_TIMEOUT.toMillis() + " ms; received " + skipped);
            }
            final WireMessage message = next(Duration.ofNanos(leftNs));
            if (message.isEndOfStream())
            {
                throw new AssertionError(describe() + ": the bus closed the connection; received " + skipped +
                    (readerFailure != null ? "; reader: " + readerFailure : ""));
            }
            if (condition.test(message))
            {
                return message;
            }
            skipped.add(message);
        }
    }

    /**
     * Wait until the bus closes the connection, discarding messages meanwhile.
     *
     * @param timeout how long to wait.
     * @return the messages received before the end of the stream.
     * @throws AssertionError if the connection is still open at the deadline.
     */
    public List<WireMessage> awaitEndOfStream(final Duration timeout)
    {
        startReader();
        final List<WireMessage> before = new ArrayList<>();
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0)
            {
                throw new AssertionError(describe() + ": the bus did not close the connection within " +
                    timeout.toMillis() + " ms; received " + before);
            }
            final WireMessage message = nextOrNull(leftNs);
            if (message == null)
            {
                continue;
            }
            if (message.isEndOfStream())
            {
                return before;
            }
            before.add(message);
        }
    }

    /**
     * @return true if the reader has seen the end of the stream.
     */
    public boolean isEndOfStream()
    {
        final WireMessage head = pushedBack.isEmpty() ? inbox.peek() : pushedBack.peek();
        return head != null && head.isEndOfStream();
    }

    /**
     * @return the messages received so far and not yet taken (taking them).
     */
    public List<WireMessage> drain()
    {
        final List<WireMessage> messages = new ArrayList<>();
        WireMessage message;
        while ((message = nextOrNull(0)) != null && !message.isEndOfStream())
        {
            messages.add(message);
        }
        return messages;
    }

    /**
     * Close the socket and stop the reader. Idempotent.
     */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
        if (reader != null)
        {
            try
            {
                reader.join(DEFAULT_TIMEOUT.toMillis());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    public String toString()
    {
        return describe();
    }

    private String describe()
    {
        return "WireClient[" + (uniqueName != null ? uniqueName : "no name") + "]";
    }

    private void requeueFirst(final List<WireMessage> messages)
    {
        for (int i = messages.size() - 1; i >= 0; i--)
        {
            pushedBack.addFirst(messages.get(i));
        }
    }

    private WireMessage nextOrNull(final long timeoutNs)
    {
        try
        {
            final WireMessage message = pushedBack.isEmpty() ?
                inbox.poll(timeoutNs, TimeUnit.NANOSECONDS) : pushedBack.poll();
            if (message != null && message.isEndOfStream())
            {
                pushedBack.addLast(message);
            }
            return message;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(describe() + ": interrupted", ex);
        }
    }

    private void readLoop()
    {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final DBusMessageFlyweight flyweight = new DBusMessageFlyweight();
        try
        {
            while (true)
            {
                if (channel.read(buffer) < 0)
                {
                    break;
                }
                int offset = 0;
                while (true)
                {
                    view.wrap(buffer.array(), 0, buffer.position());
                    final int length = DBusFraming.messageLength(view, offset, buffer.position() - offset);
                    if (length == DBusFraming.NEED_MORE_BYTES)
                    {
                        break;
                    }
                    if (length < 0)
                    {
                        throw new IOException("bad framing from the bus: " + DBusFraming.rule(length));
                    }
                    if (buffer.position() - offset < length)
                    {
                        if (length > buffer.capacity())
                        {
                            buffer = grow(buffer, length + offset);
                        }
                        break;
                    }
                    inbox.add(WireMessage.of(flyweight.wrap(view, offset, length)));
                    offset += length;
                }
                buffer.flip().position(offset);
                buffer.compact();
            }
        }
        catch (final IOException | DBusCodecException ex)
        {
            if (channel.isOpen())
            {
                readerFailure = ex.toString();
            }
        }
        finally
        {
            inbox.add(WireMessage.END_OF_STREAM);
        }
    }

    private static ByteBuffer grow(final ByteBuffer buffer, final int capacity)
    {
        final ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, buffer.capacity() * 2));
        bigger.put(Arrays.copyOf(buffer.array(), buffer.position()));
        return bigger;
    }

    /**
     * @param text ASCII text.
     * @return its bytes as lowercase hex, as SASL sends them.
     */
    public static String hex(final String text)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : text.getBytes(StandardCharsets.US_ASCII))
        {
            sb.append(String.format(Locale.ROOT, "%02x", b));
        }
        return sb.toString();
    }
}
