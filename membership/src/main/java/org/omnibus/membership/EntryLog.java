package org.omnibus.membership;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Sequenced entries a node holds, indexed by global sequence in a ring: from {@link #base()} (everything below is
 * released) to {@code base + capacity - 1}. Entries may arrive out of order; a slot is present when it holds exactly
 * the asked sequence. Payloads are copied into per-slot buffers that grow to the largest payload seen and are then
 * reused, so the steady state allocates nothing. The ring grows only when asked ({@link #ensureCapacityFor}), which
 * the state machine does during a flush.
 */
final class EntryLog
{
    private static final long EMPTY = Long.MIN_VALUE;

    private int capacity;
    private int mask;
    private long base;
    private long[] seqs;
    private long[] viewIds;
    private int[] originNodes;
    private long[] originIncarnations;
    private long[] originSeqs;
    private byte[] levels;
    private int[] lengths;
    private ExpandableArrayBuffer[] payloads;

    EntryLog(final int capacity)
    {
        allocate(capacity);
        base = 1;
    }

    private void allocate(final int capacity)
    {
        this.capacity = capacity;
        this.mask = capacity - 1;
        seqs = new long[capacity];
        java.util.Arrays.fill(seqs, EMPTY);
        viewIds = new long[capacity];
        originNodes = new int[capacity];
        originIncarnations = new long[capacity];
        originSeqs = new long[capacity];
        levels = new byte[capacity];
        lengths = new int[capacity];
        payloads = new ExpandableArrayBuffer[capacity];
    }

    long base()
    {
        return base;
    }

    int capacity()
    {
        return capacity;
    }

    boolean fits(final long seq)
    {
        return seq >= base && seq - base < capacity;
    }

    boolean isPresent(final long seq)
    {
        return fits(seq) && seqs[(int)seq & mask] == seq;
    }

    /**
     * Store an entry unless it is outside the ring or already present.
     *
     * @return true when stored.
     */
    boolean put(
        final long seq,
        final long viewId,
        final int originNode,
        final long originIncarnation,
        final long originSeq,
        final byte level,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (!fits(seq))
        {
            return false;
        }
        final int slot = (int)seq & mask;
        if (seqs[slot] == seq)
        {
            return false;
        }
        seqs[slot] = seq;
        viewIds[slot] = viewId;
        originNodes[slot] = originNode;
        originIncarnations[slot] = originIncarnation;
        originSeqs[slot] = originSeq;
        levels[slot] = level;
        lengths[slot] = payloadLength;
        ExpandableArrayBuffer buffer = payloads[slot];
        if (buffer == null)
        {
            buffer = new ExpandableArrayBuffer(Math.max(64, payloadLength));
            payloads[slot] = buffer;
        }
        buffer.putBytes(0, payload, payloadOffset, payloadLength);
        return true;
    }

    long viewId(final long seq)
    {
        return viewIds[(int)seq & mask];
    }

    int originNode(final long seq)
    {
        return originNodes[(int)seq & mask];
    }

    long originIncarnation(final long seq)
    {
        return originIncarnations[(int)seq & mask];
    }

    long originSeq(final long seq)
    {
        return originSeqs[(int)seq & mask];
    }

    byte level(final long seq)
    {
        return levels[(int)seq & mask];
    }

    int payloadLength(final long seq)
    {
        return lengths[(int)seq & mask];
    }

    MutableDirectBuffer payload(final long seq)
    {
        return payloads[(int)seq & mask];
    }

    /**
     * Release every entry up to and including seq; base becomes seq + 1 (never decreases).
     */
    void releaseUpTo(final long seq)
    {
        final long limit = Math.min(seq, base + capacity - 1);
        while (base <= limit)
        {
            final int slot = (int)base & mask;
            if (seqs[slot] == base)
            {
                seqs[slot] = EMPTY;
            }
            base++;
        }
        if (base <= seq)
        {
            base = seq + 1;
        }
    }

    /**
     * Drop every entry after seq.
     */
    void truncateAfter(final long seq)
    {
        for (int slot = 0; slot < capacity; slot++)
        {
            if (seqs[slot] != EMPTY && seqs[slot] > seq)
            {
                seqs[slot] = EMPTY;
            }
        }
    }

    /**
     * Drop everything and start again at newBase.
     */
    void reset(final long newBase)
    {
        java.util.Arrays.fill(seqs, EMPTY);
        base = newBase;
    }

    /**
     * Grow the ring (keeping entries) so that seq fits.
     */
    void ensureCapacityFor(final long seq)
    {
        if (seq < base + capacity)
        {
            return;
        }
        int newCapacity = capacity;
        while (seq >= base + newCapacity)
        {
            newCapacity <<= 1;
        }
        final long[] oldSeqs = seqs;
        final long[] oldViewIds = viewIds;
        final int[] oldOriginNodes = originNodes;
        final long[] oldOriginIncarnations = originIncarnations;
        final long[] oldOriginSeqs = originSeqs;
        final byte[] oldLevels = levels;
        final int[] oldLengths = lengths;
        final ExpandableArrayBuffer[] oldPayloads = payloads;
        allocate(newCapacity);
        for (int i = 0; i < oldSeqs.length; i++)
        {
            final long s = oldSeqs[i];
            if (s != EMPTY)
            {
                final int slot = (int)s & mask;
                seqs[slot] = s;
                viewIds[slot] = oldViewIds[i];
                originNodes[slot] = oldOriginNodes[i];
                originIncarnations[slot] = oldOriginIncarnations[i];
                originSeqs[slot] = oldOriginSeqs[i];
                levels[slot] = oldLevels[i];
                lengths[slot] = oldLengths[i];
                payloads[slot] = oldPayloads[i];
            }
        }
    }
}
