package org.omnibus.node;

import org.agrona.DirectBuffer;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalHandler;
import org.omnibus.persistence.JournalTailer;

/**
 * Looks up the view ids of single journal entries, and the view boundaries catch-up uses to find a divergent tail.
 * View ids never decrease along a journal's sequences (the views of one primary chain), so the searches are binary
 * searches: O(log n) seeks and one entry read each. Control path (a catch-up request, not per message); the owner's
 * thread.
 */
final class JournalProbe implements JournalHandler, AutoCloseable
{
    private final Journal journal;
    private JournalTailer tailer;
    private long viewId;

    JournalProbe(final Journal journal)
    {
        this.journal = journal;
    }

    /**
     * @param seq a sequence.
     * @return the view id of the entry carrying seq, or {@link Journal#NULL_SEQUENCE} if the journal does not hold it.
     */
    long viewAt(final long seq)
    {
        if (seq < 0 || journal.ceilingSequence(seq) != seq)
        {
            return Journal.NULL_SEQUENCE;
        }
        if (tailer == null)
        {
            tailer = journal.tailer();
        }
        if (!tailer.seekToSequence(seq))
        {
            return Journal.NULL_SEQUENCE;
        }
        viewId = Journal.NULL_SEQUENCE;
        tailer.poll(this, 1);
        return viewId;
    }

    /**
     * @param viewId a view id.
     * @return the first sequence held whose entry carries viewId or a later view, or {@link Journal#NULL_SEQUENCE}.
     */
    long firstSequenceOfViewOrLater(final long viewId)
    {
        long lo = journal.firstSequence();
        final long last = journal.lastSequence();
        if (lo == Journal.NULL_SEQUENCE || last == Journal.NULL_SEQUENCE)
        {
            return Journal.NULL_SEQUENCE;
        }
        long hi = last + 1;
        while (lo < hi)
        {
            final long mid = lo + ((hi - lo) >>> 1);
            final long held = journal.ceilingSequence(mid);
            if (held == Journal.NULL_SEQUENCE || held >= hi || viewAt(held) >= viewId)
            {
                hi = mid;
            }
            else
            {
                lo = held + 1;
            }
        }
        return lo > last ? Journal.NULL_SEQUENCE : journal.ceilingSequence(lo);
    }

    /**
     * Where a requester's last entries, {@code fromSeq .. toSeq} all of view {@code viewId}, stop agreeing with this
     * journal. This journal holds the cluster's history (its owner is a live member of the primary view); the
     * requester's entries before fromSeq are of earlier views, which agree (the membership layer delivers at most one
     * divergent tail, of one view, before a state transfer).
     *
     * @return the first sequence from which the requester must drop its entries, or {@link Journal#NULL_SEQUENCE}
     * if they agree with this journal as far as it holds them.
     */
    long divergenceFrom(final long fromSeq, final long toSeq, final long viewId)
    {
        final long last = journal.lastSequence();
        if (fromSeq < 0 || toSeq < fromSeq || last == Journal.NULL_SEQUENCE || fromSeq > last)
        {
            return Journal.NULL_SEQUENCE;
        }
        final long first = viewAt(fromSeq);
        if (first == Journal.NULL_SEQUENCE)
        {
            return Journal.NULL_SEQUENCE; // not held (retention, a hole): nothing to compare with
        }
        if (first != viewId)
        {
            return fromSeq;
        }
        final long end = Math.min(toSeq, last);
        if (viewAt(end) == viewId)
        {
            return Journal.NULL_SEQUENCE;
        }
        long lo = fromSeq; // agrees
        long hi = end;     // does not (or not held)
        while (hi - lo > 1)
        {
            final long mid = lo + ((hi - lo) >>> 1);
            if (viewAt(mid) == viewId)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return hi;
    }

    /** {@inheritDoc} */
    public void onMessage(
        final long globalSeq,
        final long viewId,
        final int originNode,
        final long originSeq,
        final long timestampNs,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        this.viewId = viewId;
    }

    /** {@inheritDoc} */
    public void close()
    {
        if (tailer != null)
        {
            tailer.close();
            tailer = null;
        }
    }
}
