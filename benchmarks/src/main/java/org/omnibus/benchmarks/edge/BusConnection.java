package org.omnibus.benchmarks.edge;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.dbus.DBusFraming;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;
import org.omnibus.codec.dbus.DBusValues;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A minimal blocking D-Bus client connection: the one client implementation the edge benchmark runs against every
 * bus. It speaks the wire protocol with the project's codec (org.omnibus.codec.dbus) over a JDK Unix-domain
 * {@link SocketChannel}: SASL EXTERNAL, Hello, then one {@code write} per message sent (as libdbus and sd-bus do) and
 * reads of whatever the socket holds, up to 1 MiB at a time, framed with {@link DBusFraming} and header-validated
 * with {@link DBusMessageFlyweight#wrapHeader}.
 * <p>
 * The hot path ({@link #receive()}, {@link #send(MessageTemplate)}, {@link #writeBuffer()} + {@link #flush(int)})
 * allocates nothing; {@link #call(DBusMessageBuilder)} allocates and is for setup only. Not thread-safe, except that
 * one thread may send while another receives.
 */
public final class BusConnection implements AutoCloseable
{
    /** The bus driver's name, path and interface. */
    public static final String DRIVER = "org.freedesktop.DBus";
    /** The bus driver's object path. */
    public static final String DRIVER_PATH = "/org/freedesktop/DBus";
    /** RequestName flag DO_NOT_QUEUE. */
    public static final int NAME_FLAG_DO_NOT_QUEUE = 4;
    /** RequestName reply PRIMARY_OWNER. */
    public static final long NAME_REPLY_PRIMARY_OWNER = 1;

    private static final int READ_CAPACITY = 1 << 20;
    private static final int WRITE_CAPACITY = 64 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer readByteBuffer = ByteBuffer.allocateDirect(READ_CAPACITY);
    private final UnsafeBuffer readBuffer = new UnsafeBuffer(readByteBuffer);
    private final ByteBuffer writeByteBuffer = ByteBuffer.allocateDirect(WRITE_CAPACITY);
    private final UnsafeBuffer writeBuffer = new UnsafeBuffer(writeByteBuffer);
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private int readPosition;
    private int readLimit;
    private long lastSerial;
    private String uniqueName;

    private BusConnection(final SocketChannel channel)
    {
        this.channel = channel;
    }

    /**
     * Connect, authenticate with EXTERNAL and say Hello. A watchdog closes the socket if this does not finish in
     * time, so a bus that never answers fails the call instead of hanging it.
     *
     * @param address   a {@code unix:path=} D-Bus address, or {@code direct:path=} for a peer-to-peer connection to a
     *                  direct echo service (no authentication, no Hello, no bus).
     * @param timeoutMs bound on connect, authentication and Hello.
     * @return the connection, with its unique name known.
     * @throws IOException if the bus refuses or does not answer in time.
     */
    public static BusConnection open(final String address, final long timeoutMs) throws IOException
    {
        if (address.startsWith(BusAddress.DIRECT_PREFIX))
        {
            final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(BusAddress.socketPath(address)));
            return new BusConnection(channel);
        }
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        final BusConnection connection = new BusConnection(channel);
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                Thread.sleep(timeoutMs);
                channel.close();
            }
            catch (final InterruptedException | IOException ignore)
            {
                // finished in time, or closed anyway
            }
        }, "bus-connect-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try
        {
            channel.connect(UnixDomainSocketAddress.of(BusAddress.socketPath(address)));
            connection.authenticate();
            final List<Object> reply =
                connection.call(DBusMessageBuilder.methodCall(DRIVER, DRIVER_PATH, DRIVER, "Hello"));
            connection.uniqueName = (String)reply.get(0);
            return connection;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            if (!watchdog.isAlive())
            {
                throw new IOException("no answer from " + address + " within " + timeoutMs + " ms", ex);
            }
            throw ex;
        }
        finally
        {
            watchdog.interrupt();
        }
    }

    /**
     * Accept one peer-to-peer connection (no bus, no authentication): the far end of a {@code direct:path=} address,
     * for measuring the client's own floor.
     *
     * @param server a listening Unix socket.
     * @return the connection.
     * @throws IOException on a socket error.
     */
    public static BusConnection accept(final ServerSocketChannel server) throws IOException
    {
        return new BusConnection(server.accept());
    }

    /**
     * @return the unique name the bus gave in reply to Hello (null on a direct connection).
     */
    public String uniqueName()
    {
        return uniqueName;
    }

    /**
     * @return the next serial to put in an outgoing message.
     */
    public long nextSerial()
    {
        lastSerial = lastSerial == 0xFFFF_FFFFL ? 1 : lastSerial + 1;
        return lastSerial;
    }

    /**
     * Block until the next complete message has arrived and wrap it (header validated). The flyweight and the bytes it
     * points at stay valid until the next call.
     *
     * @return the message.
     * @throws IOException on end of stream, a framing error or a socket error.
     */
    public DBusMessageFlyweight receive() throws IOException
    {
        while (true)
        {
            final int available = readLimit - readPosition;
            final int length = DBusFraming.messageLength(readBuffer, readPosition, available);
            if (length > 0 && length <= available)
            {
                message.wrapHeader(readBuffer, readPosition, length);
                readPosition += length;
                return message;
            }
            if (length < 0 && length != DBusFraming.NEED_MORE_BYTES)
            {
                throw new IOException("bad message framing from the bus: " + DBusFraming.rule(length));
            }
            if (length > READ_CAPACITY)
            {
                throw new IOException("message of " + length + " bytes exceeds the client's buffer");
            }
            final int needed = Math.max(length, DBusProtocol.MINIMUM_HEADER_LENGTH);
            if (readPosition + needed > READ_CAPACITY || readLimit == READ_CAPACITY)
            {
                compact();
            }
            fill();
        }
    }

    /**
     * Send a pre-built message after stamping the next serial into it.
     *
     * @param template the message.
     * @return the serial it went with.
     * @throws IOException on a socket error.
     */
    public long send(final MessageTemplate template) throws IOException
    {
        final long serial = nextSerial();
        template.serial(serial);
        write(template.byteBuffer(), template.length());
        return serial;
    }

    /**
     * @return a buffer to encode one outgoing message into at index 0 before {@link #flush(int)}.
     */
    public MutableDirectBuffer writeBuffer()
    {
        return writeBuffer;
    }

    /**
     * Write the message encoded at the start of {@link #writeBuffer()}.
     *
     * @param length its length.
     * @throws IOException on a socket error.
     */
    public void flush(final int length) throws IOException
    {
        write(writeByteBuffer, length);
    }

    /**
     * Call a method and wait for its reply, ignoring any other message meanwhile (setup only: allocates).
     *
     * @param call the call (its serial is set here).
     * @return the reply's body values.
     * @throws IOException on a socket error or an ERROR reply.
     */
    public List<Object> call(final DBusMessageBuilder call) throws IOException
    {
        final long serial = nextSerial();
        final byte[] bytes = call.serial(serial).build();
        final ByteBuffer out = ByteBuffer.allocateDirect(bytes.length);
        out.put(bytes).flip();
        write(out, bytes.length);
        while (true)
        {
            final DBusMessageFlyweight reply = receive();
            if ((reply.type() == DBusProtocol.TYPE_METHOD_RETURN || reply.type() == DBusProtocol.TYPE_ERROR) &&
                reply.replySerial() == serial)
            {
                reply.wrap(reply.buffer(), reply.offset(), reply.length());
                final List<Object> values = DBusValues.readBody(reply);
                if (reply.type() == DBusProtocol.TYPE_ERROR)
                {
                    throw new IOException(reply.fieldAsString(DBusHeaderField.ERROR_NAME) + ": " + values);
                }
                return values;
            }
        }
    }

    /**
     * Own a well-known name, refusing to queue for it.
     *
     * @param name the name.
     * @throws IOException if the bus does not make this connection its primary owner.
     */
    public void requestName(final String name) throws IOException
    {
        final List<Object> reply = call(DBusMessageBuilder.methodCall(DRIVER, DRIVER_PATH, DRIVER, "RequestName")
            .body("su", name, (long)NAME_FLAG_DO_NOT_QUEUE));
        if (((Number)reply.get(0)).longValue() != NAME_REPLY_PRIMARY_OWNER)
        {
            throw new IOException("RequestName " + name + " answered " + reply.get(0));
        }
    }

    /**
     * Add a match rule.
     *
     * @param rule the rule.
     * @throws IOException if the bus refuses it.
     */
    public void addMatch(final String rule) throws IOException
    {
        call(DBusMessageBuilder.methodCall(DRIVER, DRIVER_PATH, DRIVER, "AddMatch").body("s", rule));
    }

    /**
     * Close the socket.
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
    }

    private void authenticate() throws IOException
    {
        final String uid = String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        final StringBuilder hex = new StringBuilder();
        for (final byte b : uid.getBytes(StandardCharsets.US_ASCII))
        {
            hex.append(String.format("%02x", b));
        }
        writeAscii("\0AUTH EXTERNAL " + hex + "\r\n");
        final String line = readLine();
        if (!line.startsWith("OK "))
        {
            throw new IOException("authentication refused: " + line);
        }
        writeAscii("BEGIN\r\n");
    }

    private void writeAscii(final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        writeBuffer.putBytes(0, bytes);
        flush(bytes.length);
    }

    private String readLine() throws IOException
    {
        while (true)
        {
            for (int i = readPosition; i + 1 < readLimit; i++)
            {
                if (readBuffer.getByte(i) == '\r' && readBuffer.getByte(i + 1) == '\n')
                {
                    final String line = readBuffer.getStringWithoutLengthAscii(readPosition, i - readPosition);
                    readPosition = i + 2;
                    return line;
                }
            }
            if (readLimit - readPosition > 16 * 1024)
            {
                throw new IOException("SASL line too long");
            }
            fill();
        }
    }

    private void compact()
    {
        readByteBuffer.limit(readLimit).position(readPosition);
        readByteBuffer.compact();
        readLimit -= readPosition;
        readPosition = 0;
    }

    private void fill() throws IOException
    {
        readByteBuffer.limit(READ_CAPACITY).position(readLimit);
        final int read = channel.read(readByteBuffer);
        if (read < 0)
        {
            throw new EOFException("the bus closed the connection");
        }
        readLimit += read;
    }

    private void write(final ByteBuffer source, final int length) throws IOException
    {
        source.limit(length).position(0);
        while (source.hasRemaining())
        {
            channel.write(source);
        }
    }
}
