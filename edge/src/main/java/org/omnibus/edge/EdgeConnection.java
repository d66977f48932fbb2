package org.omnibus.edge;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.EdgeNativeAccess;
import org.omnibus.edge.sasl.SaslServer;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One client connection on the edge: its socket, credentials, authentication, input framing buffer and
 * output queue. Owned by the {@link EdgeAgent}'s thread.
 * <p>
 * Output is appended to a per-connection buffer and written once per duty cycle (or when the socket becomes
 * writable again). A connection whose queued output would exceed its quota is disconnected: a reader that
 * cannot keep up is never silently skipped.
 */
public final class EdgeConnection
{
    /** Unknown credential value. */
    public static final long UNKNOWN = -1;

    private final long id;
    private final AFUNIXSocketChannel channel;
    private final long uid;
    private final long gid;
    private final long[] gids;
    private final long pid;
    private final SaslServer sasl;
    private final int maxMessageLength;
    private final int maxOutboundBytes;
    private final long connectedAtNs;

    private int interestOps;
    private int pollIndex;
    private ByteBuffer input;
    private UnsafeBuffer inputView;
    private ByteBuffer output;
    private final UnsafeBuffer outputView = new UnsafeBuffer(0, 0);
    private final ArrayDeque<FileDescriptor> receivedFds = new ArrayDeque<>();
    private final ArrayDeque<PendingFds> pendingOutboundFds = new ArrayDeque<>();
    private long outboundQueuedTotal;
    private long outboundWrittenTotal;
    private boolean dirty;
    private boolean queuedForFlush;
    private boolean held;
    private boolean closed;
    private String closeReason;
    private Object attachment;

    EdgeConnection(
        final long id,
        final AFUNIXSocketChannel channel,
        final long uid,
        final long gid,
        final long[] gids,
        final long pid,
        final SaslServer sasl,
        final int initialBufferLength,
        final int maxMessageLength,
        final int maxOutboundBytes,
        final long connectedAtNs)
    {
        this.id = id;
        this.channel = channel;
        this.uid = uid;
        this.gid = gid;
        this.gids = gids;
        this.pid = pid;
        this.sasl = sasl;
        this.maxMessageLength = maxMessageLength;
        this.maxOutboundBytes = maxOutboundBytes;
        this.connectedAtNs = connectedAtNs;
        this.input = BufferUtil.allocateDirectAligned(initialBufferLength, 64);
        this.inputView = new UnsafeBuffer(input);
        this.output = BufferUtil.allocateDirectAligned(initialBufferLength, 64);
        this.output.flip();
    }

    /**
     * @return id of the connection, unique within the node for its lifetime.
     */
    public long id()
    {
        return id;
    }

    /**
     * @return uid of the peer process (SO_PEERCRED), or {@link #UNKNOWN}.
     */
    public long uid()
    {
        return uid;
    }

    /**
     * @return primary gid of the peer process, or {@link #UNKNOWN}.
     */
    public long gid()
    {
        return gid;
    }

    /**
     * @return all gids of the peer process as the kernel reports them (may be only the primary gid).
     */
    public long[] gids()
    {
        return gids.clone();
    }

    /**
     * @return pid of the peer process, or {@link #UNKNOWN}.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * @return whether the peer negotiated unix fd passing.
     */
    public boolean unixFdsNegotiated()
    {
        return sasl.unixFdNegotiated();
    }

    /**
     * @return whether the peer authenticated anonymously.
     */
    public boolean anonymous()
    {
        return sasl.mechanism() == SaslServer.Mechanism.ANONYMOUS;
    }

    /**
     * @return whether authentication has completed.
     */
    public boolean authenticated()
    {
        return sasl.state() == SaslServer.State.AUTHENTICATED;
    }

    /**
     * @return whether the connection has been closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * @return why it was closed, or null.
     */
    public String closeReason()
    {
        return closeReason;
    }

    /**
     * @return the bus layer's state for this connection.
     */
    public Object attachment()
    {
        return attachment;
    }

