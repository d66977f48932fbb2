package org.omnibus.membership.aeron;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.omnibus.codec.sbe.membership.MessageHeaderDecoder;
import org.omnibus.codec.sbe.membership.SequencedBatchDecoder;
import org.omnibus.codec.sbe.membership.SubmitBatchDecoder;
import org.omnibus.membership.MembershipOutbound;
import org.omnibus.transport.Transport;
import org.omnibus.transport.TransportStream;

import static org.omnibus.membership.aeron.GroupCounters.Counter.SENDS_DEFERRED;
import static org.omnibus.membership.aeron.GroupCounters.Counter.SENDS_DROPPED;
import static org.omnibus.membership.aeron.GroupCounters.Counter.SENDS_DROPPED_PENDING_FULL;
import static org.omnibus.membership.aeron.GroupCounters.Counter.SENDS_REDIRECTED;

/**
 * The state machine's outbound side: maps {@link MembershipOutbound} onto transport offers.
 * <p>
 * <b>Streams.</b> A frame goes to the stream of its template id's band: {@code SubmitBatch} to SUBMIT,
 * {@code SequencedBatch} to ORDERED, state transfer and catch-up (80-99) to CATCH_UP, everything else (heartbeats,
 * joins, views, acks, retransmission requests, flush) to CONTROL, so control traffic never waits behind a
 * back-pressured ordered stream. {@code sendToAll} is one offer to the group publication (multicast or MDC; a fan-out
 * in unicast mode); {@code sendTo} is an offer to the node's direct (unicast) publication, or, when that node has no
 * known endpoint, a send to all (the state machine ignores frames not meant for it; counted as redirected).
 * <p>
 * <b>Back-pressure without loss, without spinning.</b> The transport retries a back-pressured offer a few times with
 * a short back-off. If it still fails, the frame is copied into a queue for that destination and stream and retried
 * at the next duty cycles, before any newer frame for the same publication (so per-publication order is kept and a
 * back-pressured publication costs one failed offer per duty cycle). A queue to all holds at most the pending send
 * limit, a queue to one node at most 1 MiB (direct traffic is mostly answers to retransmission requests, which the
 * requester repeats: a long backlog of them only delays the fresh ones); beyond it, and for frames that cannot be
 * sent at all (not connected, closed, unknown node), the frame is dropped and counted: the protocol is
 * fire-and-forget and retransmits what matters.
 */
final class GroupPublisher implements MembershipOutbound
{
    private static final int ALL = 0;
    private static final int CATCH_UP_BAND_START = 80;
    private static final int QUEUE_INITIAL_CAPACITY = 64 * 1024;
    private static final int RETRY_FRAMES_PER_QUEUE = 256;
    private static final int MAX_DIRECT_QUEUE_CAPACITY = 1024 * 1024;

    private final Transport transport;
    private final GroupCounters counters;
    private final int nodeId;
    private final int maxQueueCapacity;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PendingQueue[] groupQueues = new PendingQueue[TransportStream.COUNT];
    private final Int2ObjectHashMap<PendingQueue[]> directQueues = new Int2ObjectHashMap<>();
    private PendingQueue[] nonEmpty = new PendingQueue[8];
    private int nonEmptyCount;

    /** Frames held back for one destination (0 = all) and stream. */
    private final class PendingQueue implements ExpandableRingBuffer.MessageConsumer
    {
        final int destination;
        final TransportStream stream;
        final ExpandableRingBuffer frames;
        boolean listed;
        boolean blocked;

        PendingQueue(final int destination, final TransportStream stream)
        {
            this.destination = destination;
            this.stream = stream;
            final int capacity = destination == ALL ? maxQueueCapacity :
                Math.min(maxQueueCapacity, MAX_DIRECT_QUEUE_CAPACITY);
            this.frames = new ExpandableRingBuffer(Math.min(QUEUE_INITIAL_CAPACITY, capacity), capacity, false);
        }

        public boolean onMessage(
            final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
        {
            if (blocked)
            {
                return false;
            }
            final long result = offer(destination, stream, buffer, offset, length);
            if (result > 0)
            {
                return true;
            }
            if (isRetryable(result))
            {
                blocked = true;
                return false;
            }
            counters.increment(SENDS_DROPPED);
            return true;
        }
    }

    GroupPublisher(final Transport transport, final GroupCounters counters, final int nodeId, final int pendingLimit)
    {
        this.transport = transport;
        this.counters = counters;
        this.nodeId = nodeId;
        this.maxQueueCapacity = pendingLimit <= 0 ? 0 :
            BitUtil.findNextPositivePowerOfTwo(Math.max(pendingLimit, QUEUE_INITIAL_CAPACITY));
    }

    /** {@inheritDoc} */
    public void sendToAll(final DirectBuffer buffer, final int offset, final int length)
    {
        send(ALL, streamOf(buffer, offset), buffer, offset, length);
    }

    /** {@inheritDoc} */
    public void sendTo(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (nodeId == this.nodeId)
        {
            return;
        }
        send(nodeId, streamOf(buffer, offset), buffer, offset, length);
    }

