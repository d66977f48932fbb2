package org.omnibus.persistence;

/**
 * An immutable picture of the journal's sequence index, published by the writer after every structural change
 * (a new run, a truncation, retention) and read by tailers in any thread.
 * <p>
 * A run is a stretch of consecutive Chronicle indices within one cycle that carry consecutive global sequences,
 * so {@code index = runStartIndex + (seq - runStartSeq)}. The last run is open: entries appended after this
 * snapshot extend it, and a reader bounds it by the journal's last sequence, which it must read before it
 * reads the snapshot.
 * <p>
 * Markers are the truncation markers in Chronicle index order; marker k supersedes the entries with index in
 * {@code [markerFrom[k], markerIndex[k])}. {@code suffixMinFrom[k]} is the least {@code markerFrom} of markers k
 * and later, so an entry at index i is superseded exactly when {@code suffixMinFrom[k] <= i} for the first
 * marker k with {@code markerIndex[k] > i}.
 */
final class IndexSnapshot
{
    static final IndexSnapshot EMPTY = new IndexSnapshot(new long[0], new long[0], new long[0], 0,
        new long[0], new long[0], 0);

    final long[] runStartSeq;
    final long[] runStartIndex;
    final long[] runCount;
    final int runs;
    final long[] markerIndex;
    final long[] markerFrom;
    final long[] suffixMinFrom;
    final int markers;

    IndexSnapshot(
        final long[] runStartSeq,
        final long[] runStartIndex,
        final long[] runCount,
        final int runs,
        final long[] markerIndex,
        final long[] markerFrom,
        final int markers)
    {
        this.runStartSeq = runStartSeq;
        this.runStartIndex = runStartIndex;
        this.runCount = runCount;
        this.runs = runs;
        this.markerIndex = markerIndex;
        this.markerFrom = markerFrom;
        this.markers = markers;
        this.suffixMinFrom = new long[markers];
        long min = Long.MAX_VALUE;
        for (int k = markers - 1; k >= 0; k--)
        {
            min = Math.min(min, markerFrom[k]);
            suffixMinFrom[k] = min;
        }
    }

    /**
     * @return the first sequence held, or {@link Journal#NULL_SEQUENCE}.
     */
    long firstSequence()
    {
        return runs == 0 ? Journal.NULL_SEQUENCE : runStartSeq[0];
    }

    /**
     * Find the run that holds a sequence.
     *
     * @param seq     to find.
     * @param lastSeq the journal's last sequence, read before this snapshot.
     * @return the run, or -1.
     */
    int runOf(final long seq, final long lastSeq)
    {
        if (runs == 0 || seq < runStartSeq[0] || seq > lastSeq)
        {
            return -1;
        }
        int lo = 0;
        int hi = runs - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi + 1) >>> 1;
            if (runStartSeq[mid] <= seq)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (lo < runs - 1 && seq >= runStartSeq[lo] + runCount[lo])
        {
            return -1;
        }
        return lo;
    }

    /**
     * @param seq     to find.
     * @param lastSeq the journal's last sequence, read before this snapshot.
     * @return the Chronicle index of the entry carrying seq, or -1 if the journal does not hold it.
     */
    long indexOf(final long seq, final long lastSeq)
    {
        final int run = runOf(seq, lastSeq);
        return run < 0 ? -1 : runStartIndex[run] + (seq - runStartSeq[run]);
    }

    /**
     * @param seq     a sequence.
     * @param lastSeq the journal's last sequence, read before this snapshot.
     * @return the least sequence held that is at least seq, or {@link Journal#NULL_SEQUENCE} if none.
     */
    long ceilingSequence(final long seq, final long lastSeq)
    {
        if (runs == 0 || seq > lastSeq)
        {
            return Journal.NULL_SEQUENCE;
        }
        if (seq <= runStartSeq[0])
        {
            return runStartSeq[0];
        }
        for (int run = 0; run < runs; run++)
        {
            final long end = run == runs - 1 ? lastSeq + 1 : runStartSeq[run] + runCount[run];
            if (seq < end)
            {
                return Math.max(seq, runStartSeq[run]);
            }
        }
        return Journal.NULL_SEQUENCE;
    }

    /**
     * @param index a Chronicle index.
     * @return the first marker whose own index is greater than index.
     */
    int markerAfter(final long index)
    {
        int lo = 0;
        int hi = markers;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (markerIndex[mid] <= index)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
