package org.omnibus.test;

import org.agrona.concurrent.UnsafeBuffer;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.omnibus.codec.dbus.DBusFraming;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;
import org.omnibus.codec.dbus.DBusValues;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Predicate;

/**
 * A small blocking D-Bus client for tests, built on the project's codec: authenticates (EXTERNAL), says
 * Hello, sends messages and reads them back in arrival order. Messages that a wait skips over are kept, so a
 * test can look at signals after it has seen a reply. Not thread-safe.
 */
public final class DBusTestClient implements Closeable
{
    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ArrayDeque<Message> pending = new ArrayDeque<>();
    private long nextSerial = 1;
    private String uniqueName;

    /**
     * A message as received.
     *
     * @param type        D-Bus message type.
     * @param serial      its serial.
     * @param replySerial serial it answers, or 0.
     * @param sender      sender field, or null.
     * @param destination destination field, or null.
     * @param path        object path, or null.
     * @param iface       interface, or null.
     * @param member      member, or null.
     * @param errorName   error name, or null.
     * @param signature   body signature ("" when none).
     * @param body        decoded arguments.
     */
    public record Message(
        int type, long serial, long replySerial, String sender, String destination, String path, String iface,
        String member, String errorName, String signature, List<Object> body)
    {
        /**
         * @return whether it is an error.
         */
        public boolean isError()
        {
            return type == DBusProtocol.TYPE_ERROR;
        }

        /**
         * @return whether it is a signal.
         */
        public boolean isSignal()
        {
            return type == DBusProtocol.TYPE_SIGNAL;
        }

        /**
         * @param index of an argument.
         * @return the argument.
         */
        public Object arg(final int index)
        {
            return body.get(index);
        }
    }

