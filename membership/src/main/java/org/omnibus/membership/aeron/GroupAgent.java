package org.omnibus.membership.aeron;

import java.util.Queue;

import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.Membership;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.View;
import org.omnibus.transport.Transport;
import org.omnibus.transport.TransportPeer;

import static org.omnibus.membership.aeron.GroupCounters.Counter.DUTY_CYCLES;
import static org.omnibus.membership.aeron.GroupCounters.Counter.DUTY_CYCLE_MAX_NS;
import static org.omnibus.membership.aeron.GroupCounters.Counter.DUTY_CYCLE_STALLS;
import static org.omnibus.membership.aeron.GroupCounters.Counter.SUBMIT_DRAINED;
import static org.omnibus.membership.aeron.GroupCounters.Counter.SUBMIT_DROPPED;

/**
 * The duty cycle of a {@link Group}. Each {@link #doWork()}:
 * <ol>
 *   <li>reads the clock once;</li>
 *   <li>runs the commands other threads queued (add a peer, leave);</li>
 *   <li>retries frames held back by back-pressure;</li>
 *   <li>polls the transport (every stream, up to the fragment limit per subscription), which hands each frame to
 *   the state machine;</li>
 *   <li>moves submissions from the submit ring into the state machine (bounded; a full outbox leaves them in the
 *   ring, so submitters see back-pressure);</li>
 *   <li>runs the state machine's timers and sends ({@link Membership#doWork});</li>
 *   <li>publishes state and counters for other threads;</li>
 * </ol>
 * and returns the work done, so the idle strategy backs off only when nothing happened. Deliveries and view changes
 * reach the listener on this thread, from inside steps 4 to 6.
 */
final class GroupAgent implements Agent, MembershipListener, ControlledMessageHandler
{
    private static final long STALL_THRESHOLD_NS = 100_000_000L;

    private final Group group;
    private final Transport transport;
    private final GroupAdapter adapter;
    private final GroupPublisher publisher;
    private final GroupCounters counters;
    private final MembershipListener listener;
    private final ManyToOneRingBuffer submitRing;
    private final Queue<Runnable> commands = new ManyToOneConcurrentLinkedQueue<>();
    private final NanoClock clock;
    private final int fragmentLimit;
    private final int submitDrainLimit;
    private final String roleName;
    private final ErrorHandler errorHandler;
    private Membership membership;
    private long nowNs;
    private boolean started;
    private boolean closed;

    GroupAgent(
        final Group group,
        final GroupContext ctx,
        final Transport transport,
        final GroupAdapter adapter,
        final GroupPublisher publisher,
        final GroupCounters counters,
        final ManyToOneRingBuffer submitRing)
    {
        this.group = group;
        this.transport = transport;
        this.adapter = adapter;
        this.publisher = publisher;
        this.counters = counters;
        this.listener = ctx.listener();
        this.submitRing = submitRing;
        this.clock = ctx.nanoClock();
        this.fragmentLimit = ctx.fragmentLimit();
        this.submitDrainLimit = ctx.submitDrainLimit();
        this.roleName = "omnibus-group-" + ctx.nodeId();
        this.errorHandler = ctx.errorHandler();
    }

    /**
     * @param membership the state machine this agent drives (created with this agent as its listener).
     */
    void membership(final Membership membership)
    {
        this.membership = membership;
    }

    /** {@inheritDoc} */
    public void onStart()
    {
        nowNs = clock.nanoTime();
        adapter.nowNs(nowNs);
        if (!started)
        {
            started = true;
            membership.start(nowNs);
        }
    }

    /** {@inheritDoc} */
    public int doWork()
    {
        if (closed)
        {
            return 0;
        }
        final long previousNs = nowNs;
        nowNs = clock.nanoTime();
        adapter.nowNs(nowNs);
        if (!started)
        {
            started = true;
            membership.start(nowNs);
        }
        else
        {
            trackCycle(nowNs - previousNs);
        }
        int work = runCommands();
        work += publisher.retryPending();
        work += transport.poll(fragmentLimit);
        final int drained = submitRing.controlledRead(this, submitDrainLimit);
        if (drained > 0)
        {
            counters.add(SUBMIT_DRAINED, drained);
            work += drained;
        }
        work += membership.doWork(nowNs);
        group.publish(membership);
        counters.mirror(membership.counters());
        counters.increment(DUTY_CYCLES);
        return work;
    }

    private void trackCycle(final long cycleNs)
    {
        counters.max(DUTY_CYCLE_MAX_NS, cycleNs);
        if (cycleNs > STALL_THRESHOLD_NS)
        {
            counters.increment(DUTY_CYCLE_STALLS);
        }
    }

    private int runCommands()
    {
        int work = 0;
        Runnable command;
        while ((command = commands.poll()) != null)
        {
            try
            {
                command.run();
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
            work++;
        }
        return work;
    }

    /**
     * Queue a command for the agent thread (control path: it allocates).
     *
     * @param command to run at the start of a duty cycle.
     */
    void enqueue(final Runnable command)
    {
        commands.offer(command);
    }

    void addPeerNow(final TransportPeer peer)
    {
        transport.addPeer(peer);
    }

    void removePeerNow(final int peerNodeId)
    {
        transport.removePeer(peerNodeId);
        publisher.forget(peerNodeId);
    }

    void leaveNow()
    {
        membership.leave(nowNs);
    }

    /** A submission taken from the ring: into the state machine's outbox, or left in the ring if that is full. */
    public ControlledMessageHandler.Action onMessage(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final DeliveryLevel level = DeliveryLevel.fromCode(msgTypeId);
        final long result = membership.submit(level, buffer, index, length);
        if (result == Membership.BACK_PRESSURED)
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        if (result < 0)
        {
            counters.increment(SUBMIT_DROPPED);
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    /** {@inheritDoc} */
    public void onClose()
    {
        closed = true;
        CloseHelper.quietClose(transport);
    }

    /** {@inheritDoc} */
    public String roleName()
    {
        return roleName;
    }

    // ------------------------------------------------------------------------------------------------------------
    // MembershipListener: publish what other threads read, then pass through.
    // ------------------------------------------------------------------------------------------------------------

    /** {@inheritDoc} */
    public void onDeliver(
        final long viewId,
        final long globalSeq,
        final int originNode,
        final long originIncarnation,
        final long originSeq,
        final DeliveryLevel level,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        listener.onDeliver(viewId, globalSeq, originNode, originIncarnation, originSeq, level, buffer, offset, length);
    }

    /** {@inheritDoc} */
    public void onViewChange(final View view)
    {
        group.publishView(view);
        listener.onViewChange(view);
    }

    /** {@inheritDoc} */
    public void onPrimaryLost(final long lastPrimaryViewId)
    {
        group.publishPrimary(false);
        listener.onPrimaryLost(lastPrimaryViewId);
    }

    /** {@inheritDoc} */
    public void onStateChange(final MembershipState from, final MembershipState to)
    {
        group.publishState(to);
        listener.onStateChange(from, to);
    }
}
