package org.omnibus.membership;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.sbe.membership.MessageHeaderDecoder;

/**
 * One state machine under test with everything it does recorded: frames sent (with destination), deliveries,
 * views, snapshots. Its replicated state is the list of delivered payloads (each a long).
 */
final class TestNode implements MembershipOutbound, MembershipListener, StateTransferHandler
{
    static final long SUSPICION_NS = 200_000_000L;
    static final long HEARTBEAT_NS = 20_000_000L;

    /** A frame sent: destination (-1 for everyone) and bytes. */
    static final class Frame
    {
        final int from;
        final int destination;
        final byte[] bytes;

        Frame(final int from, final int destination, final byte[] bytes)
        {
            this.from = from;
            this.destination = destination;
            this.bytes = bytes;
        }

        int templateId()
        {
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            header.wrap(new UnsafeBuffer(bytes), 0);
            return header.templateId();
        }

        UnsafeBuffer buffer()
        {
            return new UnsafeBuffer(bytes);
        }
    }

    /** A delivery: view, sequence, origin, origin sequence, level, payload value. */
    static final class Delivery
    {
        final long viewId;
        final long seq;
        final int origin;
        final long originSeq;
        final DeliveryLevel level;
        final long value;

        Delivery(final long viewId, final long seq, final int origin, final long originSeq, final DeliveryLevel level,
            final long value)
        {
            this.viewId = viewId;
            this.seq = seq;
            this.origin = origin;
            this.originSeq = originSeq;
            this.level = level;
            this.value = value;
        }
    }

    final int nodeId;
    final List<Frame> sent = new ArrayList<>();
    final List<Delivery> deliveries = new ArrayList<>();
    final List<View> views = new ArrayList<>();
    final List<Long> state = new ArrayList<>();
    int snapshotsInstalled;
    long incarnation;
    Membership membership;

    TestNode(final int nodeId)
    {
        this.nodeId = nodeId;
    }

    static MembershipContext context(final int nodeId, final long incarnation, final int... initialMembers)
    {
        return new MembershipContext()
            .nodeId(nodeId)
            .incarnation(incarnation)
            .bootstrap(incarnation == 1)
            .initialMembers(initialMembers)
            .clusterSecret("test-secret")
            .randomSeed(nodeId * 31L + incarnation)
            .heartbeatIntervalNs(HEARTBEAT_NS)
            .suspicionTimeoutNs(SUSPICION_NS)
            .flushTimeoutNs(SUSPICION_NS)
            .joinTimeoutNs(SUSPICION_NS)
            .joinDelayNs(HEARTBEAT_NS / 2)
            .retransmitIntervalNs(5_000_000L)
            .resubmitIntervalNs(50_000_000L)
            .ackIntervalNs(0)
            .stateRequestIntervalNs(50_000_000L);
    }

    TestNode start(final MembershipContext ctx, final long nowNs)
    {
        incarnation = ctx.incarnation();
        membership = new Membership(ctx.outbound(this).listener(this).stateTransferHandler(this));
        membership.start(nowNs);
        return this;
    }

    long submit(final DeliveryLevel level, final long value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        buffer.putLong(0, value, ByteOrder.LITTLE_ENDIAN);
        return membership.submit(level, buffer, 0, 8);
    }

    List<Frame> drain()
    {
        final List<Frame> frames = new ArrayList<>(sent);
        sent.clear();
        return frames;
    }

    List<Frame> sentOf(final int templateId)
    {
        final List<Frame> frames = new ArrayList<>();
        for (final Frame f : sent)
        {
            if (f.templateId() == templateId)
            {
                frames.add(f);
            }
        }
        return frames;
    }

    List<Long> deliveredValues()
    {
        final List<Long> values = new ArrayList<>();
        for (final Delivery d : deliveries)
        {
            values.add(d.value);
        }
        return values;
    }

    /** {@inheritDoc} */
    public void sendToAll(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        sent.add(new Frame(nodeId, -1, bytes));
    }

    /** {@inheritDoc} */
    public void sendTo(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        sent.add(new Frame(this.nodeId, nodeId, bytes));
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
        final long value = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        deliveries.add(new Delivery(viewId, globalSeq, originNode, originSeq, level, value));
        state.add(value);
    }

    /** {@inheritDoc} */
    public void onViewChange(final View view)
    {
        views.add(view);
    }

    /** {@inheritDoc} */
    public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putInt(offset, state.size(), ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < state.size(); i++)
        {
            buffer.putLong(offset + 4 + i * 8, state.get(i), ByteOrder.LITTLE_ENDIAN);
        }
        return 4 + state.size() * 8;
    }

    /** {@inheritDoc} */
    public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        state.clear();
        final int count = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++)
        {
            state.add(buffer.getLong(offset + 4 + i * 8, ByteOrder.LITTLE_ENDIAN));
        }
        snapshotsInstalled++;
    }
}
