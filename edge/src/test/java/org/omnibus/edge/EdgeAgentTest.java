package org.omnibus.edge;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge's socket handling with a toy framing (a 4-byte big-endian length then that many bytes), so that
 * accept, credentials, SASL, framing across reads, output and disconnects are tested without the D-Bus codec.
 */
@Timeout(30)
class EdgeAgentTest
{
    @TempDir
    Path dir;

    private AgentRunner runner;
    private EdgeAgent agent;
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final MessageFramer lengthPrefixed = (buffer, offset, available) ->
    {
        if (available < 4)
        {
            return MessageFramer.NEED_MORE;
        }
        final int length = buffer.getInt(offset, java.nio.ByteOrder.BIG_ENDIAN);
        return length < 0 || length > 1 << 20 ? -1 : 4 + length;
    };

    /** Echoes each message back upper-cased and records what happened. */
    private final EdgeHandler echo = new EdgeHandler()
    {
        public void onAuthenticated(final EdgeConnection connection)
        {
            events.add("auth uid=" + connection.uid() + " pid=" + connection.pid() + " fds=" + connection.unixFdsNegotiated());
        }

        public boolean onMessage(final EdgeConnection connection, final DirectBuffer buffer, final int offset, final int length)
        {
            final String text = buffer.getStringWithoutLengthAscii(offset + 4, length - 4);
            events.add("msg " + text);
            final byte[] reply = text.toUpperCase().getBytes(StandardCharsets.US_ASCII);
            final UnsafeBuffer out = new UnsafeBuffer(new byte[4 + reply.length]);
            out.putInt(0, reply.length, java.nio.ByteOrder.BIG_ENDIAN);
            out.putBytes(4, reply);
            connection.send(out, 0, out.capacity());
            agent.markDirty(connection);
            return true;
        }

        public void onDisconnected(final EdgeConnection connection, final String reason)
        {
            events.add("gone " + reason);
        }
    };