    /**
     * @param attachment the bus layer's state for this connection.
     */
    public void attachment(final Object attachment)
    {
        this.attachment = attachment;
    }

    /**
     * @return bytes queued and not yet written to the socket.
     */
    public int outboundBacklog()
    {
        return (int)(outboundQueuedTotal - outboundWrittenTotal);
    }

    /**
     * Queue a message to the peer.
     *
     * @param buffer holding the message.
     * @param offset of its first byte.
     * @param length of the message.
     * @return true when queued; false when the connection is closed or would exceed its quota, in which case
     * the caller should {@link EdgeAgent#close} it.
     */
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed || !ensureOutboundRoom(length))
        {
            return false;
        }
        final int position = output.limit();
        output.limit(position + length);
        outputView.wrap(output);
        buffer.getBytes(offset, outputView, position, length);
        outboundQueuedTotal += length;
        dirty = true;
        return true;
    }

    /**
     * Queue a message to the peer with file descriptors attached to it. The descriptors are retained until
     * the socket has sent them (or the connection closes).
     *
     * @param buffer holding the message.
     * @param offset of its first byte.
     * @param length of the message.
     * @param fds    descriptors to pass with it, or null.
     * @return as {@link #send(DirectBuffer, int, int)}.
     */
    boolean send(final DirectBuffer buffer, final int offset, final int length, final SharedFds fds)
    {
        final long startPosition = outboundQueuedTotal;
        if (!send(buffer, offset, length))
        {
            return false;
        }
        if (fds != null)
        {
            fds.retain();
            pendingOutboundFds.add(new PendingFds(startPosition, startPosition + length, fds));
        }
        return true;
    }

    /**
     * Take file descriptors the peer passed, in the order they arrived.
     *
     * @param count how many the current message declares (its unix-fds header field).
     * @return the descriptors, or null when fewer than {@code count} arrived (a protocol violation).
     */
    SharedFds takeReceivedFds(final int count)
    {
        if (receivedFds.size() < count)
        {
            return null;
        }
        final FileDescriptor[] fds = new FileDescriptor[count];
        for (int i = 0; i < count; i++)
        {
            fds[i] = receivedFds.poll();
        }
        return new SharedFds(fds);
    }

    /**
     * Queue a message given as a header and a body in separate buffers (a forwarded message: new header,
     * original body), with file descriptors attached to it.
     *
     * @return as {@link #send(DirectBuffer, int, int)}.
     */
    boolean send(
        final DirectBuffer header,
        final int headerOffset,
        final int headerLength,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength,
        final SharedFds fds)
    {
        final int length = headerLength + bodyLength;
        if (closed || !ensureOutboundRoom(length))
        {
            return false;
        }
        final long startPosition = outboundQueuedTotal;
        final int position = output.limit();
        output.limit(position + length);
        outputView.wrap(output);
        header.getBytes(headerOffset, outputView, position, headerLength);
        body.getBytes(bodyOffset, outputView, position + headerLength, bodyLength);
        outboundQueuedTotal += length;
        dirty = true;
        if (fds != null)
        {
            fds.retain();
            pendingOutboundFds.add(new PendingFds(startPosition, startPosition + length, fds));
        }
        return true;
    }

    private boolean ensureOutboundRoom(final int length)
    {
        final int backlog = output.remaining();
        if ((long)backlog + length > maxOutboundBytes)
        {
            return false;
        }
        if (output.capacity() - output.limit() >= length)
        {
            return true;
        }
        if (output.capacity() - backlog >= length)
        {
            output.compact().flip();
            return true;
        }
        int capacity = output.capacity();
        while (capacity - backlog < length)
        {
            capacity = (int)Math.min((long)capacity * 2, Math.max((long)maxOutboundBytes, backlog + length));
        }
        final ByteBuffer bigger = BufferUtil.allocateDirectAligned(alignUp(capacity), 64);
        bigger.put(output);
        bigger.flip();
        output = bigger;
        return true;
    }

    private static int alignUp(final int value)
    {
        return (value + 63) & ~63;
    }

    // ---- called by the agent ----

    SaslServer sasl()
    {
        return sasl;
    }

    AFUNIXSocketChannel channel()
    {
        return channel;
    }

    /**
     * @return what the agent polls the socket for ({@link java.nio.channels.SelectionKey} OP_ bits).
     */
    int interestOps()
    {
        return interestOps;
    }

    void interestOps(final int ops)
    {
        interestOps = ops;
    }

    /**
     * @return the socket's place in the agent's poll set.
     */
    int pollIndex()
    {
        return pollIndex;
    }

    void pollIndex(final int index)
    {
        pollIndex = index;
    }

    long connectedAtNs()
    {
        return connectedAtNs;
    }

    ByteBuffer input()
    {
        return input;
    }

    UnsafeBuffer inputView()
    {
        return inputView;
    }

    int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Make room in the input buffer for a message of the given total length.
     *
     * @return false when the message is longer than allowed.
     */
    boolean ensureInputCapacity(final int messageLength)
    {
        if (messageLength > maxMessageLength)
        {
            return false;
        }
        if (input.capacity() < messageLength)
        {
            final ByteBuffer bigger = BufferUtil.allocateDirectAligned(alignUp(messageLength), 64);
            input.flip();
            bigger.put(input);
            input = bigger;
            inputView = new UnsafeBuffer(input);
        }
        return true;
    }

    int read() throws IOException
    {
        final int read = EdgeNativeAccess.read(channel, input);
        final FileDescriptor[] fds = channel.getReceivedFileDescriptors();
        if (fds != null)
        {
            for (final FileDescriptor fd : fds)
            {
                receivedFds.add(fd);
            }
        }
        return read;
    }

    boolean isDirty()
    {
        return dirty;
    }

    /**
     * @return whether its input is held (see {@link EdgeHandler#onMessage}).
     */
    public boolean held()
    {
        return held;
    }

    void held(final boolean held)
    {
        this.held = held;
    }

    boolean queuedForFlush()
    {
        return queuedForFlush;
    }

    void queuedForFlush(final boolean queued)
    {
        queuedForFlush = queued;
    }

    /**
     * Write queued output.
     *
     * @return true when everything queued was written.
     */
    boolean flush() throws IOException
    {
        dirty = false;
        while (output.hasRemaining())
        {
            final PendingFds next = pendingOutboundFds.peek();
            final int savedLimit = output.limit();
            if (next != null)
            {
                if (outboundWrittenTotal < next.start)
                {
                    output.limit(output.position() + (int)(next.start - outboundWrittenTotal));
                }
                else
                {
                    channel.setOutboundFileDescriptors(next.fds.fds());
                    output.limit(output.position() + (int)(next.end - outboundWrittenTotal));
                }
            }
            final int written = EdgeNativeAccess.write(channel, output);
            output.limit(savedLimit);
            if (next != null && outboundWrittenTotal >= next.start && written > 0)
            {
                // the descriptors went with the first byte of their message
                pendingOutboundFds.poll().fds.release();
                channel.setOutboundFileDescriptors((FileDescriptor[])null);
            }
            outboundWrittenTotal += written;
            if (written == 0)
            {
                return false;
            }
        }
        output.clear().flip();
        return true;
    }

    void markClosed(final String reason)
    {
        if (!closed)
        {
            closed = true;
            closeReason = reason;
            PendingFds pending;
            while ((pending = pendingOutboundFds.poll()) != null)
            {
                pending.fds.release();
            }
            FileDescriptor fd;
            while ((fd = receivedFds.poll()) != null)
            {
                SharedFds.closeQuietly(fd);
            }
        }
    }

    @Override
    public String toString()
    {
        return "connection " + id + " (uid=" + uid + ", pid=" + pid + ")";
    }

    private static final class PendingFds
    {
        final long start;
        final long end;
        final SharedFds fds;

        PendingFds(final long start, final long end, final SharedFds fds)
        {
            this.start = start;
            this.end = end;
            this.fds = fds;
        }
    }
}
