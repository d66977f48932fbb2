package org.omnibus.node;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.omnibus.bus.Bus;
import org.omnibus.bus.StateInstall;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.peer.Peer;
import org.omnibus.edge.BusEdgeHandler;
import org.omnibus.edge.ClusterLink;
import org.omnibus.edge.EdgeAgent;
import org.omnibus.edge.EdgeConnection;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.View;
import org.omnibus.membership.aeron.Group;
import org.omnibus.persistence.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the bus to the cluster on the node's agent thread: the edge submits through it ({@link ClusterLink});
 * the group delivers through it ({@link MembershipListener}): each ordered message is journaled, then handed to
 * the edge; view changes release the names of departed nodes at the same point of the order on every node;
 * state transfer moves the name registry ({@link StateTransferHandler}).
 * <p>
 * The edge agent and the group's duty cycle run on one thread, so the bus is always exactly as of the last
 * delivered sequence: a snapshot taken in {@link #takeSnapshot} is consistent without locks.
 */
final class ClusterBridge implements ClusterLink, MembershipListener, StateTransferHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBridge.class);

    private final int nodeId;
    private final Bus bus;
    private final Journal journal;
    private Group group;
    private BusEdgeHandler handler;
    private EdgeAgent edge;
    private View lastPrimary;
    private long lastDeliveredSeq = -1;
    private long journalFailures;
    private JournalCatchUp catchUp;
    /** Journal sequence of the group's global sequence 0 (non-zero after founding again over a journal). */
    private long sequenceBase;

    ClusterBridge(final int nodeId, final Bus bus, final Journal journal)
    {
        this.nodeId = nodeId;
        this.bus = bus;
        this.journal = journal;
    }

    /**
     * @param bootstrap whether this start founds the cluster: its global sequences start at 1 again, and a
     *                  journal that holds an earlier history continues after it (the journal sequence is the
     *                  group's global sequence plus the journal's last sequence at this start).
     */
    void connect(final Group group, final BusEdgeHandler handler, final EdgeAgent edge, final boolean bootstrap)
    {
        this.group = group;
        this.handler = handler;
        this.edge = edge;
        if (bootstrap && journal != null && journal.lastSequence() > 0)
        {
            sequenceBase = journal.lastSequence();
            LOG.info("founding the cluster again: journal sequences continue after {}", sequenceBase);
        }
    }

    /**
     * @param catchUp fills the journal from a peer's after a state transfer (null: the journal skips the gap).
     */
    void catchUp(final JournalCatchUp catchUp)
    {
        this.catchUp = catchUp;
    }

    long lastDeliveredSeq()
    {
        return lastDeliveredSeq;
    }

    View lastPrimaryView()
    {
        return lastPrimary;
    }

    // ---- ClusterLink (edge → group) ----

    @Override
    public int submit(final boolean safe, final DirectBuffer buffer, final int offset, final int length)
    {
        final int result = group.submit(safe ? DeliveryLevel.SAFE : DeliveryLevel.AGREED, buffer, offset, length);
        switch (result)
        {
            case Group.ACCEPTED: return ACCEPTED;
            case Group.BACK_PRESSURED: return BACK_PRESSURED;
            case Group.NOT_PRIMARY: return NOT_PRIMARY;
            case Group.TOO_LARGE: return TOO_LARGE;
            default: return CLOSED;
        }
    }

    @Override
    public int nodeId()
    {
        return nodeId;
    }

    // ---- MembershipListener (group → bus) ----

    @Override
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
        final long seq = sequenceBase + globalSeq;
        if (journal != null && (catchUp == null || catchUp.client().tryFinishAt(seq)))
        {
            final long result = journal.append(seq, viewId, originNode, originSeq,
                System.currentTimeMillis() * 1_000_000L, buffer, offset, length);
            if (result < 0 && journalFailures++ == 0)
            {
                LOG.error("journal refused sequence {} (code {}): the journal no longer follows the ordered stream",
                    globalSeq, result);
            }
        }
        lastDeliveredSeq = globalSeq;
        handler.onClusterDelivery(originNode, buffer, offset, length);
    }

    @Override
    public void onViewChange(final View view)
    {
        LOG.info("view {}: {} members, {}, coordinator {}", view.viewId(), view.size(),
            view.isPrimary() ? "primary" : "NOT primary", view.coordinator());
        if (!view.isPrimary())
        {
            return;
        }
        if (lastPrimary != null)
        {
            final long[] departed = departed(lastPrimary, view);
            if (departed.length > 0)
            {
                handler.onNodesDeparted(departed);
            }
        }
        lastPrimary = view;
        if (catchUp != null)
        {
            catchUp.client().peers(peersOf(view));
        }
    }

    private int[] peersOf(final View view)
    {
        final int[] peers = new int[view.size()];
        int count = 0;
        for (int i = 0; i < view.size(); i++)
        {
            if (view.memberId(i) != nodeId)
            {
                peers[count++] = view.memberId(i);
            }
        }
        return java.util.Arrays.copyOf(peers, count);
    }

    /**
     * Members of the previous view that are not in the next one with the same incarnation (crashed, left, or
     * restarted as a new incarnation whose old peers are gone).
     */
    static long[] departed(final View previous, final View next)
    {
        final long[] departed = new long[previous.size()];
        int count = 0;
        for (int i = 0; i < previous.size(); i++)
        {
            final int index = next.indexOf(previous.memberId(i));
            if (index < 0 || next.memberIncarnation(index) != previous.memberIncarnation(i))
            {
                departed[count++] = previous.memberId(i);
            }
        }
        return java.util.Arrays.copyOf(departed, count);
    }

    // ---- StateTransferHandler ----

    @Override
    public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
    {
        return bus.takeSnapshot(asOfSeq, buffer, offset);
    }

    @Override
    public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        final StateInstall install = bus.installSnapshot(asOfSeq, buffer, offset, length);
        LOG.info("installed the bus state as of sequence {}: {} name changes, {} local peers dropped",
            asOfSeq, install.changes().size(), install.orphans().size());
        if (journal != null)
        {
            // what this journal holds beyond the state it was given is a divergent tail; a gap is fetched from a
            // peer's journal (catch-up), or skipped without catch-up
            final long first = sequenceBase + asOfSeq + 1;
            final long next = journal.nextSequence();
            final long viewId = lastPrimary == null ? View.NONE : lastPrimary.viewId();
            if (next > first)
            {
                journal.truncateFrom(first, viewId);
            }
            if (catchUp != null && lastPrimary != null)
            {
                catchUp.client().begin(first, viewId, peersOf(lastPrimary), System.nanoTime());
            }
            else if (next != -1 && next < first)
            {
                journal.restartAt(first, viewId);
            }
        }
        lastDeliveredSeq = asOfSeq;
        handler.onStateInstalled();
        for (final Peer orphan : install.orphans())
        {
            final Object session = orphan.attachment();
            final EdgeConnection connection = handler.connectionOf(orphan);
            if (connection != null)
            {
                edge.close(connection, "the cluster unregistered this connection while this node was away");
            }
            else if (session == null)
            {
                LOG.debug("orphan {} has no connection", orphan.uniqueName());
            }
        }
        for (final long unknownId : install.unknownIds())
        {
            handler.submitNameCommand(NameCommand.unregister(unknownId));
        }
    }
}
