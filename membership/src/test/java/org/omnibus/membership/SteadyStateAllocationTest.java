package org.omnibus.membership;

import java.lang.management.ManagementFactory;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordering path allocates nothing once warm: three state machines exchange frames through pre-allocated queues
 * on one thread, and the thread's allocated bytes are compared before and after many thousands of messages.
 */
class SteadyStateAllocationTest
{
    private static final int NODES = 3;
    private static final int QUEUE_FRAMES = 1024;
    private static final int FRAME_CAPACITY = 8 * 1024 + 512;

    /** Pre-allocated frame queue per destination node. */
    private static final class Queue
    {
        final UnsafeBuffer[] frames = new UnsafeBuffer[QUEUE_FRAMES];
        final int[] lengths = new int[QUEUE_FRAMES];
        int head;
        int tail;

        Queue()
        {
            for (int i = 0; i < QUEUE_FRAMES; i++)
            {
                frames[i] = new UnsafeBuffer(new byte[FRAME_CAPACITY]);
            }
        }

        void offer(final DirectBuffer buffer, final int offset, final int length)
        {
            if (tail - head == QUEUE_FRAMES)
            {
                throw new IllegalStateException("queue full");
            }
            final int slot = tail++ & (QUEUE_FRAMES - 1);
            frames[slot].putBytes(0, buffer, offset, length);
            lengths[slot] = length;
        }
    }

    private final Queue[] queues = new Queue[NODES + 1];
    private final Membership[] nodes = new Membership[NODES + 1];
    private final long[] delivered = new long[NODES + 1];
    private long now;

    private final class Endpoint implements MembershipOutbound, MembershipListener, StateTransferHandler
    {
        final int nodeId;

        Endpoint(final int nodeId)
        {
            this.nodeId = nodeId;
        }

        public void sendToAll(final DirectBuffer buffer, final int offset, final int length)
        {
            for (int i = 1; i <= NODES; i++)
            {
                if (i != nodeId)
                {
                    queues[i].offer(buffer, offset, length);
                }
            }
        }

        public void sendTo(final int to, final DirectBuffer buffer, final int offset, final int length)
        {
            queues[to].offer(buffer, offset, length);
        }

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
            delivered[nodeId]++;
        }

        public void onViewChange(final View view)
        {
        }

        public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
        {
            return 0;
        }

        public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
        {
        }
    }

    @Test
    @Timeout(60)
    void orderingAllocatesNothingPerMessageOnceWarm()
    {
        for (int i = 1; i <= NODES; i++)
        {
            queues[i] = new Queue();
        }
        for (int i = 1; i <= NODES; i++)
        {
            final Endpoint endpoint = new Endpoint(i);
            nodes[i] = new Membership(TestNode.context(i, 1, 1, 2, 3)
                .heartbeatIntervalNs(50_000_000L)
                .suspicionTimeoutNs(10_000_000_000L)
                .flushTimeoutNs(10_000_000_000L)
                .joinTimeoutNs(100_000_000L)
                .ackIntervalNs(0)
                .maxBatchLength(8 * 1024)
                .outbound(endpoint).listener(endpoint).stateTransferHandler(endpoint));
            nodes[i].start(now);
        }
        for (int i = 0; i < 400; i++)
        {
            step(1_000_000L);
        }
        for (int i = 1; i <= NODES; i++)
        {
            assertThat(nodes[i].state()).isEqualTo(MembershipState.OPERATIONAL);
        }
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);

        run(payload, 10_000);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long deliveredBefore = delivered[1];
        final long before = threads.getThreadAllocatedBytes(thread);
        run(payload, 10_000);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(delivered[1] - deliveredBefore).isEqualTo(3 * 10_000);
        assertThat(delivered[2]).isEqualTo(delivered[1]);
        assertThat(delivered[3]).isEqualTo(delivered[1]);
        assertThat(allocated).as("bytes allocated for 30,000 ordered messages").isLessThan(1024);
    }

    private void run(final UnsafeBuffer payload, final int perNode)
    {
        for (int i = 0; i < perNode; i++)
        {
            for (int n = 1; n <= NODES; n++)
            {
                while (nodes[n].submit(i % 4 == 0 ? DeliveryLevel.SAFE : DeliveryLevel.AGREED, payload, 0, 100) < 0)
                {
                    step(100_000L);
                }
            }
            if (i % 8 == 0)
            {
                step(100_000L);
            }
        }
        for (int i = 0; i < 100; i++)
        {
            step(1_000_000L);
        }
    }

    private void step(final long advanceNs)
    {
        now += advanceNs;
        for (int n = 1; n <= NODES; n++)
        {
            nodes[n].doWork(now);
        }
        boolean moved = true;
        while (moved)
        {
            moved = false;
            for (int n = 1; n <= NODES; n++)
            {
                final Queue q = queues[n];
                while (q.head < q.tail)
                {
                    final int slot = q.head++ & (QUEUE_FRAMES - 1);
                    nodes[n].onFrame(q.frames[slot], 0, q.lengths[slot], now);
                    moved = true;
                }
                nodes[n].doWork(now);
            }
        }
    }
}
