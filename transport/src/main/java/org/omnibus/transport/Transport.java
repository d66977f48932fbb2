package org.omnibus.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One node's access to the cluster network over Aeron: an embedded (or external) media driver, one Aeron client,
 * publications and subscriptions for the four {@link TransportStream}s in the configured {@link ChannelMode}.
 * <p>
 * <b>Threading.</b> A transport is driven by one thread, normally the duty cycle of the agent that owns it: every
 * method except {@link #counters()} reads must be called on that thread. The Aeron client runs in invoker mode, so
 * {@link #poll(int)} does its conductor work, and the driver's too in {@link ThreadingMode#INVOKER}; handlers and the
 * {@link ImageListener} are called on that thread from inside {@code poll}. The owner must call {@link #poll(int)}
 * regularly (well within the driver timeout of 10 s) or the driver drops the client.
 * <p>
 * <b>Sending.</b> Sends return codes, never throw for flow control, and never drop a message silently: a positive
 * result means the message was accepted for every connected receiver; a negative one means nothing was sent (except
 * as noted for {@link #offer(TransportStream, DirectBuffer, int, int)} in unicast mode) and the caller still owns the
 * message and should retry on a later duty cycle, after polling (in multicast, this node's own subscription is one of
 * the receivers whose progress releases back-pressure). Back-pressure and admin actions are retried
 * {@link TransportContext#offerMaxAttempts()} times with the offer idle strategy in between.
 * <p>
 * A send to all reaches this node too: multicast loops back, and in MDC and unicast modes this node is one of the
 * destinations. Every frame carries the sender's node id in its reserved value: {@code header.reservedValue()} in a
 * handler is the sending node's id (so own messages are {@code header.reservedValue() == nodeId()});
 * {@link #isLocalSession(int)} tells whether a session id is one of this node's publications. Order is
 * kept per publication: messages of one sender on one stream arrive in send order; a direct send and a send to all
 * travel on different publications (except in unicast mode, where both use the one publication to that peer).
 */
public final class Transport implements AutoCloseable
{
    /**
     * No receiver is connected; nothing was sent. Returned at once, not retried.
     */
    public static final long NOT_CONNECTED = Publication.NOT_CONNECTED;

    /**
     * Receivers are behind (flow control); nothing was sent after the configured attempts. Retry later.
     */
    public static final long BACK_PRESSURED = Publication.BACK_PRESSURED;

    /**
     * The publication was busy with a term rotation on every attempt; nothing was sent. Retry at once.
     */
    public static final long ADMIN_ACTION = Publication.ADMIN_ACTION;

    /**
     * The publication or the transport is closed; nothing was sent.
     */
    public static final long CLOSED = Publication.CLOSED;

    /**
     * The publication reached its maximum position; nothing was sent.
     */
    public static final long MAX_POSITION_EXCEEDED = Publication.MAX_POSITION_EXCEEDED;

    /**
     * No node with that id is known, or it has no unicast endpoint; nothing was sent.
     */
    public static final long UNKNOWN_NODE = -100;

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final long RESOLVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final TransportContext ctx;
    private final int nodeId;
    private final ChannelMode channelMode;
    private final MediaDriver driver;
    private final AgentInvoker driverInvoker;
    private final Aeron aeron;
    private final AgentInvoker clientInvoker;
    private final TransportCounters counters;
    private final StreamReceiver[] receivers = new StreamReceiver[TransportStream.COUNT];
    private final ExclusivePublication[] groupPublications = new ExclusivePublication[TransportStream.COUNT];
    private final Int2ObjectHashMap<Peer> peerByNodeId = new Int2ObjectHashMap<>();
    private Peer[] peers = new Peer[0];
    private final IntHashSet localSessionIds = new IntHashSet();
    private final IdleStrategy offerIdleStrategy;
    private final int offerMaxAttempts;
    private final UnsafeBuffer stagingBuffer;
    private final ReservedValueSupplier nodeIdStamp;
    private String localEndpoint;
    private String localControlEndpoint;
    private boolean closed;

    private Transport(final TransportContext ctx)
    {
        this.ctx = ctx;
        this.nodeId = ctx.nodeId();
        this.channelMode = ctx.channelMode();
        this.offerIdleStrategy = ctx.offerIdleStrategy();
        this.offerMaxAttempts = ctx.offerMaxAttempts();
        final long stamp = ctx.nodeId();
        this.nodeIdStamp = (termBuffer, termOffset, frameLength) -> stamp;
        this.stagingBuffer = new UnsafeBuffer(new byte[ctx.mtuLength() - DataHeaderFlyweight.HEADER_LENGTH]);
        for (final TransportStream stream : TransportStream.values())
        {
            receivers[stream.ordinal()] = new StreamReceiver(stream, ctx.streamId(stream), ctx.handler(stream));
        }

        MediaDriver driver = null;
        Aeron aeron = null;
        TransportCounters counters = null;
        try
        {
            if (ctx.isEmbeddedDriver())
            {
                driver = MediaDriver.launch(driverContext(ctx));
            }

            final Aeron.Context aeronCtx = new Aeron.Context()
                .aeronDirectoryName(ctx.driverDirectoryName())
                .useConductorAgentInvoker(true)
                .errorHandler(ctx.errorHandler())
                .availableImageHandler(this::onImageAvailable)
                .unavailableImageHandler(this::onImageUnavailable);
            if (null != driver && ThreadingMode.INVOKER == ctx.threadingMode())
            {
                aeronCtx.driverAgentInvoker(driver.sharedAgentInvoker());
            }

            aeron = Aeron.connect(aeronCtx);
            counters = new TransportCounters(aeron, nodeId);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(counters, aeron, driver);
            throw ex;
        }

        this.driver = driver;
        this.driverInvoker = null != driver ? driver.sharedAgentInvoker() : null;
        this.aeron = aeron;
        this.clientInvoker = aeron.conductorAgentInvoker();
        this.counters = counters;
    }

    /**
     * Conclude the context, launch the embedded driver (unless an external one is configured), connect, add the
     * publications and subscriptions of the channel mode and the configured peers. Blocks until the driver has
     * answered (a few milliseconds; up to 10 s to resolve ephemeral ports).
     *
     * @param ctx the configuration; concluded here.
     * @return the running transport.
     * @throws IllegalStateException    if the context is incomplete or already used.
     * @throws IllegalArgumentException if the context is invalid (e.g. a multicast channel without an interface).
     */
    public static Transport launch(final TransportContext ctx)
    {
        ctx.conclude();
        final Transport transport = new Transport(ctx);
        try
        {
            transport.start();
        }
        catch (final RuntimeException ex)
        {
            transport.close();
            throw ex;
        }

        return transport;
    }

    private static MediaDriver.Context driverContext(final TransportContext ctx)
    {
        final IdleStrategyKind idle = ctx.idleStrategy();
        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(ctx.driverDirectoryName())
            .dirDeleteOnStart(ctx.dirDeleteOnStart())
            .dirDeleteOnShutdown(ctx.dirDeleteOnShutdown())
            .threadingMode(ctx.threadingMode())
            .sharedIdleStrategy(idle.newIdleStrategy())
            .sharedNetworkIdleStrategy(idle.newIdleStrategy())
            .conductorIdleStrategy(idle.newIdleStrategy())
            .senderIdleStrategy(idle.newIdleStrategy())
            .receiverIdleStrategy(idle.newIdleStrategy())
            .termBufferSparseFile(true)
            .publicationTermBufferLength(ctx.termBufferLength())
            .mtuLength(ctx.mtuLength())
            .imageLivenessTimeoutNs(ctx.imageLivenessTimeoutNs())
            .errorHandler(ctx.errorHandler());

        final TransportLossGenerator lossGenerator = ctx.lossGenerator();
        if (null != lossGenerator)
        {
            final TransportLossGenerator noControlLoss = new TransportLossGenerator(0.0, 0L);
            driverCtx.receiveChannelEndpointSupplier(
                (udpChannel, dispatcher, statusIndicator, context) -> new DebugReceiveChannelEndpoint(
                    udpChannel, dispatcher, statusIndicator, context, lossGenerator, noControlLoss));
        }

        final File dataDir = ctx.dataDir();
        if (!dataDir.isDirectory() && !dataDir.mkdirs())
        {
            throw new IllegalStateException("cannot create data directory " + dataDir);
        }

        return driverCtx;
    }

    private void start()
    {
        startDirectSubscriptions();
        startGroup();

        addPeerInternal(new TransportPeer(nodeId, localEndpoint, localControlEndpoint));
        for (final TransportPeer peer : ctx.peers())
        {
            addPeer(peer);
        }

        LOG.info("transport started: {} localEndpoint={} localControlEndpoint={} driverDir={}",
            ctx, localEndpoint, localControlEndpoint, ctx.driverDirectoryName());
    }

    private void startDirectSubscriptions()
    {
        final String endpoint = ctx.endpoint();
        if (null == endpoint)
        {
            return;
        }

        final long tag = aeron.nextCorrelationId();
        for (final StreamReceiver receiver : receivers)
        {
            final String channel = Channels.unicast(endpoint).tags(tag, null).build();
            final Subscription subscription = aeron.addSubscription(channel, receiver.streamId);
            receiver.add(subscription);
            if (null == localEndpoint)
            {
                awaitResolved(() -> null != subscription.resolvedEndpoint(), "endpoint " + endpoint);
                localEndpoint = subscription.resolvedEndpoint();
            }
        }
    }

    private void startGroup()
    {
        switch (channelMode)
        {
            case MULTICAST:
            {
                final String subChannel = multicastChannel().build();
                final String pubChannel = publicationParams(multicastChannel()).flowControl(ctx.flowControl()).build();
                for (final StreamReceiver receiver : receivers)
                {
                    receiver.add(aeron.addSubscription(subChannel, receiver.streamId));
                    addGroupPublication(receiver, pubChannel);
                }
                break;
            }

            case MDC_MANUAL:
            {
                final long tag = aeron.nextCorrelationId();
                final String pubChannel = publicationParams(Channels.mdcManualPublication())
                    .flowControl(ctx.flowControl())
                    .tags(tag, null)
                    .build();
                for (final StreamReceiver receiver : receivers)
                {
                    addGroupPublication(receiver, pubChannel);
                }
                break;
            }

            case MDC_DYNAMIC:
            {
                final long tag = aeron.nextCorrelationId();
                final String requested = ctx.controlEndpoint();
                for (final StreamReceiver receiver : receivers)
                {
                    final String pubChannel = publicationParams(Channels.mdcDynamicPublication(requested))
                        .flowControl(ctx.flowControl())
                        .tags(tag, null)
                        .build();
                    final ExclusivePublication publication = addGroupPublication(receiver, pubChannel);
                    if (null == localControlEndpoint)
                    {
                        awaitResolved(() -> !publication.localSocketAddresses().isEmpty(), "control " + requested);
                        localControlEndpoint = publication.localSocketAddresses().get(0);
                    }
                }
                break;
            }

            case UNICAST:
            default:
                break;
        }
    }

    private ChannelUriStringBuilder multicastChannel()
    {
        return Channels.multicast(ctx.multicastEndpoint(), ctx.multicastInterface(), ctx.multicastTtl());
    }

    private ChannelUriStringBuilder publicationParams(final ChannelUriStringBuilder builder)
    {
        return builder.mtu(ctx.mtuLength()).termLength(ctx.termBufferLength());
    }

    private ExclusivePublication addGroupPublication(final StreamReceiver receiver, final String channel)
    {
        final ExclusivePublication publication = aeron.addExclusivePublication(channel, receiver.streamId);
        groupPublications[receiver.stream.ordinal()] = publication;
        localSessionIds.add(publication.sessionId());
        return publication;
    }

    private void awaitResolved(final BooleanSupplier resolved, final String what)
    {
        final long deadlineNs = System.nanoTime() + RESOLVE_TIMEOUT_NS;
        offerIdleStrategy.reset();
        while (!resolved.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("media driver did not resolve " + what + " in time");
            }
            invokeConductors();
            offerIdleStrategy.idle();
        }
    }

    private int invokeConductors()
    {
        int work = 0;
        if (null != driverInvoker)
        {
            work += driverInvoker.invoke();
        }

        return work + clientInvoker.invoke();
    }

    /**
     * Add or update a node this transport can send to alone, and (in MDC and unicast modes) include it in sends to
     * all; in dynamic MDC also subscribe to its control endpoint. Control path: blocks for driver round trips.
     * Adding a node again with the same addresses does nothing; with other addresses it replaces the old entry.
     *
     * @param peer the node; not this node.
     * @throws IllegalArgumentException if the peer is this node or lacks what the channel mode needs.
     */
    public void addPeer(final TransportPeer peer)
    {
        ensureOpen();
        if (peer.nodeId() == nodeId)
        {
            throw new IllegalArgumentException("cannot add this node (" + nodeId + ") as a peer");
        }
        TransportContext.validatePeer(channelMode, peer);

        final Peer existing = peerByNodeId.get(peer.nodeId());
        if (null != existing)
        {
            if (existing.address.equals(peer))
            {
                return;
            }
            removePeerInternal(existing);
        }

        addPeerInternal(peer);
    }

    /**
     * Forget a node: close the publications to it and stop sending to it; in dynamic MDC stop subscribing to it
     * (there the removed node keeps receiving this node's sends to all for as long as it subscribes to this node's
     * control endpoint). Control path.
     *
     * @param nodeId of the node; not this node.
     * @return true if the node was known and is now removed.
     */
    public boolean removePeer(final int nodeId)
    {
        ensureOpen();
        if (nodeId == this.nodeId)
        {
            throw new IllegalArgumentException("cannot remove this node (" + nodeId + ")");
        }

        final Peer peer = peerByNodeId.get(nodeId);
        if (null == peer)
        {
            return false;
        }

        removePeerInternal(peer);
        return true;
    }

    private void addPeerInternal(final TransportPeer address)
    {
        final Peer peer = new Peer(address);
        try
        {
            if (null != address.endpoint())
            {
                final String channel = publicationParams(Channels.unicast(address.endpoint())).build();
                for (final StreamReceiver receiver : receivers)
                {
                    final ExclusivePublication publication = aeron.addExclusivePublication(channel, receiver.streamId);
                    peer.publications[receiver.stream.ordinal()] = publication;
                    localSessionIds.add(publication.sessionId());
                }
            }

            if (ChannelMode.MDC_MANUAL == channelMode)
            {
                peer.mdcDestination = Channels.unicast(address.endpoint()).build();
                groupPublications[0].addDestination(peer.mdcDestination);
            }
            else if (ChannelMode.MDC_DYNAMIC == channelMode)
            {
                final String channel = Channels.mdcDynamicSubscription(address.controlEndpoint()).build();
                for (final StreamReceiver receiver : receivers)
                {
                    final Subscription subscription = aeron.addSubscription(channel, receiver.streamId);
                    peer.mdcSubscriptions[receiver.stream.ordinal()] = subscription;
                    receiver.add(subscription);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            closePeerResources(peer);
            throw ex;
        }

        peerByNodeId.put(address.nodeId(), peer);
        peers = peerByNodeId.values().toArray(new Peer[0]);
        LOG.debug("node {} added peer {}", nodeId, address);
    }

    private void removePeerInternal(final Peer peer)
    {
        peerByNodeId.remove(peer.address.nodeId());
        peers = peerByNodeId.values().toArray(new Peer[0]);
        closePeerResources(peer);
        LOG.debug("node {} removed peer {}", nodeId, peer.address);
    }

    private void closePeerResources(final Peer peer)
    {
        if (null != peer.mdcDestination && !groupPublications[0].isClosed())
        {
            try
            {
                groupPublications[0].removeDestination(peer.mdcDestination);
            }
            catch (final RuntimeException ex)
            {
                ctx.errorHandler().onError(ex);
            }
        }

        for (int i = 0; i < TransportStream.COUNT; i++)
        {
            final ExclusivePublication publication = peer.publications[i];
            if (null != publication)
            {
                localSessionIds.remove(publication.sessionId());
                CloseHelper.close(ctx.errorHandler(), publication);
                peer.publications[i] = null;
            }

            final Subscription subscription = peer.mdcSubscriptions[i];
            if (null != subscription)
            {
                receivers[i].remove(subscription);
                CloseHelper.close(ctx.errorHandler(), subscription);
                peer.mdcSubscriptions[i] = null;
            }
        }
    }

    /**
     * One duty cycle: run the Aeron client conductor (and the driver in {@link ThreadingMode#INVOKER}), then poll
     * every subscription of every stream with up to {@code fragmentLimit} fragments each. Handlers and the image
     * listener are called from here.
     *
     * @param fragmentLimit fragments to read per subscription at most.
     * @return amount of work done, 0 when idle (for the caller's idle strategy).
     */
    public int poll(final int fragmentLimit)
    {
        if (closed)
        {
            return 0;
        }

        int work = invokeConductors();
        for (final StreamReceiver receiver : receivers)
        {
            work += receiver.poll(fragmentLimit);
        }

        return work;
    }

    /**
     * Poll one stream only (e.g. to give control traffic priority); does not run the conductors, so
     * {@link #poll(int)} must still be called regularly.
     *
     * @param stream        the stream to poll.
     * @param fragmentLimit fragments to read per subscription at most.
     * @return fragments read.
     */
    public int poll(final TransportStream stream, final int fragmentLimit)
    {
        if (closed)
        {
            return 0;
        }

        return receivers[stream.ordinal()].poll(fragmentLimit);
    }

    /**
     * Send one message to every node (this one included) on a stream.
     * <p>
     * In multicast and MDC modes this is one offer to one publication. In unicast mode the message is offered to
     * the publication of each connected peer, but only once every connected peer has room, so back-pressure from
     * one peer holds the send back for all instead of splitting it; a peer that disconnects in the middle is skipped.
     *
     * @param stream the stream.
     * @param buffer holding the message.
     * @param offset of the message in the buffer.
     * @param length of the message.
     * @return the new stream position (> 0) if accepted; otherwise {@link #NOT_CONNECTED}, {@link #BACK_PRESSURED},
     * {@link #ADMIN_ACTION}, {@link #CLOSED} or {@link #MAX_POSITION_EXCEEDED}, and nothing was sent.
     */
    public long offer(final TransportStream stream, final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }

        if (ChannelMode.UNICAST == channelMode)
        {
            final long result = awaitRoomOnAllPeers(stream);
            return result < 0 ? result : fanOut(stream, buffer, offset, length);
        }

        return offer(groupPublications[stream.ordinal()], buffer, offset, length);
    }

    /**
     * Send one message to one node (unicast to its endpoint), e.g. catch-up replay or a reply.
     *
     * @param nodeId the node; may be this node.
     * @param stream the stream.
     * @param buffer holding the message.
     * @param offset of the message in the buffer.
     * @param length of the message.
     * @return the new position (> 0) if accepted; otherwise {@link #UNKNOWN_NODE}, {@link #NOT_CONNECTED},
     * {@link #BACK_PRESSURED}, {@link #ADMIN_ACTION}, {@link #CLOSED} or {@link #MAX_POSITION_EXCEEDED}.
     */
    public long offer(
        final int nodeId, final TransportStream stream, final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }

        final ExclusivePublication publication = directPublication(nodeId, stream);
        return null == publication ? UNKNOWN_NODE : offer(publication, buffer, offset, length);
    }

    /**
     * Claim space for one message to every node, to encode it in place; then {@link TransportClaim#commit()}.
     * The length must not exceed {@link #maxClaimLength()}.
     *
     * @param stream the stream.
     * @param length of the message.
     * @param claim  to open; must not be open already.
     * @return a positive value if the claim is open; otherwise a negative code as for {@link #offer}, and the claim
     * stays closed.
     */
    public long tryClaim(final TransportStream stream, final int length, final TransportClaim claim)
    {
        if (closed)
        {
            return CLOSED;
        }

        if (ChannelMode.UNICAST == channelMode)
        {
            checkClaim(length, claim);
            final long result = awaitRoomOnAllPeers(stream);
            if (result > 0)
            {
                claim.openStaged(this, stream, length);
            }
            return result;
        }

        return tryClaim(groupPublications[stream.ordinal()], length, claim);
    }

    /**
     * Claim space for one message to one node, to encode it in place; then {@link TransportClaim#commit()}.
     *
     * @param nodeId the node; may be this node.
     * @param stream the stream.
     * @param length of the message, at most {@link #maxClaimLength()}.
     * @param claim  to open; must not be open already.
     * @return a positive value if the claim is open; otherwise a negative code as for
     * {@link #offer(int, TransportStream, DirectBuffer, int, int)}.
     */
    public long tryClaim(final int nodeId, final TransportStream stream, final int length, final TransportClaim claim)
    {
        if (closed)
        {
            return CLOSED;
        }

        final ExclusivePublication publication = directPublication(nodeId, stream);
        return null == publication ? UNKNOWN_NODE : tryClaim(publication, length, claim);
    }

    /**
     * @return the largest message {@link #tryClaim} accepts (one MTU's payload); {@link #offer} takes larger ones
     * and fragments them, and handlers receive them reassembled.
     */
    public int maxClaimLength()
    {
        return stagingBuffer.capacity();
    }

    private ExclusivePublication directPublication(final int nodeId, final TransportStream stream)
    {
        final Peer peer = peerByNodeId.get(nodeId);
        return null == peer ? null : peer.publications[stream.ordinal()];
    }

    private long offer(
        final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        long result = 0;
        offerIdleStrategy.reset();
        for (int attempt = 0; attempt < offerMaxAttempts; attempt++)
        {
            result = publication.offer(buffer, offset, length, nodeIdStamp);
            if (result > 0 || !shouldRetry(result))
            {
                return result;
            }
        }

        counters.onSendRetriesExhausted();
        return result;
    }

    private long tryClaim(final ExclusivePublication publication, final int length, final TransportClaim claim)
    {
        checkClaim(length, claim);
        long result = 0;
        offerIdleStrategy.reset();
        for (int attempt = 0; attempt < offerMaxAttempts; attempt++)
        {
            result = publication.tryClaim(length, claim.bufferClaim);
            if (result > 0)
            {
                claim.bufferClaim.reservedValue(nodeId);
                claim.openAeron(result);
                return result;
            }

            if (!shouldRetry(result))
            {
                return result;
            }
        }

        counters.onSendRetriesExhausted();
        return result;
    }

    private void checkClaim(final int length, final TransportClaim claim)
    {
        if (claim.isOpen())
        {
            throw new IllegalStateException("claim is already open");
        }
        if (length < 0 || length > stagingBuffer.capacity())
        {
            throw new IllegalArgumentException(
                "claim length " + length + " outside [0, " + stagingBuffer.capacity() + "]");
        }
    }

    /**
     * Count a failed attempt and say whether to try again; idles before a retry after back-pressure.
     */
    private boolean shouldRetry(final long result)
    {
        if (BACK_PRESSURED == result)
        {
            counters.onBackPressured();
            idleBetweenAttempts();
            return true;
        }
        else if (ADMIN_ACTION == result)
        {
            counters.onAdminAction();
            return true;
        }
        else if (NOT_CONNECTED == result)
        {
            counters.onNotConnected();
            return false;
        }

        counters.onSendFailure();
        return false;
    }

    private void idleBetweenAttempts()
    {
        if (null != driverInvoker)
        {
            driverInvoker.invoke();
        }
        offerIdleStrategy.idle();
    }

    /**
     * Unicast mode: wait (bounded) until every connected peer publication of the stream has room.
     *
     * @return 1 if all have room, else NOT_CONNECTED or BACK_PRESSURED.
     */
    private long awaitRoomOnAllPeers(final TransportStream stream)
    {
        final int index = stream.ordinal();
        offerIdleStrategy.reset();
        for (int attempt = 0; attempt < offerMaxAttempts; attempt++)
        {
            boolean anyConnected = false;
            boolean blocked = false;
            for (final Peer peer : peers)
            {
                final ExclusivePublication publication = peer.publications[index];
                if (null != publication && publication.isConnected())
                {
                    anyConnected = true;
                    if (publication.availableWindow() <= 0)
                    {
                        blocked = true;
                        break;
                    }
                }
            }

            if (!anyConnected)
            {
                counters.onNotConnected();
                return NOT_CONNECTED;
            }

            if (!blocked)
            {
                return 1;
            }

            counters.onBackPressured();
            idleBetweenAttempts();
        }

        counters.onSendRetriesExhausted();
        return BACK_PRESSURED;
    }

    /**
     * Unicast mode: offer to every connected peer after {@link #awaitRoomOnAllPeers} said all have room. Only an
     * admin action (retried) or a disconnect (skipped) can interrupt a single-writer offer with room.
     */
    private long fanOut(final TransportStream stream, final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = stream.ordinal();
        long position = NOT_CONNECTED;
        for (final Peer peer : peers)
        {
            final ExclusivePublication publication = peer.publications[index];
            if (null == publication || !publication.isConnected())
            {
                continue;
            }

            long result = publication.offer(buffer, offset, length, nodeIdStamp);
            for (int attempt = 1; ADMIN_ACTION == result && attempt < offerMaxAttempts; attempt++)
            {
                counters.onAdminAction();
                result = publication.offer(buffer, offset, length, nodeIdStamp);
            }

            if (result > 0)
            {
                position = Math.max(position, result);
            }
            else
            {
                shouldRetryNoIdle(result);
                LOG.debug("node {} fan-out to node {} on {} failed: {}", nodeId, peer.address.nodeId(), stream, result);
            }
        }

        return position;
    }

    private void shouldRetryNoIdle(final long result)
    {
        if (BACK_PRESSURED == result)
        {
            counters.onBackPressured();
        }
        else if (ADMIN_ACTION == result)
        {
            counters.onAdminAction();
        }
        else if (NOT_CONNECTED == result)
        {
            counters.onNotConnected();
        }
        else
        {
            counters.onSendFailure();
        }
    }

    long commitStaged(final TransportStream stream, final int length)
    {
        return closed ? CLOSED : fanOut(stream, stagingBuffer, 0, length);
    }

    UnsafeBuffer stagingBuffer()
    {
        return stagingBuffer;
    }

    private void onImageAvailable(final Image image)
    {
        final StreamReceiver receiver = receiverFor(image.subscription().streamId());
        if (null != receiver)
        {
            counters.onImageAvailable();
            LOG.debug("node {} image available: stream={} session={} source={}",
                nodeId, receiver.stream, image.sessionId(), image.sourceIdentity());
            ctx.imageListener().onImageAvailable(receiver.stream, image);
        }
    }

    private void onImageUnavailable(final Image image)
    {
        final StreamReceiver receiver = receiverFor(image.subscription().streamId());
        if (null != receiver)
        {
            counters.onImageUnavailable();
            receiver.assembler.freeSessionBuffer(image.sessionId());
            LOG.debug("node {} image unavailable: stream={} session={} source={}",
                nodeId, receiver.stream, image.sessionId(), image.sourceIdentity());
            ctx.imageListener().onImageUnavailable(receiver.stream, image);
        }
    }

    private StreamReceiver receiverFor(final int streamId)
    {
        for (final StreamReceiver receiver : receivers)
        {
            if (receiver.streamId == streamId)
            {
                return receiver;
            }
        }

        return null;
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("transport is closed");
        }
    }

    /**
     * @param sessionId from a fragment's header or an image.
     * @return true if the session is one of this node's own publications.
     */
    public boolean isLocalSession(final int sessionId)
    {
        return localSessionIds.contains(sessionId);
    }

    /**
     * @return this node's id.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @return the channel mode.
     */
    public ChannelMode channelMode()
    {
        return channelMode;
    }

    /**
     * @return this node's resolved unicast endpoint {@code ip:port} (the real port if 0 was configured), or null if
     * none was configured.
     */
    public String localEndpoint()
    {
        return localEndpoint;
    }

    /**
     * @return this node's resolved MDC control endpoint {@code ip:port} in dynamic MDC mode, else null.
     */
    public String localControlEndpoint()
    {
        return localControlEndpoint;
    }

    /**
     * @return this node's addresses, as other nodes should {@link #addPeer(TransportPeer)} it.
     */
    public TransportPeer localPeer()
    {
        return new TransportPeer(nodeId, localEndpoint, localControlEndpoint);
    }

    /**
     * @return ids of the known nodes, this one included.
     */
    public List<Integer> peerNodeIds()
    {
        final List<Integer> ids = new ArrayList<>(peers.length);
        for (final Peer peer : peers)
        {
            ids.add(peer.address.nodeId());
        }
        return ids;
    }

    /**
     * @param stream a stream.
     * @return true if at least one image (sender, this node included) is connected on the stream's subscriptions.
     */
    public boolean isConnected(final TransportStream stream)
    {
        return receivers[stream.ordinal()].isConnected();
    }

    /**
     * @param stream a stream.
     * @return number of images (senders' publications, this node's own included) on the stream's subscriptions.
     */
    public int imageCount(final TransportStream stream)
    {
        return closed ? 0 : receivers[stream.ordinal()].imageCount();
    }

    /**
     * @param nodeId a known node.
     * @param stream a stream.
     * @return true if the direct publication to that node on that stream has a connected receiver.
     */
    public boolean isConnectedTo(final int nodeId, final TransportStream stream)
    {
        final ExclusivePublication publication = closed ? null : directPublication(nodeId, stream);
        return null != publication && publication.isConnected();
    }

    /**
     * @return the transport's counters (readable from any thread; frozen after close).
     */
    public TransportCounters counters()
    {
        return counters;
    }

    /**
     * Value of one of the media driver's system counters (e.g. NAK_MESSAGES_SENT, RETRANSMITS_SENT).
     *
     * @param descriptor the counter.
     * @return its value.
     * @throws IllegalStateException if the transport is closed.
     */
    public long systemCounter(final SystemCounterDescriptor descriptor)
    {
        ensureOpen();
        return aeron.countersReader().getCounterValue(descriptor.id());
    }

    /**
     * @return the counters of the driver this transport is connected to (valid until close).
     */
    public CountersReader countersReader()
    {
        ensureOpen();
        return aeron.countersReader();
    }

    /**
     * @return the loss generator of the embedded driver, or null if loss injection is off.
     */
    public TransportLossGenerator lossGenerator()
    {
        return ctx.lossGenerator();
    }

    /**
     * @return the directory of the media driver in use.
     */
    public String driverDirectoryName()
    {
        return ctx.driverDirectoryName();
    }

    /**
     * @return the concluded context.
     */
    public TransportContext context()
    {
        return ctx;
    }

    /**
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Close the publications, subscriptions and client and, if embedded, the driver (which deletes its directory
     * when configured to). Idempotent. Counters stay readable with their final values.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;

        CloseHelper.closeAll(ctx.errorHandler(), counters, aeron, driver);
        LOG.info("transport of node {} closed", nodeId);
    }
}
