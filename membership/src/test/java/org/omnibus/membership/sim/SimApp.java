package org.omnibus.membership.sim;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.Membership;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.View;

/**
 * The upper layer of one process (a node incarnation), simulated or real: its replicated state is the list of
 * messages it delivered, in order. Every callback is checked on the spot and recorded for the {@link Checker}'s final
 * check. Used by the simulator and, through the membership test-jar, by the clusters of the system tests.
 * <p>
 * A snapshot is either the whole list ({@link #FULL}, the simulator) or, for long real runs whose lists would not fit
 * one state transfer frame, its length and digest plus the per-origin table ({@link #DIGEST}); the checker then
 * compares the digest with the final history's prefix. The payload of every message starts with its key
 * ({@link Checker#key}, 8 bytes little-endian). One thread calls a given instance; the checker is shared.
 */
public final class SimApp implements MembershipListener, StateTransferHandler
{
    /** Snapshots carry every delivered entry. */
    public static final int FULL = 0;
    /** Snapshots carry the number of entries, their digest and the per-origin table. */
    public static final int DIGEST = 1;

    /** One delivered message: global sequence, view, message key, level (0 AGREED, 1 SAFE). */
    public static final class Entry
    {
        final long seq;
        final long viewId;
        final long key;
        final boolean safe;

        /**
         * @param seq    global sequence.
         * @param viewId view it was sequenced in.
         * @param key    message key ({@link Checker#key}).
         * @param safe   whether it was SAFE.
         */
        public Entry(final long seq, final long viewId, final long key, final boolean safe)
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

        /** @return the global sequence. */
        public long seq()
        {
            return seq;
        }

        /** @return the view id. */
        public long viewId()
        {
            return viewId;
        }

        /** @return the message key. */
        public long key()
        {
            return key;
        }

        /** @return whether SAFE. */
        public boolean safe()
        {
            return safe;
        }

        long digest(final long previous)
        {
            long h = previous ^ (seq * 0x9E3779B97F4A7C15L);
            h = Long.rotateLeft(h, 27) * 0xC2B2AE3D27D4EB4FL;
            h ^= viewId;
            h = Long.rotateLeft(h, 31) * 0x165667B19E3779F9L;
            h ^= key;
            return Long.rotateLeft(h, 29) * 0x9E3779B97F4A7C15L;
        }

        /** {@inheritDoc} */
        public String toString()
        {
            return seq + "@" + View.epoch(viewId) + "." + View.proposer(viewId) + ":" + Checker.describeKey(key) +
                (safe ? "/S" : "/A");
        }
    }

    /**
     * A run of deliveries on top of a base state: empty, a snapshot's entries ({@link #FULL}), or a snapshot's length
     * and digest ({@link #DIGEST}, then {@code base} is null).
     */
    static final class Segment
    {
        final List<Entry> base;
        final long baseSeq;
        final long baseDigest;
        final List<Entry> deliveries = new ArrayList<>();

        Segment(final List<Entry> base)
        {
            this.base = base;
            this.baseSeq = base.isEmpty() ? 0 : base.get(base.size() - 1).seq;
            long digest = 0;
            for (final Entry e : base)
            {
                digest = e.digest(digest);
            }
            this.baseDigest = digest;
        }

        Segment(final long baseSeq, final long baseDigest)
        {
            this.base = null;
            this.baseSeq = baseSeq;
            this.baseDigest = baseDigest;
        }
    }

    final int nodeId;
    final long incarnation;
    final Checker checker;
    final List<Segment> segments = new ArrayList<>();
    /** Delivered entries after {@link #baseSeq} (the whole history when the base is empty or a full snapshot). */
    List<Entry> state = new ArrayList<>();
    /** Sequence of the digest-only snapshot the state starts from, 0 if none. */
    long baseSeq;
    /** Digest of the entries up to {@link #baseSeq}. */
    long baseDigest;
    /** Digest of every entry delivered or installed. */
    long digest;
    final Map<Long, Long> lastOriginSeqs = new HashMap<>();
    boolean initialized;
    private final List<Entry> installDeliveries = new ArrayList<>();
    private final List<MembershipState> installDeliveryStates = new ArrayList<>();
    private int snapshotMode = FULL;
    private Supplier<MembershipState> stateSource;
    volatile boolean alive = true;
    boolean leftCleanly;
    private volatile long delivered;
    Membership membership;

