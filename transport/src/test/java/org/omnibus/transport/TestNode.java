package org.omnibus.transport;

import io.aeron.Image;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A transport plus a checking receiver for tests. Messages are {@code kind:int, sender:int, seq:long} followed by a
 * byte pattern derived from seq; the receiver checks that every sender's data on a stream arrives gap-free, in order,
 * without duplicates and uncorrupted.
 */
final class TestNode implements AutoCloseable
{
    static final int MAX_NODES = 8;
    static final int FRAGMENT_LIMIT = 16;
    static final int HEADER_LENGTH = 16;
    static final Duration AWAIT = Duration.ofSeconds(30);

    private static final int HELLO = 1;
    private static final int DATA = 2;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    final Transport transport;
    final int nodeId;
    final File dataDir;
    final long[][] nextReceiveSeq = new long[TransportStream.COUNT][MAX_NODES];
    final boolean[][] helloFrom = new boolean[TransportStream.COUNT][MAX_NODES];
    final long[] dataReceived = new long[TransportStream.COUNT];
    final long[] nextSendSeq = new long[TransportStream.COUNT];
    final long[] nextDirectSendSeq = new long[TransportStream.COUNT];
    final List<String> errors = new ArrayList<>();
    final Set<Integer> availableSessions = ConcurrentHashMap.newKeySet();
    final Set<Integer> unavailableSessions = ConcurrentHashMap.newKeySet();
    final List<String> imageEvents = new ArrayList<>();
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final TransportClaim claim = new TransportClaim();

    private TestNode(final TransportContext ctx)
    {
        nodeId = ctx.nodeId();
        dataDir = ctx.dataDir();
        for (final TransportStream stream : TransportStream.values())
        {
            ctx.handler(stream, (buffer, offset, length, header) -> onMessage(stream, buffer, offset, length, header));
        }
        ctx.imageListener(new ImageListener()
        {
            public void onImageAvailable(final TransportStream stream, final Image image)
            {
                availableSessions.add(image.sessionId());
                imageEvents.add("available " + stream + " " + image.sessionId() + " " + image.sourceIdentity());
            }

            public void onImageUnavailable(final TransportStream stream, final Image image)
            {
                unavailableSessions.add(image.sessionId());
                imageEvents.add("unavailable " + stream + " " + image.sessionId() + " " + image.sourceIdentity());
            }
        });
        transport = Transport.launch(ctx);
    }

    static TestNode launch(final TransportContext ctx)
    {
        return new TestNode(ctx);
    }

    /**
     * A context for a node on loopback with small terms; multicast group port chosen by the caller.
     */
    static TransportContext context(final int nodeId, final File root, final ChannelMode mode, final int mcPort)
    {
        return new TransportContext()
            .nodeId(nodeId)
            .dataDir(new File(root, "node-" + nodeId))
            .channelMode(mode)
            .multicastEndpoint("224.0.1.1:" + mcPort)
            .multicastInterface("127.0.0.1")
            .multicastTtl(0)
            .endpoint("127.0.0.1:0")
            .controlEndpoint(ChannelMode.MDC_DYNAMIC == mode ? "127.0.0.1:0" : null)
            .termBufferLength(1024 * 1024)
            .imageLivenessTimeoutNs(Duration.ofSeconds(2).toNanos());
    }

    /**
     * A random even port for a test's multicast group, so concurrent runs on the machine do not share a group.
     */
    static int multicastPort()
    {
        return 40_100 + 2 * ThreadLocalRandom.current().nextInt(4_000);
    }