    private Path start(final long authTimeoutNs) throws IOException
    {
        final Path socket = dir.resolve("bus");
        final EdgeContext ctx = new EdgeContext()
            .addListenAddress(BusAddress.ofPath(socket))
            .guidHex("0123456789abcdef0123456789abcdef")
            .initialBufferLength(1024)
            .maxMessageLength(64 * 1024)
            .maxOutboundBytes(64 * 1024)
            .authTimeoutNs(authTimeoutNs)
            .conclude();
        agent = new EdgeAgent(ctx, echo, lengthPrefixed);
        runner = new AgentRunner(new SelectorIdleStrategy(agent.selector(), 0, 10), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(runner);
        return socket;
    }

    @AfterEach
    void stop()
    {
        if (runner != null)
        {
            runner.close();
        }
    }

    private static void await(final java.util.function.BooleanSupplier condition)
    {
        await(condition, "");
    }

    private static void await(final java.util.function.BooleanSupplier condition, final Object state)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met within 10 s: " + state);
            }
            Thread.onSpinWait();
        }
    }

    private static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n')
        {
            if (c < 0)
            {
                throw new IOException("eof");
            }
            if (c != '\r')
            {
                line.append((char)c);
            }
        }
        return line.toString();
    }

    private static byte[] frame(final String text)
    {
        final byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        final byte[] out = new byte[4 + body.length];
        new UnsafeBuffer(out).putInt(0, body.length, java.nio.ByteOrder.BIG_ENDIAN);
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    private static String readFrame(final InputStream in) throws IOException
    {
        final byte[] header = in.readNBytes(4);
        final int length = new UnsafeBuffer(header).getInt(0, java.nio.ByteOrder.BIG_ENDIAN);
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    @Test
    void authenticatesFramesAcrossReadsAndRepliesWithPeerCredentials() throws IOException
    {
        final Path socket = start(EdgeConfiguration.AUTH_TIMEOUT_NS_DEFAULT);
        try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket)))
        {
            final OutputStream out = client.getOutputStream();
            final InputStream in = client.getInputStream();
            out.write("\0AUTH EXTERNAL\r\nDATA\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n".getBytes(StandardCharsets.US_ASCII));
            final byte[] first = frame("hello");
            out.write(first, 0, 3); // pipelined, and split inside the length prefix
            out.flush();
            assertThat(readLine(in)).isEqualTo("DATA");
            assertThat(readLine(in)).isEqualTo("OK 0123456789abcdef0123456789abcdef");
            assertThat(readLine(in)).isEqualTo("AGREE_UNIX_FD");
            out.write(first, 3, first.length - 3);
            out.write(frame("world"));
            assertThat(readFrame(in)).isEqualTo("HELLO");
            assertThat(readFrame(in)).isEqualTo("WORLD");
            assertThat(events.get(0)).isEqualTo("auth uid=" + new com.sun.security.auth.module.UnixSystem().getUid() +
                " pid=" + ProcessHandle.current().pid() + " fds=true");
        }
        await(() -> events.stream().anyMatch(e -> e.startsWith("gone peer ")), events);
    }

    @Test
    void messagesSentJustBeforeHangingUpAreHandled() throws IOException
    {
        final Path socket = start(EdgeConfiguration.AUTH_TIMEOUT_NS_DEFAULT);
        try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket)))
        {
            final OutputStream out = client.getOutputStream();
            out.write("\0AUTH EXTERNAL\r\nDATA\r\nBEGIN\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(frame("first"));
            out.write(frame("last words"));
        }
        await(() -> events.stream().anyMatch(e -> e.startsWith("gone ")), events);
        assertThat(events.subList(1, events.size())).containsExactly("msg first", "msg last words",
            events.get(events.size() - 1));
        assertThat(events.get(events.size() - 1)).startsWith("gone peer ");
        await(() -> agent.connectionCount() == 0);
    }

    @Test
    void wakeupFromAnotherThreadEndsAWaitAndIsConsumedByTheNextCycle() throws Exception
    {
        agent = new EdgeAgent(new EdgeContext().addListenAddress(BusAddress.ofPath(dir.resolve("bus")))
            .guidHex("0123456789abcdef0123456789abcdef").conclude(), echo, lengthPrefixed);
        try
        {
            final java.nio.channels.Selector selector = agent.selector();
            assertThat(selector.selectNow()).isZero();
            final Thread waker = new Thread(agent::wakeup);
            final long startNs = System.nanoTime();
            waker.start();
            assertThat(selector.select(60_000)).isEqualTo(1);
            assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(30));
            waker.join();
            assertThat(agent.doWork()).isZero();
            assertThat(selector.selectNow()).as("the wake-up was consumed").isZero();
        }
        finally
        {
            agent.onClose();
        }
        assertThat(agent.selector().isOpen()).isFalse();
    }

    @Test
    void messageLargerThanInitialBufferGrowsIt() throws IOException
    {
        final Path socket = start(EdgeConfiguration.AUTH_TIMEOUT_NS_DEFAULT);
        try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket)))
        {
            final OutputStream out = client.getOutputStream();
            final InputStream in = client.getInputStream();
            out.write("\0AUTH EXTERNAL\r\nDATA\r\nBEGIN\r\n".getBytes(StandardCharsets.US_ASCII));
            final String big = "x".repeat(10_000);
            out.write(frame(big));
            readLine(in);
            readLine(in);
            assertThat(readFrame(in)).isEqualTo(big.toUpperCase());
        }
    }

    @Test
    void invalidFramingDisconnectsOnlyThatPeer() throws IOException
    {
        final Path socket = start(EdgeConfiguration.AUTH_TIMEOUT_NS_DEFAULT);
        try (AFUNIXSocket bad = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket));
            AFUNIXSocket good = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket)))
        {
            for (final AFUNIXSocket s : List.of(bad, good))
            {
                s.getOutputStream().write("\0AUTH EXTERNAL\r\nDATA\r\nBEGIN\r\n".getBytes(StandardCharsets.US_ASCII));
                readLine(s.getInputStream());
                readLine(s.getInputStream());
            }
            bad.getOutputStream().write(new byte[] {(byte)0xFF, 0, 0, 0});
            assertThat(bad.getInputStream().read()).isEqualTo(-1);
            await(() -> events.stream().anyMatch(e -> e.startsWith("gone invalid message framing")), events);

            good.getOutputStream().write(frame("still here"));
            assertThat(readFrame(good.getInputStream())).isEqualTo("STILL HERE");
        }
    }

    @Test
    void oversizedMessageDisconnects() throws IOException
    {
        final Path socket = start(EdgeConfiguration.AUTH_TIMEOUT_NS_DEFAULT);
        try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket)))
        {
            client.getOutputStream().write("\0AUTH EXTERNAL\r\nDATA\r\nBEGIN\r\n".getBytes(StandardCharsets.US_ASCII));
            readLine(client.getInputStream());
            readLine(client.getInputStream());
            final UnsafeBuffer header = new UnsafeBuffer(new byte[4]);
            header.putInt(0, 100 * 1024, java.nio.ByteOrder.BIG_ENDIAN);
            client.getOutputStream().write(header.byteArray());
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        await(() -> events.stream().anyMatch(e -> e.contains("exceeds max_message_size")), events);
    }

    @Test
    void wrongAuthenticationDisconnectsWithoutReachingTheBus() throws IOException
    {
        final Path socket = start(EdgeConfiguration.AUTH_TIMEOUT_NS_DEFAULT);
        try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket)))
        {
            client.getOutputStream().write("AUTH EXTERNAL\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        await(() -> agent.connectionCount() == 0);
        assertThat(events).isEmpty();
    }

    @Test
    void silentConnectionIsClosedAfterAuthTimeout() throws IOException
    {
        final Path socket = start(TimeUnit.MILLISECONDS.toNanos(200));
        try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket)))
        {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        await(() -> agent.connectionCount() == 0);
    }

    @Test
    void closeRemovesSocketFile() throws IOException
    {
        final Path socket = start(EdgeConfiguration.AUTH_TIMEOUT_NS_DEFAULT);
        assertThat(Files.exists(socket)).isTrue();
        runner.close();
        runner = null;
        assertThat(Files.exists(socket)).isFalse();
    }
}