    /**
     * @param nodeId      the node.
     * @param incarnation its incarnation.
     * @param founder     whether it starts with the (empty) state: a founding member bootstrapping.
     * @param checker     that judges the run.
     */
    public SimApp(final int nodeId, final long incarnation, final boolean founder, final Checker checker)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.checker = checker;
        this.initialized = founder;
        segments.add(new Segment(new ArrayList<>()));
    }

    /**
     * @param mode {@link #FULL} (default) or {@link #DIGEST}.
     * @return this.
     */
    public SimApp snapshotMode(final int mode)
    {
        this.snapshotMode = mode;
        return this;
    }

    /**
     * @param source the state of the node's state machine at the time of a delivery (for a real node, whose
     *               {@link Membership} is not at hand).
     * @return this.
     */
    public SimApp stateSource(final Supplier<MembershipState> source)
    {
        this.stateSource = source;
        return this;
    }

    /**
     * @param alive whether the process is alive at the end of the run (its submissions must then be delivered).
     */
    public void alive(final boolean alive)
    {
        this.alive = alive;
    }

    /** @return whether the process is considered alive. */
    public boolean alive()
    {
        return alive;
    }

    /** @return the node id. */
    public int nodeId()
    {
        return nodeId;
    }

    /** @return the incarnation. */
    public long incarnation()
    {
        return incarnation;
    }

    /** @return "node id/incarnation". */
    public String name()
    {
        return "node " + nodeId + "/" + incarnation;
    }

    /** @return the last global sequence delivered or installed. */
    public long lastSeq()
    {
        return state.isEmpty() ? baseSeq : state.get(state.size() - 1).seq;
    }

    /** @return messages delivered by this process (readable from any thread). */
    public long delivered()
    {
        return delivered;
    }

    /** @return whether the process holds a state (bootstrapped or installed a snapshot). */
    public boolean initialized()
    {
        return initialized;
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
        final long payloadKey = length < 8 ? -1 : buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        final MembershipState s = membership != null ? membership.state() :
            stateSource != null ? stateSource.get() : MembershipState.OPERATIONAL;
        record(viewId, globalSeq, originNode, originIncarnation, originSeq, level, payloadKey, s);
    }

    /**
     * Record a delivery (what {@link #onDeliver} does, for a delivery reported by another process).
     *
     * @param viewId            view of the delivery.
     * @param globalSeq         global sequence.
     * @param originNode        origin node.
     * @param originIncarnation origin incarnation.
     * @param originSeq         origin sequence.
     * @param level             delivery level.
     * @param payloadKey        the key the payload starts with.
     * @param s                 the state machine's state during the delivery.
     */
    public void record(
        final long viewId,
        final long globalSeq,
        final int originNode,
        final long originIncarnation,
        final long originSeq,
        final DeliveryLevel level,
        final long payloadKey,
        final MembershipState s)
    {
        final long key = Checker.key(originNode, originIncarnation, originSeq);
        if (payloadKey != key)
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
        digest = entry.digest(digest);
        segments.get(segments.size() - 1).deliveries.add(entry);
        delivered++;
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
    public void endOfEvent()
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
        return snapshotMode == DIGEST ? takeDigestSnapshot(asOfSeq, buffer, offset) :
            takeFullSnapshot(buffer, offset);
    }

    private int takeFullSnapshot(final MutableDirectBuffer buffer, final int offset)
    {
        if (baseSeq != 0)
        {
            checker.violation(name() + " cannot take a full snapshot on top of a digest snapshot");
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

    private int takeDigestSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
    {
        int pos = offset;
        buffer.putLong(pos, asOfSeq, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(pos + 8, digest, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(pos + 16, lastOriginSeqs.size(), ByteOrder.LITTLE_ENDIAN);
        pos += 20;
        for (final Map.Entry<Long, Long> e : lastOriginSeqs.entrySet())
        {
            buffer.putLong(pos, e.getKey(), ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(pos + 8, e.getValue(), ByteOrder.LITTLE_ENDIAN);
            pos += 16;
        }
        return pos - offset;
    }

    /** {@inheritDoc} */
    public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        if (snapshotMode == DIGEST)
        {
            installDigestSnapshot(asOfSeq, buffer, offset, length);
            return;
        }
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
        baseSeq = 0;
        baseDigest = 0;
        digest = 0;
        lastOriginSeqs.clear();
        for (final Entry e : list)
        {
            lastOriginSeqs.put(Checker.originKey(e.key), Checker.originSeq(e.key));
            digest = e.digest(digest);
        }
        initialized = true;
        segments.add(new Segment(list));
        checker.onSnapshot(this, asOfSeq);
    }

    private void installDigestSnapshot(
        final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        final long seq = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        final long snapshotDigest = buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN);
        final int origins = buffer.getInt(offset + 16, ByteOrder.LITTLE_ENDIAN);
        final Map<Long, Long> table = new HashMap<>();
        int pos = offset + 20;
        for (int i = 0; i < origins; i++)
        {
            table.put(buffer.getLong(pos, ByteOrder.LITTLE_ENDIAN), buffer.getLong(pos + 8, ByteOrder.LITTLE_ENDIAN));
            pos += 16;
        }
        if (pos - offset != length)
        {
            checker.violation(name() + " received a snapshot of " + length + " bytes, decoded " + (pos - offset));
        }
        if (seq != asOfSeq)
        {
            checker.violation(name() + " received a snapshot as of " + asOfSeq + " that ends at " + seq);
        }
        installDigest(asOfSeq, snapshotDigest, table);
    }

    /**
     * Install a digest snapshot (what {@link #installSnapshot} does in {@link #DIGEST} mode, for a snapshot reported
     * by another process).
     *
     * @param asOfSeq        last sequence the snapshot includes.
     * @param snapshotDigest digest of the entries up to it.
     * @param originTable    last origin sequence per origin key ({@link Checker#originKey}).
     */
    public void installDigest(final long asOfSeq, final long snapshotDigest, final Map<Long, Long> originTable)
    {
        state = new ArrayList<>();
        baseSeq = asOfSeq;
        baseDigest = snapshotDigest;
        digest = snapshotDigest;
        lastOriginSeqs.clear();
        lastOriginSeqs.putAll(originTable);
        initialized = true;
        segments.add(new Segment(asOfSeq, snapshotDigest));
        checker.onSnapshot(this, asOfSeq);
    }

    /** @return the last origin sequence delivered per origin key (a copy). */
    public Map<Long, Long> originTable()
    {
        return new HashMap<>(lastOriginSeqs);
    }

    /** @return the digest of every entry delivered or installed. */
    public long digest()
    {
        return digest;
    }
}