    /**
     * Retry the frames held back, oldest first, until a publication pushes back again.
     *
     * @return the number of queues that made progress.
     */
    int retryPending()
    {
        int work = 0;
        int i = 0;
        while (i < nonEmptyCount)
        {
            final PendingQueue queue = nonEmpty[i];
            queue.blocked = false;
            if (queue.frames.consume(queue, RETRY_FRAMES_PER_QUEUE) > 0)
            {
                work++;
            }
            if (queue.frames.isEmpty())
            {
                queue.listed = false;
                nonEmpty[i] = nonEmpty[--nonEmptyCount];
                nonEmpty[nonEmptyCount] = null;
            }
            else
            {
                i++;
            }
        }
        return work;
    }

    /** @return bytes held back in every queue. */
    long pendingBytes()
    {
        long bytes = 0;
        for (int i = 0; i < nonEmptyCount; i++)
        {
            bytes += nonEmpty[i].frames.size();
        }
        return bytes;
    }

    /**
     * Forget the frames held back for a node that is gone.
     *
     * @param nodeId the node.
     */
    void forget(final int nodeId)
    {
        final PendingQueue[] queues = directQueues.remove(nodeId);
        if (queues == null)
        {
            return;
        }
        for (final PendingQueue queue : queues)
        {
            if (queue != null && queue.listed)
            {
                for (int i = 0; i < nonEmptyCount; i++)
                {
                    if (nonEmpty[i] == queue)
                    {
                        nonEmpty[i] = nonEmpty[--nonEmptyCount];
                        nonEmpty[nonEmptyCount] = null;
                        break;
                    }
                }
            }
        }
    }

    private void send(
        final int destination,
        final TransportStream stream,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final PendingQueue existing = queue(destination, stream, false);
        if (existing != null && existing.listed)
        {
            hold(existing, buffer, offset, length);
            return;
        }
        final long result = offer(destination, stream, buffer, offset, length);
        if (result > 0)
        {
            return;
        }
        if (isRetryable(result))
        {
            hold(queue(destination, stream, true), buffer, offset, length);
        }
        else
        {
            counters.increment(SENDS_DROPPED);
        }
    }

    private long offer(
        final int destination,
        final TransportStream stream,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (destination == ALL)
        {
            return transport.offer(stream, buffer, offset, length);
        }
        final long result = transport.offer(destination, stream, buffer, offset, length);
        if (result == Transport.UNKNOWN_NODE)
        {
            counters.increment(SENDS_REDIRECTED);
            return transport.offer(stream, buffer, offset, length);
        }
        return result;
    }

    private static boolean isRetryable(final long result)
    {
        return result == Transport.BACK_PRESSURED || result == Transport.ADMIN_ACTION;
    }

    private void hold(final PendingQueue queue, final DirectBuffer buffer, final int offset, final int length)
    {
        if (queue == null || !queue.frames.append(buffer, offset, length))
        {
            counters.increment(SENDS_DROPPED_PENDING_FULL);
            return;
        }
        counters.increment(SENDS_DEFERRED);
        if (!queue.listed)
        {
            queue.listed = true;
            if (nonEmptyCount == nonEmpty.length)
            {
                nonEmpty = java.util.Arrays.copyOf(nonEmpty, nonEmptyCount * 2);
            }
            nonEmpty[nonEmptyCount++] = queue;
        }
    }

    private PendingQueue queue(final int destination, final TransportStream stream, final boolean create)
    {
        final int index = stream.ordinal();
        if (destination == ALL)
        {
            PendingQueue queue = groupQueues[index];
            if (queue == null && create && maxQueueCapacity > 0)
            {
                queue = new PendingQueue(ALL, stream);
                groupQueues[index] = queue;
            }
            return queue;
        }
        PendingQueue[] queues = directQueues.get(destination);
        if (queues == null)
        {
            if (!create || maxQueueCapacity == 0)
            {
                return null;
            }
            queues = new PendingQueue[TransportStream.COUNT];
            directQueues.put(destination, queues);
        }
        PendingQueue queue = queues[index];
        if (queue == null && create && maxQueueCapacity > 0)
        {
            queue = new PendingQueue(destination, stream);
            queues[index] = queue;
        }
        return queue;
    }

    /**
     * @param buffer holding a frame of the membership schema.
     * @param offset of its message header.
     * @return the stream of the frame's template id band.
     */
    TransportStream streamOf(final DirectBuffer buffer, final int offset)
    {
        final int templateId = headerDecoder.wrap(buffer, offset).templateId();
        if (templateId == SequencedBatchDecoder.TEMPLATE_ID)
        {
            return TransportStream.ORDERED;
        }
        if (templateId == SubmitBatchDecoder.TEMPLATE_ID)
        {
            return TransportStream.SUBMIT;
        }
        if (templateId >= CATCH_UP_BAND_START)
        {
            return TransportStream.CATCH_UP;
        }
        return TransportStream.CONTROL;
    }
}
