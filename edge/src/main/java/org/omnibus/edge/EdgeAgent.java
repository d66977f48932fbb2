package org.omnibus.edge;

import org.agrona.CloseHelper;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.EdgeNativeAccess;
import org.omnibus.edge.sasl.SaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The edge's duty cycle: accepts connections on the listening sockets, reads, authenticates and frames
 * messages, hands them to the {@link EdgeHandler}, and flushes queued output once per cycle. One thread owns
 * every socket; {@link #selector()} lets an idle strategy block until a socket is ready, and {@link #wakeup()}
 * lets another thread interrupt that wait.
 * <p>
 * Readiness comes from {@code poll(2)} over arrays the agent keeps (rebuilt only when a connection comes or goes,
 * interest changed in place), through {@link EdgeNativeAccess}: junixsocket's own selector allocates on every
 * select, and the duty cycle allocates nothing per message. Ready descriptors found by the idle strategy's
 * blocking wait are handled by the next duty cycle without polling again; otherwise each cycle polls without
 * waiting.
 */
public final class EdgeAgent implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(EdgeAgent.class);
    private static final long TIMEOUT_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private final EdgeContext ctx;
    private final EdgeHandler handler;
    private final MessageFramer framer;
    private final NanoClock clock;
    private final WaitSelector selector = new WaitSelector();
    private final EdgeNativeAccess.PollSet pollSet = new EdgeNativeAccess.PollSet();
    private final AFUNIXSocketPair<AFUNIXSocketChannel> wakeupPair;
    private final ByteBuffer wakeupDrain = ByteBuffer.allocateDirect(64);
    private final List<AFUNIXServerSocketChannel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final Long2ObjectHashMap<EdgeConnection> connections = new Long2ObjectHashMap<>();
    private ArrayList<EdgeConnection> dirty = new ArrayList<>();
    private ArrayList<EdgeConnection> flushing = new ArrayList<>();
    private ArrayList<EdgeConnection> resumed = new ArrayList<>();
    private ArrayList<EdgeConnection> resuming = new ArrayList<>();
    private final ArrayList<EdgeConnection> scratch = new ArrayList<>();
    /** What each polled descriptor is: {@link #wakeupPair}'s read end (index 0), a listener or a connection. */
    private Object[] pollTargets = new Object[0];
    private boolean pollSetStale = true;
    private boolean readyPending;
    private long nextConnectionId = 1;
    private long nextTimeoutCheckNs;
    private boolean closed;

    /**
     * Bind the listening sockets.
     *
     * @param ctx     concluded context.
     * @param handler the bus layer.
     * @param framer  D-Bus message framing.
     * @throws IOException when a socket cannot be bound (the message names the address).
     */
    public EdgeAgent(final EdgeContext ctx, final EdgeHandler handler, final MessageFramer framer) throws IOException
    {
        this.ctx = ctx;
        this.handler = handler;
        this.framer = framer;
        this.clock = ctx.nanoClock();
        this.wakeupPair = AFUNIXSocketPair.open();
        try
        {
            wakeupPair.getSocket1().configureBlocking(false);
            wakeupPair.getSocket2().configureBlocking(false);
            for (final BusAddress address : ctx.listenAddresses())
            {
                bind(address);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            onClose();
            throw ex;
        }
    }

    private void bind(final BusAddress address) throws IOException
    {
        final AFUNIXServerSocketChannel server = AFUNIXServerSocketChannel.open();
        try
        {
            if (address.path() != null)
            {
                final Path file = Path.of(address.path());
                if (file.getParent() != null)
                {
                    Files.createDirectories(file.getParent());
                }
                Files.deleteIfExists(file);
                server.bind(address.socketAddress(), ctx.listenBacklog());
                socketFiles.add(file);
            }
            else
            {
                server.bind(address.socketAddress(), ctx.listenBacklog());
            }
            server.configureBlocking(false);
            listeners.add(server);
            pollSetStale = true;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(server);
            throw new IOException("cannot listen on " + address + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public String roleName()
    {
        return "omnibus-edge";
    }

    /**
     * @return a selector for an idle strategy to wait on: its {@code select} methods poll the agent's sockets
     * (the ready ones are then handled by the next duty cycle) and {@code wakeup} is {@link #wakeup()}. No
     * channel can be registered with it and it has no key sets.
     */
    public Selector selector()
    {
        return selector;
    }

    /**
     * Interrupt a blocking wait on the selector; safe from any thread.
     */
    public void wakeup()
    {
        if (!closed)
        {
            try
            {
                wakeupPair.getSocket2().write(ByteBuffer.wrap(new byte[1]));
            }
            catch (final IOException ex)
            {
                // the pair is closed (shutdown) or full (a wake-up is pending anyway)
                LOG.trace("wakeup: {}", ex.getMessage());
            }
        }
    }

    /**
     * Poll every socket, waiting at most the given time; what is ready is handled by the next duty cycle.
     *
     * @param timeoutMs 0 to return at once, -1 to wait without limit.
     * @return number of sockets ready (the wake-up channel included).
     * @throws IOException when poll fails.
     */
    private int poll(final int timeoutMs) throws IOException
    {
        if (closed)
        {
            return 0;
        }
        if (pollSetStale)
        {
            rebuildPollSet();
        }
        final int ready = pollSet.poll(timeoutMs);
        readyPending = ready > 0;
        return ready;
    }

    private void rebuildPollSet()
    {
        final int size = 1 + listeners.size() + connections.size();
        final Object[] targets = new Object[size];
        final FileDescriptor[] fds = new FileDescriptor[size];
        final int[] ops = new int[size];
        int i = 0;
        targets[i] = wakeupPair;
        fds[i] = fileDescriptor(wakeupPair.getSocket1());
        ops[i++] = SelectionKey.OP_READ;
        for (final AFUNIXServerSocketChannel listener : listeners)
        {
            targets[i] = listener;
            fds[i] = fileDescriptor(listener);
            ops[i++] = SelectionKey.OP_ACCEPT;
        }
        for (final EdgeConnection connection : connections.values())
        {
            connection.pollIndex(i);
            targets[i] = connection;
            fds[i] = fileDescriptor(connection.channel());
            ops[i++] = connection.interestOps();
        }
        pollTargets = targets;
        pollSet.reset(fds, ops);
        pollSetStale = false;
        readyPending = false;
    }

    private static FileDescriptor fileDescriptor(final java.nio.channels.Channel channel)
    {
        try
        {
            return channel instanceof AFUNIXServerSocketChannel ?
                ((AFUNIXServerSocketChannel)channel).getFileDescriptor() :
                ((AFUNIXSocketChannel)channel).getFileDescriptor();
        }
        catch (final IOException ex)
        {
            return null; // closed: poll skips it, and the set is rebuilt without it
        }
    }

    private void interestOps(final EdgeConnection connection, final int ops)
    {
        connection.interestOps(ops);
        if (!pollSetStale)
        {
            pollSet.interestOps(connection.pollIndex(), ops);
        }
    }

    /**
     * @return the agent's clock.
     */
    public long nowNs()
    {
        return clock.nanoTime();
    }

    /**
     * @return number of open connections, authenticated or not.
     */
    public int connectionCount()
    {
        return connections.size();
    }

    /**
     * @param id of a connection.
     * @return the connection, or null when gone.
     */
    public EdgeConnection connection(final long id)
    {
        return connections.get(id);
    }

    @Override
    public int doWork() throws IOException
    {
        final long nowNs = clock.nanoTime();
        int work = handler.onTick(nowNs);
        // what the idle strategy's blocking wait found is handled before polling again
        if (readyPending || poll(0) > 0)
        {
            work += onReady();
        }
        work += processResumed();
        if (work > 0)
        {
            handler.onCycleEnd();
        }
        work += flushDirty();

        if (nowNs - nextTimeoutCheckNs >= 0)
        {
            nextTimeoutCheckNs = nowNs + TIMEOUT_CHECK_INTERVAL_NS;
            work += checkAuthTimeouts(nowNs);
        }
        return work;
    }

    private int onReady() throws IOException
    {
        readyPending = false;
        final Object[] targets = pollTargets;
        int work = 0;
        for (int i = 0, size = targets.length; i < size; i++)
        {
            final int ready = pollSet.readyOps(i);
            if (ready == 0)
            {
                continue;
            }
            final Object target = targets[i];
            if (target instanceof EdgeConnection)
            {
                work += onReady((EdgeConnection)target, ready);
            }
            else if (target == wakeupPair)
            {
                drainWakeups();
            }
            else
            {
                work += accept((AFUNIXServerSocketChannel)target);
            }
        }
        return work;
    }

    private int onReady(final EdgeConnection connection, final int ready)
    {
        if (connection.isClosed())
        {
            return 0;
        }
        if ((ready & EdgeNativeAccess.OP_INVALID) != 0)
        {
            // the peer hung up (or the socket failed): what it sent last is still readable
            onHangUp(connection);
            return 1;
        }
        int work = 0;
        try
        {
            if ((ready & SelectionKey.OP_WRITE) != 0)
            {
                work++;
                if (connection.flush())
                {
                    interestOps(connection, readInterest(connection));
                }
            }
            if ((ready & SelectionKey.OP_READ) != 0 && !connection.isClosed() && onReadable(connection) != 0)
            {
                work++;
            }
        }
        catch (final IOException ex)
        {
            close(connection, "I/O error: " + ex.getMessage());
        }
        return work;
    }

    private void drainWakeups() throws IOException
    {
        int read;
        do
        {
            wakeupDrain.clear();
            read = EdgeNativeAccess.read(wakeupPair.getSocket1(), wakeupDrain);
        }
        while (read == wakeupDrain.capacity());
    }

    private int accept(final AFUNIXServerSocketChannel server)
    {
        int accepted = 0;
        while (true)
        {
            final AFUNIXSocketChannel channel;
            try
            {
                channel = server.accept();
            }
            catch (final IOException ex)
            {
                LOG.warn("accept failed: {}", ex.getMessage());
                return accepted;
            }
            if (channel == null)
            {
                return accepted;
            }
            accepted++;
            if (connections.size() >= ctx.maxConnections())
            {
                LOG.warn("refusing connection: {} connections open (max_completed_connections)", connections.size());
                CloseHelper.quietClose(channel);
                continue;
            }
            register(channel);
        }
    }

    private void register(final AFUNIXSocketChannel channel)
    {
        long uid = EdgeConnection.UNKNOWN;
        long gid = EdgeConnection.UNKNOWN;
        long pid = EdgeConnection.UNKNOWN;
        long[] gids = new long[0];
        try
        {
            final AFUNIXSocketCredentials credentials = channel.getPeerCredentials();
            if (credentials != null && !credentials.isEmpty())
            {
                uid = credentials.getUid();
                gid = credentials.getGid();
                pid = credentials.getPid();
                gids = credentials.getGids() == null ? new long[0] : credentials.getGids();
            }
            channel.configureBlocking(false);
            channel.ensureAncillaryReceiveBufferSize(ctx.ancillaryReceiveBufferLength());
            final SaslServer sasl = new SaslServer(uid, ctx.guidHex(), ctx.allowAnonymous(), true);
            final EdgeConnection connection = new EdgeConnection(
                nextConnectionId++, channel, uid, gid, gids, pid, sasl,
                ctx.initialBufferLength(), ctx.maxMessageLength(), ctx.maxOutboundBytes(), clock.nanoTime());
            connection.interestOps(SelectionKey.OP_READ);
            connections.put(connection.id(), connection);
            pollSetStale = true;
            LOG.debug("accepted {}", connection);
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot set up accepted connection: {}", ex.getMessage());
            CloseHelper.quietClose(channel);
        }
    }

    private void onHangUp(final EdgeConnection connection)
    {
        try
        {
            while (!connection.isClosed() && onReadable(connection) > 0)
            {
                // consume what the peer sent before it hung up
            }
        }
        catch (final IOException ex)
        {
            close(connection, "I/O error: " + ex.getMessage());
        }
        close(connection, "peer hung up");
    }

    /**
     * Read once and handle what arrived.
     *
     * @return bytes read, 0 when nothing was available, -1 at end of stream (the connection is then closed).
     */
    private int onReadable(final EdgeConnection connection) throws IOException
    {
        final ByteBuffer input = connection.input();
        final int read = connection.read();
        if (read < 0)
        {
            close(connection, "peer closed the connection");
            return -1;
        }
        if (read == 0)
        {
            return 0;
        }

        int position = 0;
        final int end = input.position();
        if (!connection.authenticated())
        {
            position = authenticate(connection, end);
            if (connection.isClosed())
            {
                return read;
            }
        }
        if (connection.authenticated())
        {
            position = frameMessages(connection, position, end);
            if (connection.isClosed())
            {
                return read;
            }
        }
        // keep the unconsumed tail at the start of the buffer
        final ByteBuffer current = connection.input();
        current.limit(current.position()).position(position);
        current.compact();
        return read;
    }

    private int authenticate(final EdgeConnection connection, final int end)
    {
        final SaslServer sasl = connection.sasl();
        final SaslServer.BufferReplySink replies = ctx.saslReplySink();
        replies.wrap(ctx.saslReplyBuffer(), 0);
        final int consumed = sasl.onBytes(connection.inputView(), 0, end, replies);
        if (replies.position() > 0)
        {
            connection.send(ctx.saslReplyBuffer(), 0, replies.position());
            markDirty(connection);
        }
        switch (sasl.state())
        {
            case FAILED:
                close(connection, "authentication failed: " + sasl.failureReason());
                break;
            case AUTHENTICATED:
                handler.onAuthenticated(connection);
                break;
            default:
                if (consumed == 0 && end == connection.input().capacity())
                {
                    close(connection, "authentication line does not fit the input buffer");
                }
        }
        return consumed;
    }

    private int frameMessages(final EdgeConnection connection, final int start, final int end)
    {
        int position = start;
        while (position < end && !connection.isClosed())
        {
            final int length = framer.frameLength(connection.inputView(), position, end - position);
            if (length < 0)
            {
                close(connection, framer.describe(length));
                break;
            }
            if (length == MessageFramer.NEED_MORE)
            {
                break;
            }
            if (length > end - position)
            {
                // incomplete: make sure the whole message fits once it is read (it moves to offset 0)
                if (!connection.ensureInputCapacity(length))
                {
                    close(connection, "message of " + length + " bytes exceeds max_message_size");
                }
                break;
            }
            if (!handler.onMessage(connection, connection.inputView(), position, length))
            {
                hold(connection);
                break;
            }
            position += length;
        }
        return position;
    }

    private static int readInterest(final EdgeConnection connection)
    {
        return connection.held() ? 0 : SelectionKey.OP_READ;
    }

    private void hold(final EdgeConnection connection)
    {
        if (!connection.held())
        {
            connection.held(true);
            interestOps(connection, connection.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /**
     * Let a held connection go on: its buffered input is handled in the next duty cycle, then reading resumes.
     *
     * @param connection held by a false from {@link EdgeHandler#onMessage}.
     */
    public void resume(final EdgeConnection connection)
    {
        if (connection.held() && !connection.isClosed())
        {
            connection.held(false);
            resumed.add(connection);
        }
    }

    private int processResumed()
    {
        if (resumed.isEmpty())
        {
            return 0;
        }
        int work = 0;
        final ArrayList<EdgeConnection> batch = resumed;
        resumed = resuming;
        resuming = batch;
        for (int i = 0, size = batch.size(); i < size; i++)
        {
            final EdgeConnection connection = batch.get(i);
            if (connection.isClosed() || connection.held())
            {
                continue;
            }
            work++;
            final ByteBuffer input = connection.input();
            final int position = frameMessages(connection, 0, input.position());
            if (connection.isClosed())
            {
                continue;
            }
            final ByteBuffer current = connection.input();
            current.limit(current.position()).position(position);
            current.compact();
            if (!connection.held())
            {
                interestOps(connection, connection.interestOps() | SelectionKey.OP_READ);
            }
        }
        batch.clear();
        return work;
    }

    /**
     * Mark a connection as having output to flush at the end of the cycle.
     *
     * @param connection with newly queued output.
     */
    public void markDirty(final EdgeConnection connection)
    {
        if (connection.isDirty() && !connection.queuedForFlush())
        {
            connection.queuedForFlush(true);
            dirty.add(connection);
        }
    }

    private int flushDirty()
    {
        if (dirty.isEmpty())
        {
            return 0;
        }
        // connections marked dirty while this batch is flushed (an error closing one) go to the other list
        final ArrayList<EdgeConnection> batch = dirty;
        dirty = flushing;
        flushing = batch;
        int work = 0;
        for (int i = 0, size = batch.size(); i < size; i++)
        {
            final EdgeConnection connection = batch.get(i);
            connection.queuedForFlush(false);
            if (connection.isClosed())
            {
                continue;
            }
            work++;
            try
            {
                if (!connection.flush())
                {
                    interestOps(connection, readInterest(connection) | SelectionKey.OP_WRITE);
                }
            }
            catch (final IOException ex)
            {
                close(connection, "I/O error on write: " + ex.getMessage());
            }
        }
        batch.clear();
        return work;
    }

    private int checkAuthTimeouts(final long nowNs)
    {
        int work = 0;
        scratch.clear();
        for (final EdgeConnection connection : connections.values())
        {
            if (!connection.authenticated() && nowNs - connection.connectedAtNs() > ctx.authTimeoutNs())
            {
                scratch.add(connection);
            }
        }
        for (int i = 0; i < scratch.size(); i++)
        {
            close(scratch.get(i), "authentication timed out (auth_timeout)");
            work++;
        }
        scratch.clear();
        return work;
    }

    /**
     * Close a connection, telling the handler if it had authenticated. Idempotent.
     *
     * @param connection to close.
     * @param reason     for the log line.
     */
    public void close(final EdgeConnection connection, final String reason)
    {
        if (connection.isClosed())
        {
            return;
        }
        connection.markClosed(reason);
        connections.remove(connection.id());
        pollSetStale = true;
        CloseHelper.quietClose(connection.channel());
        final boolean wasAuthenticated = connection.authenticated();
        if (reason.startsWith("peer ") || reason.startsWith("shutdown"))
        {
            LOG.debug("{} closed: {}", connection, reason);
        }
        else
        {
            LOG.info("disconnecting {}: {}", connection, reason);
        }
        if (wasAuthenticated)
        {
            handler.onDisconnected(connection, reason);
        }
    }

    @Override
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final List<EdgeConnection> all = new ArrayList<>(connections.values());
        for (final EdgeConnection connection : all)
        {
            close(connection, "shutdown");
        }
        listeners.forEach(CloseHelper::quietClose);
        if (wakeupPair != null)
        {
            CloseHelper.quietCloseAll(wakeupPair.getSocket1(), wakeupPair.getSocket2());
        }
        for (final Path file : socketFiles)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot remove socket file {}: {}", file, ex.getMessage());
            }
        }
    }

    /**
     * The view of the agent an idle strategy waits on (see {@link #selector()}).
     */
    private final class WaitSelector extends Selector
    {
        @Override
        public boolean isOpen()
        {
            return !closed;
        }

        @Override
        public SelectorProvider provider()
        {
            return AFUNIXSelectorProvider.provider();
        }

        @Override
        public Set<SelectionKey> keys()
        {
            throw new UnsupportedOperationException("the edge agent polls its sockets itself");
        }

        @Override
        public Set<SelectionKey> selectedKeys()
        {
            throw new UnsupportedOperationException("the edge agent polls its sockets itself");
        }

        @Override
        public int selectNow() throws IOException
        {
            return poll(0);
        }

        @Override
        public int select(final long timeout) throws IOException
        {
            if (timeout < 0)
            {
                throw new IllegalArgumentException("negative timeout: " + timeout);
            }
            return poll(timeout == 0 ? -1 : (int)Math.min(timeout, Integer.MAX_VALUE));
        }

        @Override
        public int select() throws IOException
        {
            return poll(-1);
        }

        @Override
        public Selector wakeup()
        {
            EdgeAgent.this.wakeup();
            return this;
        }

        @Override
        public void close()
        {
            // the agent owns its sockets and closes them in onClose
        }
    }
}
