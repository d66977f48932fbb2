package org.omnibus.test;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.View;
import org.omnibus.membership.aeron.Group;
import org.omnibus.membership.sim.Checker;
import org.omnibus.membership.sim.SimApp;
import org.omnibus.transport.TransportLossGenerator;

/**
 * One node of a {@link TestCluster}: its {@link Group}, the {@link SimApp} that records what it delivers, and a
 * submit helper whose payloads carry the message key the checker expects.
 */
public final class TestClusterNode
{
    private final TestCluster cluster;
    private final int nodeId;
    private final TransportLossGenerator lossGenerator;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64 * 1024]);
    final Relay relay = new Relay();
    private volatile Group group;
    private volatile SimApp app;
    private volatile boolean up = true;
    private volatile long ownDelivered;
    private volatile long lastDeliveryNs;
    private long submitted;

    /** Passes the group's callbacks to the recording app (created once the incarnation is known). */
    final class Relay implements MembershipListener, StateTransferHandler
    {
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
            app.onDeliver(viewId, globalSeq, originNode, originIncarnation, originSeq, level, buffer, offset, length);
            if (originNode == nodeId && originIncarnation == app.incarnation())
            {
                ownDelivered = originSeq;
            }
            lastDeliveryNs = System.nanoTime();
        }

        /** {@inheritDoc} */
        public void onViewChange(final View view)
        {
            app.onViewChange(view);
        }

        /** {@inheritDoc} */
        public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
        {
            return app.takeSnapshot(asOfSeq, buffer, offset);
        }

        /** {@inheritDoc} */
        public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
        {
            app.installSnapshot(asOfSeq, buffer, offset, length);
            final Long own = app.originTable().get(((long)nodeId << 32) | app.incarnation());
            ownDelivered = own == null ? 0 : own;
        }
    }

    TestClusterNode(final TestCluster cluster, final int nodeId, final TransportLossGenerator lossGenerator)
    {
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.lossGenerator = lossGenerator;
    }

    void app(final SimApp app)
    {
        this.app = app;
    }

    void group(final Group group)
    {
        this.group = group;
    }

    /** @return the node id. */
    public int nodeId()
    {
        return nodeId;
    }

    /** @return the group. */
    public Group group()
    {
        return group;
    }

    /** @return the recording upper layer of the current incarnation. */
    public SimApp app()
    {
        return app;
    }

    /** @return whether the node runs (not crashed). */
    public boolean isUp()
    {
        return up;
    }

    /** @return the loss generator of the node's driver, or null. */
    public TransportLossGenerator lossGenerator()
    {
        return lossGenerator;
    }

    /** @return frames dropped by the node's loss generator. */
    public long droppedFrames()
    {
        return lossGenerator == null ? 0 : lossGenerator.droppedFrames();
    }

    /** @return messages this incarnation submitted (accepted). */
    public long submitted()
    {
        return submitted;
    }

    /** @return the highest own origin sequence delivered by this incarnation. */
    public long ownDelivered()
    {
        return ownDelivered;
    }

    /** @return when the last message was delivered ({@link System#nanoTime()}), 0 if none. */
    public long lastDeliveryNs()
    {
        return lastDeliveryNs;
    }

    /** @return whether every accepted submission of this incarnation was delivered here. */
    public boolean allOwnDelivered()
    {
        return ownDelivered == submitted;
    }

    /**
     * Submit a message whose payload starts with its key; on acceptance the checker learns it. Call from one thread
     * per node.
     *
     * @param level  delivery level.
     * @param length payload length, 8 .. 64 KiB.
     * @return the group's return code ({@link Group#ACCEPTED}, {@link Group#BACK_PRESSURED}, ...).
     */
    public int submit(final DeliveryLevel level, final int length)
    {
        final long key = Checker.key(nodeId, app.incarnation(), submitted + 1);
        TestCluster.fillPayload(payload, key, length);
        final int result = group.submit(level, payload, 0, length);
        if (result == Group.ACCEPTED)
        {
            submitted++;
            cluster.checker().onSubmitted(app, key, level == DeliveryLevel.SAFE);
        }
        return result;
    }

    void crash()
    {
        if (!up)
        {
            return;
        }
        up = false;
        app.alive(false);
        group.close();
    }

    /** {@inheritDoc} */
    public String toString()
    {
        final Group g = group;
        final SimApp a = app;
        if (g == null || a == null)
        {
            return "node " + nodeId + " (not started)";
        }
        final MembershipState state = g.state();
        return "node " + nodeId + "/" + g.incarnation() + (up ? "" : " DOWN") + " " + state + " view=" + g.view() +
            " lastSeq=" + a.lastSeq() + " submitted=" + submitted + " ownDelivered=" + ownDelivered + " " +
            g.counters();
    }
}
