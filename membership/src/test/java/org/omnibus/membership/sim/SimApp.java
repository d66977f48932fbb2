package org.omnibus.membership.sim;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.Membership;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.View;

/**
 * The upper layer of one simulated process (a node incarnation): its replicated state is the list of messages it
 * delivered, in order; a snapshot is that list. Every callback is checked on the spot and recorded for the final
 * check.
 */
final class SimApp implements MembershipListener, StateTransferHandler
{
    /** One delivered message: global sequence, view, message key, level (0 AGREED, 1 SAFE). */
    static final class Entry
    {
        final long seq;
        final long viewId;
        final long key;
        final boolean safe;

        Entry(final long seq, final long viewId, final long key, final boolean safe)
        {
            this.seq = seq;
            this.viewId = viewId;
            this.key = key;
            this.safe = safe;
        }

        boolean sameAs(final Entry other)
        {
            return other != null && seq == other.seq && viewId == other.viewId && key == other.key;
        }

        /** {@inheritDoc} */
        public String toString()
        {
            return seq + "@" + View.epoch(viewId) + "." + View.proposer(viewId) + ":" + Checker.describeKey(key) +
                (safe ? "/S" : "/A");
        }
    }

    /** A run of deliveries on top of a base state (empty, or a snapshot). */
    static final class Segment
    {
        final List<Entry> base;
        final List<Entry> deliveries = new ArrayList<>();

        Segment(final List<Entry> base)
        {
            this.base = base;
        }
    }

    final int nodeId;
    final long incarnation;
    final Checker checker;
    final List<Segment> segments = new ArrayList<>();
    List<Entry> state = new ArrayList<>();
    final Map<Long, Long> lastOriginSeqs = new HashMap<>();
    boolean initialized;
    private final List<Entry> installDeliveries = new ArrayList<>();
    private final List<MembershipState> installDeliveryStates = new ArrayList<>();
    boolean alive = true;
    boolean leftCleanly;
    Membership membership;

    SimApp(final int nodeId, final long incarnation, final boolean founder, final Checker checker)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.checker = checker;
        this.initialized = founder;
        segments.add(new Segment(new ArrayList<>()));
    }

    String name()
    {
        return "node " + nodeId + "/" + incarnation;
    }

    long lastSeq()
    {
        return state.isEmpty() ? 0 : state.get(state.size() - 1).seq;
    }

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
        final long key = Checker.key(originNode, originIncarnation, originSeq);
        if (length < 8 || buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) != key)
        {
            checker.violation(name() + " delivered seq " + globalSeq + " whose payload does not match its origin " +
                Checker.describeKey(key));
        }
        if (!initialized)
        {
            checker.violation(name() + " delivered seq " + globalSeq + " before it had any state");
        }
        if (globalSeq != lastSeq() + 1)
        {
            checker.violation(name() + " delivered seq " + globalSeq + " after " + lastSeq() + " (gap or repeat)");
        }
        final MembershipState s = membership.state();
        final Entry entry = new Entry(globalSeq, viewId, key, level == DeliveryLevel.SAFE);
        if (s != MembershipState.OPERATIONAL)
        {
            // Only legal as the end of the old view, delivered while installing its successor (same event).
            installDeliveries.add(entry);
            installDeliveryStates.add(s);
        }
        final long originKey = ((long)originNode << 32) | originIncarnation;
        final long expected = lastOriginSeqs.getOrDefault(originKey, 0L) + 1;
        if (originSeq != expected)
        {
            checker.violation(name() + " delivered " + Checker.describeKey(key) + " at seq " + globalSeq +
                " but expected origin seq " + expected + " (duplicate or FIFO violation)");
        }
        lastOriginSeqs.put(originKey, originSeq);
        state.add(entry);
        segments.get(segments.size() - 1).deliveries.add(entry);
        checker.onDeliver(this, entry);
    }

    /** {@inheritDoc} */
    public void onViewChange(final View view)
    {
        checker.onView(this, view);
        if (view.isPrimary())
        {
            for (final Entry e : installDeliveries)
            {
                if (e.viewId != view.predecessorViewId() || e.seq > view.endSeq())
                {
                    checker.violation(name() + " delivered " + e + " while installing " + view +
                        ", which does not end that view there");
                }
            }
            installDeliveries.clear();
            installDeliveryStates.clear();
        }
    }

    /**
     * Called by the simulator after every event handed to the state machine: deliveries outside OPERATIONAL must
     * have been followed by the installation of the next primary view.
     */
    void endOfEvent()
    {
        for (int i = 0; i < installDeliveries.size(); i++)
        {
            checker.violation(name() + " delivered " + installDeliveries.get(i) + " in state " +
                installDeliveryStates.get(i) + " without installing a primary view");
        }
        installDeliveries.clear();
        installDeliveryStates.clear();
    }

    /** {@inheritDoc} */
    public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
    {
        if (asOfSeq != lastSeq())
        {
            checker.violation(name() + " asked for a snapshot at " + asOfSeq + " but delivered up to " + lastSeq());
        }
        int pos = offset;
        buffer.putInt(pos, state.size(), ByteOrder.LITTLE_ENDIAN);
        pos += 4;
        for (final Entry e : state)
        {
            buffer.putLong(pos, e.seq, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(pos + 8, e.viewId, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(pos + 16, e.key, ByteOrder.LITTLE_ENDIAN);
            buffer.putByte(pos + 24, (byte)(e.safe ? 1 : 0));
            pos += 25;
        }
        return pos - offset;
    }

    /** {@inheritDoc} */
    public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        final int count = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        final List<Entry> list = new ArrayList<>(count);
        int pos = offset + 4;
        for (int i = 0; i < count; i++)
        {
            list.add(new Entry(
                buffer.getLong(pos, ByteOrder.LITTLE_ENDIAN),
                buffer.getLong(pos + 8, ByteOrder.LITTLE_ENDIAN),
                buffer.getLong(pos + 16, ByteOrder.LITTLE_ENDIAN), buffer.getByte(pos + 24) == 1));
            pos += 25;
        }
        if (pos - offset != length)
        {
            checker.violation(name() + " received a snapshot of " + length + " bytes, decoded " + (pos - offset));
        }
        final long last = list.isEmpty() ? 0 : list.get(list.size() - 1).seq;
        if (last != asOfSeq)
        {
            checker.violation(name() + " received a snapshot as of " + asOfSeq + " that ends at " + last);
        }
        state = new ArrayList<>(list);
        lastOriginSeqs.clear();
        for (final Entry e : list)
        {
            lastOriginSeqs.put(Checker.originKey(e.key), Checker.originSeq(e.key));
        }
        initialized = true;
        segments.add(new Segment(list));
        checker.onSnapshot(this, asOfSeq);
    }
}