    private DBusTestClient(final AFUNIXSocket socket) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connect, authenticate and say Hello.
     *
     * @param socketPath the bus socket.
     * @return a registered client.
     * @throws IOException if the bus refuses or the socket fails.
     */
    public static DBusTestClient connect(final Path socketPath) throws IOException
    {
        final DBusTestClient client = connectWithoutHello(socketPath);
        final Message reply = client.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "Hello", "");
        if (reply.isError())
        {
            client.close();
            throw new IOException("Hello failed: " + reply.errorName() + " " + reply.body());
        }
        client.uniqueName = (String)reply.arg(0);
        return client;
    }

    /**
     * Connect and authenticate, without Hello.
     *
     * @param socketPath the bus socket.
     * @return an authenticated client.
     * @throws IOException if authentication fails.
     */
    public static DBusTestClient connectWithoutHello(final Path socketPath) throws IOException
    {
        final AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketPath));
        socket.setSoTimeout(10_000);
        final DBusTestClient client = new DBusTestClient(socket);
        client.out.write("\0AUTH EXTERNAL\r\nDATA\r\nBEGIN\r\n".getBytes(StandardCharsets.US_ASCII));
        final String data = client.readLine();
        final String ok = client.readLine();
        if (!"DATA".equals(data) || !ok.startsWith("OK "))
        {
            client.close();
            throw new IOException("authentication refused: " + data + " / " + ok);
        }
        return client;
    }

    /**
     * @return the unique name the bus assigned.
     */
    public String uniqueName()
    {
        return uniqueName;
    }

    /**
     * @return the next serial this client will use.
     */
    public long nextSerial()
    {
        return nextSerial;
    }

    /**
     * Call a method and wait for its reply or error (other messages received meanwhile are kept).
     *
     * @return the reply or error.
     * @throws IOException on a socket error or timeout.
     */
    public Message call(
        final String destination, final String path, final String iface, final String member,
        final String signature, final Object... args) throws IOException
    {
        final DBusMessageBuilder builder = DBusMessageBuilder.methodCall(destination, path, iface, member);
        if (!signature.isEmpty())
        {
            builder.body(signature, args);
        }
        final long serial = send(builder);
        return await(m -> (m.type() == DBusProtocol.TYPE_METHOD_RETURN || m.isError()) && m.replySerial() == serial,
            Duration.ofSeconds(10));
    }

    /**
     * Call a method on the bus driver.
     *
     * @return the reply or error.
     * @throws IOException on a socket error or timeout.
     */
    public Message callDriver(final String member, final String signature, final Object... args) throws IOException
    {
        return call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", member, signature, args);
    }

    /**
     * Send a message; the serial is assigned here.
     *
     * @param builder the message.
     * @return its serial.
     * @throws IOException on a socket error.
     */
    public long send(final DBusMessageBuilder builder) throws IOException
    {
        final long serial = nextSerial++;
        sendRaw(builder.serial(serial).build());
        return serial;
    }

    /**
     * Write raw bytes.
     *
     * @param bytes to write.
     * @throws IOException on a socket error.
     */
    public void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * Wait for a message matching a predicate; earlier messages that don't match are kept for later waits.
     *
     * @param predicate what to wait for.
     * @param timeout   how long.
     * @return the message.
     * @throws IOException on a socket error, end of stream, or timeout.
     */
    public Message await(final Predicate<Message> predicate, final Duration timeout) throws IOException
    {
        for (final Message m : pending)
        {
            if (predicate.test(m))
            {
                pending.remove(m);
                return m;
            }
        }
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0)
            {
                throw new SocketTimeoutException("no matching message within " + timeout + "; kept: " + pending);
            }
            socket.setSoTimeout((int)Math.max(1, leftMs));
            final Message m = read();
            if (predicate.test(m))
            {
                return m;
            }
            pending.add(m);
        }
    }

    /**
     * Wait for the next signal with a member name.
     *
     * @return the signal.
     * @throws IOException on a socket error or timeout.
     */
    public Message awaitSignal(final String member, final Duration timeout) throws IOException
    {
        return await(m -> m.isSignal() && member.equals(m.member()), timeout);
    }

    /**
     * @return true when the bus has closed the connection (reads end of stream within the timeout).
     * @throws IOException on another socket error.
     */
    public boolean awaitClosed(final Duration timeout) throws IOException
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadlineNs)
        {
            socket.setSoTimeout((int)Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000));
            try
            {
                final int b = in.read();
                if (b < 0)
                {
                    return true;
                }
            }
            catch (final SocketTimeoutException ex)
            {
                return false;
            }
            catch (final IOException ex)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return messages received but not yet consumed by a wait.
     */
    public List<Message> pending()
    {
        return List.copyOf(pending);
    }

    private Message read() throws IOException
    {
        final byte[] start = in.readNBytes(16);
        if (start.length < 16)
        {
            throw new IOException("end of stream");
        }
        final int length = DBusFraming.messageLength(new UnsafeBuffer(start), 0, 16);
        if (length < 16)
        {
            throw new IOException("bad framing from the bus: " + length);
        }
        final byte[] whole = new byte[length];
        System.arraycopy(start, 0, whole, 0, 16);
        final byte[] rest = in.readNBytes(length - 16);
        if (rest.length < length - 16)
        {
            throw new IOException("end of stream inside a message");
        }
        System.arraycopy(rest, 0, whole, 16, rest.length);
        final DBusMessageFlyweight flyweight = new DBusMessageFlyweight().wrap(new UnsafeBuffer(whole), 0, length);
        final String signature = flyweight.signature();
        return new Message(
            flyweight.type(), flyweight.serial(), flyweight.replySerial(), flyweight.sender(),
            flyweight.destination(), flyweight.path(), flyweight.interfaceName(), flyweight.member(),
            flyweight.errorName(), signature == null ? "" : signature, DBusValues.readBody(flyweight));
    }

    private String readLine() throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n')
        {
            if (c < 0)
            {
                throw new IOException("end of stream during authentication");
            }
            if (c != '\r')
            {
                line.append((char)c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
