package org.omnibus.membership;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * This node's own submissions, by origin sequence, from the oldest not yet known stable to the newest. Kept until
 * stable so that they can be submitted again after a view change that lost them. A ring of reusable buffers.
 */
final class Outbox
{
    private final int capacity;
    private final int mask;
    private final byte[] levels;
    private final int[] lengths;
    private final ExpandableArrayBuffer[] payloads;
    private long firstOriginSeq = 1;
    private long nextOriginSeq = 1;

    Outbox(final int capacity)
    {
        this.capacity = capacity;
        this.mask = capacity - 1;
        levels = new byte[capacity];
        lengths = new int[capacity];
        payloads = new ExpandableArrayBuffer[capacity];
    }

    boolean isFull()
    {
        return nextOriginSeq - firstOriginSeq >= capacity;
    }

    boolean isEmpty()
    {
        return nextOriginSeq == firstOriginSeq;
    }

    /** @return origin sequence of the oldest retained submission (== next when empty). */
    long firstOriginSeq()
    {
        return firstOriginSeq;
    }

    /** @return origin sequence the next submission gets. */
    long nextOriginSeq()
    {
        return nextOriginSeq;
    }

    long add(final byte level, final DirectBuffer buffer, final int offset, final int length)
    {
        final long originSeq = nextOriginSeq++;
        final int slot = (int)originSeq & mask;
        levels[slot] = level;
        lengths[slot] = length;
        ExpandableArrayBuffer payload = payloads[slot];
        if (payload == null)
        {
            payload = new ExpandableArrayBuffer(Math.max(64, length));
            payloads[slot] = payload;
        }
        payload.putBytes(0, buffer, offset, length);
        return originSeq;
    }

    boolean contains(final long originSeq)
    {
        return originSeq >= firstOriginSeq && originSeq < nextOriginSeq;
    }

    byte level(final long originSeq)
    {
        return levels[(int)originSeq & mask];
    }

    int length(final long originSeq)
    {
        return lengths[(int)originSeq & mask];
    }

    MutableDirectBuffer payload(final long originSeq)
    {
        return payloads[(int)originSeq & mask];
    }

    /**
     * Forget submissions up to and including originSeq.
     */
    void releaseUpTo(final long originSeq)
    {
        if (originSeq >= firstOriginSeq)
        {
            firstOriginSeq = Math.min(originSeq + 1, nextOriginSeq);
        }
    }
}