    static List<TestNode> launchAll(final List<TransportContext> contexts)
    {
        final List<TestNode> nodes = new ArrayList<>();
        try
        {
            for (final TransportContext ctx : contexts)
            {
                nodes.add(launch(ctx));
            }
            for (final TestNode node : nodes)
            {
                for (final TestNode other : nodes)
                {
                    if (other != node)
                    {
                        node.transport.addPeer(other.transport.localPeer());
                    }
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            closeAll(nodes);
            throw ex;
        }

        return nodes;
    }

    static void closeAll(final List<TestNode> nodes)
    {
        for (final TestNode node : nodes)
        {
            node.close();
        }
    }

    static int pollAll(final List<TestNode> nodes)
    {
        int work = 0;
        for (final TestNode node : nodes)
        {
            work += node.poll();
        }
        return work;
    }

    /**
     * Every node sends hellos to all on the stream until every node has heard every node's group publication:
     * after that nothing sent to all on the stream can miss a receiver.
     */
    static void awaitMesh(final List<TestNode> nodes, final TransportStream stream)
    {
        final long[] lastHelloNs = { 0 };
        Await.await(
            () ->
            {
                final long nowNs = System.nanoTime();
                if (nowNs - lastHelloNs[0] > 1_000_000L)
                {
                    lastHelloNs[0] = nowNs;
                    for (final TestNode node : nodes)
                    {
                        node.sendHello(stream);
                    }
                }
                return pollAll(nodes);
            },
            () -> nodes.stream().allMatch(
                (node) -> nodes.stream().allMatch((other) -> node.helloFrom[stream.ordinal()][other.nodeId])),
            AWAIT,
            () -> "mesh on " + stream);
    }

    int poll()
    {
        return transport.poll(FRAGMENT_LIMIT);
    }

    long sendHello(final TransportStream stream)
    {
        encode(sendBuffer, 0, HELLO, -1, HEADER_LENGTH);
        return transport.offer(stream, sendBuffer, 0, HEADER_LENGTH);
    }

    /**
     * Send the next data message to all, via offer or tryClaim; returns the transport's result.
     */
    long sendData(final TransportStream stream, final int length, final boolean useClaim)
    {
        final long seq = nextSendSeq[stream.ordinal()];
        final long result;
        if (useClaim)
        {
            result = transport.tryClaim(stream, length, claim);
            if (result > 0)
            {
                encode(claim.buffer(), claim.offset(), DATA, seq, length);
                final long committed = claim.commit();
                if (committed <= 0)
                {
                    throw new AssertionError("commit failed: " + committed);
                }
            }
        }
        else
        {
            encode(sendBuffer, 0, DATA, seq, length);
            result = transport.offer(stream, sendBuffer, 0, length);
        }

        if (result > 0)
        {
            nextSendSeq[stream.ordinal()]++;
        }
        return result;
    }

    /**
     * Send the next direct data message to one node.
     */
    long sendDataTo(final int targetNodeId, final TransportStream stream, final int length, final boolean useClaim)
    {
        final long seq = nextDirectSendSeq[stream.ordinal()];
        final long result;
        if (useClaim)
        {
            result = transport.tryClaim(targetNodeId, stream, length, claim);
            if (result > 0)
            {
                encode(claim.buffer(), claim.offset(), DATA, seq, length);
                claim.commit();
            }
        }
        else
        {
            encode(sendBuffer, 0, DATA, seq, length);
            result = transport.offer(targetNodeId, stream, sendBuffer, 0, length);
        }

        if (result > 0)
        {
            nextDirectSendSeq[stream.ordinal()]++;
        }
        return result;
    }

    private void encode(
        final MutableDirectBuffer buffer, final int offset, final int kind, final long seq, final int length)
    {
        buffer.putInt(offset, kind, ORDER);
        buffer.putInt(offset + 4, nodeId, ORDER);
        buffer.putLong(offset + 8, seq, ORDER);
        for (int i = HEADER_LENGTH; i < length; i++)
        {
            buffer.putByte(offset + i, (byte)(seq + i));
        }
    }

    private void onMessage(
        final TransportStream stream,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        final int kind = buffer.getInt(offset, ORDER);
        final int sender = buffer.getInt(offset + 4, ORDER);
        final long seq = buffer.getLong(offset + 8, ORDER);
        final int s = stream.ordinal();
        if (header.reservedValue() != sender)
        {
            errors.add("node " + nodeId + " " + stream + ": reserved value " + header.reservedValue() +
                " is not the sender " + sender);
        }
        if (HELLO == kind)
        {
            helloFrom[s][sender] = true;
            return;
        }

        if (nextReceiveSeq[s][sender] != seq)
        {
            errors.add("node " + nodeId + " " + stream + " from " + sender + ": expected seq " +
                nextReceiveSeq[s][sender] + " got " + seq + " (session " + header.sessionId() + ")");
        }
        for (int i = HEADER_LENGTH; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)(seq + i))
            {
                errors.add("node " + nodeId + " " + stream + " from " + sender + " seq " + seq + ": corrupt at " + i);
                break;
            }
        }
        nextReceiveSeq[s][sender] = seq + 1;
        dataReceived[s]++;
    }

    public void close()
    {
        transport.close();
    }
}
