package org.omnibus.membership.aeron;

import java.nio.ByteBuffer;

import io.aeron.driver.status.SystemCounterDescriptor;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.Membership;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.SubmitPolicy;
import org.omnibus.membership.View;
import org.omnibus.transport.Transport;
import org.omnibus.transport.TransportContext;
import org.omnibus.transport.TransportCounters;
import org.omnibus.transport.TransportPeer;
import org.omnibus.transport.TransportStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's membership in the cluster group: the {@link Membership} state machine driven over Aeron (a
 * {@link Transport}) by an agent with a duty cycle and a real clock. This is the API the upper layers use to put
 * messages into the cluster's total order and to receive that order.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>The <b>agent</b> runs the duty cycle ({@link GroupAgent}): on its own thread
 *   ({@link GroupThreadingMode#DEDICATED}, default, with a backoff idle strategy) or on the caller's
 *   ({@link GroupThreadingMode#INVOKER}: call {@link #doWork()}). The embedded media driver has its own thread
 *   (SHARED by default), or runs inside the duty cycle when the transport context says
 *   {@code ThreadingMode.INVOKER}.</li>
 *   <li>{@link #submit} is <b>thread-safe</b>: any thread (e.g. the node's edge agent) writes into a many-to-one
 *   ring buffer that the agent drains in order. The ring's order is the submission order; with one submitting thread
 *   the n-th accepted submission of this incarnation gets origin sequence n.</li>
 *   <li><b>Deliveries, view changes and state transfer callbacks run on the agent thread</b> (the
 *   {@link org.omnibus.membership.MembershipListener} and {@link org.omnibus.membership.StateTransferHandler} given
 *   in the context, passed through unchanged). The payload buffer is valid only during the call. A consumer on
 *   another thread should journal or copy in the callback (the journal is the hand-over: a delivery cannot be
 *   refused, so a bounded ring here could only stall the agent, and with it heartbeats). Callbacks must not block
 *   and must not throw.</li>
 *   <li>{@link #state()}, {@link #view()}, {@link #isPrimary()}, {@link #deliveredSeq()} and {@link #counters()} are
 *   published by the agent and may be read from any thread. {@link #addPeer}, {@link #removePeer} and
 *   {@link #leave()} are queued to the agent.</li>
 * </ul>
 */
public final class Group implements AutoCloseable
{
    /** {@link #submit}: accepted; it will be ordered (once the node is in a primary view). */
    public static final int ACCEPTED = 1;
    /** {@link #submit}: the submit ring is full (the outbox is full or the agent is behind); retry later. */
    public static final int BACK_PRESSURED = -1;
    /** {@link #submit}: not in a primary view and the submit policy is {@link SubmitPolicy#REJECT}. */
    public static final int NOT_PRIMARY = -2;
    /** {@link #submit}: longer than {@link #maxSubmitLength()}. */
    public static final int TOO_LARGE = -3;
    /** {@link #submit}: the group is leaving, left or closed. */
    public static final int CLOSED = -4;

    private static final Logger LOG = LoggerFactory.getLogger(Group.class);

    private final GroupContext ctx;
    private final int nodeId;
    private final long incarnation;
    private final SubmitPolicy submitPolicy;
    private final int maxSubmitLength;
    private final GroupCounters counters;
    private final ManyToOneRingBuffer submitRing;
    private final GroupAgent agent;
    private final AgentRunner runner;
    private final AgentInvoker invoker;
    private final TransportPeer localPeer;
    private final Transport transport;

    private volatile MembershipState state = MembershipState.JOINING;
    private volatile View view;
    private volatile boolean primary;
    private volatile long deliveredSeq;
    private volatile boolean leaving;
    private volatile boolean closed;

    private Group(final GroupContext ctx)
    {
        this.ctx = ctx;
        this.nodeId = ctx.nodeId();
        this.incarnation = ctx.incarnation();
        this.submitPolicy = ctx.submitPolicy();
        this.counters = new GroupCounters();
        this.submitRing = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(ctx.submitRingBufferLength())));
        this.maxSubmitLength = Math.min(submitRing.maxMsgLength(), ctx.membershipContext().maxPayloadLength());

        final GroupAdapter adapter = new GroupAdapter(nodeId, counters, ctx.frameFilter(), ctx.catchUpHandler());
        final TransportContext transportCtx = ctx.transportContext();
        for (final TransportStream stream : TransportStream.values())
        {
            transportCtx.handler(stream, adapter);
        }
        transportCtx.imageListener(adapter);
        transport = Transport.launch(transportCtx);
        try
        {
            final GroupPublisher publisher = new GroupPublisher(transport, counters, nodeId, ctx.pendingSendLimit());
            agent = new GroupAgent(this, ctx, transport, adapter, publisher, counters, submitRing);
            final Membership membership = new Membership(ctx.membershipContext().outbound(publisher).listener(agent));
            agent.membership(membership);
            adapter.wire(transport, membership);
            localPeer = transport.localPeer();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(transport);
            throw ex;
        }

        if (ctx.threadingMode() == GroupThreadingMode.INVOKER)
        {
            runner = null;
            invoker = new AgentInvoker(ctx.errorHandler(), null, agent);
        }
        else
        {
            runner = new AgentRunner(ctx.idleStrategy(), ctx.errorHandler(), null, agent);
            invoker = null;
        }
    }

    /**
     * Conclude the context (which persists the next incarnation), launch the transport, create the state machine and
     * start the agent: on its thread in {@link GroupThreadingMode#DEDICATED}, at the first {@link #doWork()} in
     * {@link GroupThreadingMode#INVOKER}.
     *
     * @param ctx the configuration.
     * @return the running group.
     */
    public static Group launch(final GroupContext ctx)
    {
        ctx.conclude();
        final Group group = new Group(ctx);
        LOG.info("group node {} incarnation {} launched (bootstrap={} firstStart={} initialMembers={} peer={})",
            group.nodeId, group.incarnation, ctx.bootstrap(), ctx.firstStart(),
            java.util.Arrays.toString(ctx.initialMembers()), group.localPeer);
        if (group.invoker != null)
        {
            group.invoker.start();
        }
        else
        {
            AgentRunner.startOnThread(group.runner);
        }
        return group;
    }

    /**
     * Submit a message to the total order. Thread-safe; the payload is copied into the submit ring before return.
     *
     * @param level  delivery level.
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload, at most {@link #maxSubmitLength()}.
     * @return {@link #ACCEPTED}, or {@link #BACK_PRESSURED}, {@link #NOT_PRIMARY}, {@link #TOO_LARGE},
     * {@link #CLOSED}; nothing was submitted unless ACCEPTED.
     */
    public int submit(final DeliveryLevel level, final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed || leaving)
        {
            return CLOSED;
        }
        if (length > maxSubmitLength)
        {
            return TOO_LARGE;
        }
        if (submitPolicy == SubmitPolicy.REJECT && !primary)
        {
            return NOT_PRIMARY;
        }
        if (!submitRing.write(level.code(), buffer, offset, length))
        {
            counters.increment(GroupCounters.Counter.SUBMIT_BACK_PRESSURED);
            return BACK_PRESSURED;
        }
        return ACCEPTED;
    }

    /**
     * Claim space in the submit ring to encode a message in place (zero copy), then {@link #commitClaim(int)} or
     * {@link #abortClaim(int)}. Thread-safe like {@link #submit}.
     *
     * @param level  delivery level.
     * @param length of the payload, at most {@link #maxSubmitLength()}.
     * @return the index in {@link #claimBuffer()} to write at (>= 0), or {@link #BACK_PRESSURED}, {@link #NOT_PRIMARY},
     * {@link #TOO_LARGE}, {@link #CLOSED}.
     */
    public int tryClaim(final DeliveryLevel level, final int length)
    {
        if (closed || leaving)
        {
            return CLOSED;
        }
        if (length > maxSubmitLength)
        {
            return TOO_LARGE;
        }
        if (submitPolicy == SubmitPolicy.REJECT && !primary)
        {
            return NOT_PRIMARY;
        }
        final int index = submitRing.tryClaim(level.code(), length);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY)
        {
            counters.increment(GroupCounters.Counter.SUBMIT_BACK_PRESSURED);
            return BACK_PRESSURED;
        }
        return index;
    }

    /** @return the buffer a claim from {@link #tryClaim} is written into. */
    public org.agrona.concurrent.AtomicBuffer claimBuffer()
    {
        return submitRing.buffer();
    }

    /**
     * @param index returned by {@link #tryClaim}: the message is submitted.
     */
    public void commitClaim(final int index)
    {
        submitRing.commit(index);
    }

    /**
     * @param index returned by {@link #tryClaim}: the claim is released, nothing is submitted.
     */
    public void abortClaim(final int index)
    {
        submitRing.abort(index);
    }

    /** @return the longest payload {@link #submit} accepts. */
    public int maxSubmitLength()
    {
        return maxSubmitLength;
    }

    /**
     * Run one duty cycle ({@link GroupThreadingMode#INVOKER} only).
     *
     * @return work done, 0 when idle.
     * @throws IllegalStateException in {@link GroupThreadingMode#DEDICATED}.
     */
    public int doWork()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("doWork() is for GroupThreadingMode.INVOKER");
        }
        return invoker.invoke();
    }

    /**
     * Make a node reachable for direct (unicast) sends, e.g. once its endpoint is known. Queued to the agent.
     *
     * @param peer the node's addresses ({@link #localPeer()} on that node).
     */
    public void addPeer(final TransportPeer peer)
    {
        agent.enqueue(() -> agent.addPeerNow(peer));
    }

    /**
     * Forget a node's addresses. Queued to the agent.
     *
     * @param peerNodeId the node.
     */
    public void removePeer(final int peerNodeId)
    {
        agent.enqueue(() -> agent.removePeerNow(peerNodeId));
    }

    /** Leave the group gracefully (queued to the agent); {@link #state()} becomes LEFT when done. */
    public void leave()
    {
        leaving = true;
        agent.enqueue(agent::leaveNow);
    }

    /**
     * Send a journal catch-up frame (membership schema, templates 82-89) to one node on the CATCH_UP stream: direct
     * (unicast to its endpoint) when its endpoint is known, else to all (the frame names its target; the others
     * ignore it). <b>Agent thread only</b> (from a {@link CatchUpFrameHandler} or, in
     * {@link GroupThreadingMode#INVOKER}, from the thread that calls {@link #doWork()}). Not queued: a negative
     * result means nothing was sent and the caller retries later.
     *
     * @param targetNodeId the node.
     * @param buffer       holding the frame.
     * @param offset       of the frame.
     * @param length       of the frame.
     * @return a positive position if sent, else {@link Transport#BACK_PRESSURED}, {@link Transport#NOT_CONNECTED},
     * {@link Transport#ADMIN_ACTION}, {@link Transport#CLOSED} or {@link Transport#MAX_POSITION_EXCEEDED}.
     */
    public long offerCatchUp(final int targetNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed || transport.isClosed())
        {
            return Transport.CLOSED;
        }
        final long result = transport.offer(targetNodeId, TransportStream.CATCH_UP, buffer, offset, length);
        if (result == Transport.UNKNOWN_NODE)
        {
            return transport.offer(TransportStream.CATCH_UP, buffer, offset, length);
        }
        return result;
    }

    /** @return this node's id. */
    public int nodeId()
    {
        return nodeId;
    }

    /** @return the incarnation of this start. */
    public long incarnation()
    {
        return incarnation;
    }

    /** @return this node's addresses as other nodes pass them to {@link #addPeer}. */
    public TransportPeer localPeer()
    {
        return localPeer;
    }

    /** @return the state machine's state, as of the last duty cycle. */
    public MembershipState state()
    {
        return state;
    }

    /** @return the installed view (primary or not), or null before the first. */
    public View view()
    {
        return view;
    }

    /** @return whether this node is a member of an installed primary view. */
    public boolean isPrimary()
    {
        return primary;
    }

    /** @return the highest global sequence delivered, as of the last duty cycle. */
    public long deliveredSeq()
    {
        return deliveredSeq;
    }

    /** @return the counters (readable from any thread). */
    public GroupCounters counters()
    {
        return counters;
    }

    /**
     * A system counter of the media driver (e.g. NAK_MESSAGES_SENT, RETRANSMITS_SENT); readable from any thread.
     *
     * @param descriptor the counter.
     * @return its value, 0 once closed.
     */
    public long systemCounter(final SystemCounterDescriptor descriptor)
    {
        if (closed || transport.isClosed())
        {
            return 0;
        }
        return transport.countersReader().getCounterValue(descriptor.id());
    }

    /** @return the transport's counters (readable from any thread). */
    public TransportCounters transportCounters()
    {
        return transport.counters();
    }

    /** @return the concluded context. */
    public GroupContext context()
    {
        return ctx;
    }

    /** @return true once closed. */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Stop the agent (waiting for its thread) and close the transport and, if embedded, its driver. Does not leave
     * the group: the others suspect this node (call {@link #leave()} and await LEFT first for a graceful exit).
     * Idempotent.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (runner != null)
        {
            CloseHelper.close(ctx.errorHandler(), runner);
        }
        else
        {
            CloseHelper.close(ctx.errorHandler(), invoker);
        }
        LOG.info("group node {} incarnation {} closed: {}", nodeId, incarnation, counters);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Published by the agent thread.
    // ------------------------------------------------------------------------------------------------------------

    void publish(final Membership membership)
    {
        final long delivered = membership.deliveredSeq();
        if (delivered != deliveredSeq)
        {
            deliveredSeq = delivered;
        }
        final boolean inPrimary = membership.inPrimaryView();
        if (inPrimary != primary)
        {
            primary = inPrimary;
        }
    }

    void publishView(final View view)
    {
        this.view = view;
        this.primary = view.isPrimary();
    }

    void publishPrimary(final boolean primary)
    {
        this.primary = primary;
    }

    void publishState(final MembershipState state)
    {
        this.state = state;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "Group{node=" + nodeId + "/" + incarnation + " " + state + " view=" + view + " delivered=" +
            deliveredSeq + "}";
    }
}
