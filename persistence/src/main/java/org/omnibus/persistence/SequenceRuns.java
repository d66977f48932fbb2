package org.omnibus.persistence;

import java.util.Arrays;

/**
 * The writer's mutable sequence index (see {@link IndexSnapshot}): runs of consecutive sequences at
 * consecutive Chronicle indices, and truncation markers. Arrays grow on the control path only (a new run
 * starts on a roll or after a marker); appending within a run touches one counter.
 */
final class SequenceRuns
{
    private long[] runStartSeq = new long[16];
    private long[] runStartIndex = new long[16];
    private long[] runCount = new long[16];
    private int runs;
    private long[] markerIndex = new long[4];
    private long[] markerFrom = new long[4];
    private int markers;

    /**
     * Record a message entry.
     *
     * @param seq      its global sequence.
     * @param index    its Chronicle index.
     * @param newRun   whether it must start a new run even if it looks contiguous.
     * @return true if a new run was started (the caller publishes a new snapshot).
     */
    boolean add(final long seq, final long index, final boolean newRun)
    {
        if (!newRun && runs > 0)
        {
            final int last = runs - 1;
            final long count = runCount[last];
            if (runStartIndex[last] + count == index && runStartSeq[last] + count == seq)
            {
                runCount[last] = count + 1;
                return false;
            }
        }
        if (runs == runStartSeq.length)
        {
            final int length = runs * 2;
            runStartSeq = Arrays.copyOf(runStartSeq, length);
            runStartIndex = Arrays.copyOf(runStartIndex, length);
            runCount = Arrays.copyOf(runCount, length);
        }
        runStartSeq[runs] = seq;
        runStartIndex[runs] = index;
        runCount[runs] = 1;
        runs++;
        return true;
    }

    /**
     * Record a truncation marker: the entries at indices from {@code supersedesFrom} up to the marker's own
     * index stop being part of the journal.
     *
     * @param index          the marker's Chronicle index.
     * @param supersedesFrom first index superseded, or {@link Long#MAX_VALUE} for none.
     */
    void addMarker(final long index, final long supersedesFrom)
    {
        cutFrom(supersedesFrom);
        if (markers == markerIndex.length)
        {
            markerIndex = Arrays.copyOf(markerIndex, markers * 2);
            markerFrom = Arrays.copyOf(markerFrom, markers * 2);
        }
        markerIndex[markers] = index;
        markerFrom[markers] = supersedesFrom;
        markers++;
    }

    /**
     * Drop every entry at or after a Chronicle index.
     *
     * @param index first index dropped.
     */
    void cutFrom(final long index)
    {
        while (runs > 0 && runStartIndex[runs - 1] >= index)
        {
            runs--;
        }
        if (runs > 0)
        {
            final int last = runs - 1;
            if (runStartIndex[last] + runCount[last] > index)
            {
                runCount[last] = index - runStartIndex[last];
            }
        }
    }

    /**
     * Forget runs and markers before a Chronicle index (their cycle files were deleted).
     *
     * @param firstIndexKept first index still on disk.
     */
    void dropBefore(final long firstIndexKept)
    {
        int firstRun = 0;
        while (firstRun < runs && runStartIndex[firstRun] + runCount[firstRun] <= firstIndexKept)
        {
            firstRun++;
        }
        if (firstRun < runs && runStartIndex[firstRun] < firstIndexKept)
        {
            final long skip = firstIndexKept - runStartIndex[firstRun];
            runStartIndex[firstRun] += skip;
            runStartSeq[firstRun] += skip;
            runCount[firstRun] -= skip;
        }
        if (firstRun > 0)
        {
            System.arraycopy(runStartSeq, firstRun, runStartSeq, 0, runs - firstRun);
            System.arraycopy(runStartIndex, firstRun, runStartIndex, 0, runs - firstRun);
            System.arraycopy(runCount, firstRun, runCount, 0, runs - firstRun);
            runs -= firstRun;
        }
        int firstMarker = 0;
        while (firstMarker < markers && markerIndex[firstMarker] < firstIndexKept)
        {
            firstMarker++;
        }
        if (firstMarker > 0)
        {
            System.arraycopy(markerIndex, firstMarker, markerIndex, 0, markers - firstMarker);
            System.arraycopy(markerFrom, firstMarker, markerFrom, 0, markers - firstMarker);
            markers -= firstMarker;
        }
    }

    /**
     * @return the last sequence held, or {@link Journal#NULL_SEQUENCE}.
     */
    long lastSequence()
    {
        return runs == 0 ? Journal.NULL_SEQUENCE : runStartSeq[runs - 1] + runCount[runs - 1] - 1;
    }

    /**
     * @return the Chronicle index of the last entry held, or -1.
     */
    long lastIndex()
    {
        return runs == 0 ? -1 : runStartIndex[runs - 1] + runCount[runs - 1] - 1;
    }

    /**
     * @return the first sequence held, or {@link Journal#NULL_SEQUENCE}.
     */
    long firstSequence()
    {
        return runs == 0 ? Journal.NULL_SEQUENCE : runStartSeq[0];
    }

    /**
     * @return the number of entries held.
     */
    long entryCount()
    {
        long count = 0;
        for (int i = 0; i < runs; i++)
        {
            count += runCount[i];
        }
        return count;
    }

    /**
     * @param seq a sequence held.
     * @return its Chronicle index, or -1.
     */
    long indexOf(final long seq)
    {
        for (int i = runs - 1; i >= 0; i--)
        {
            if (seq >= runStartSeq[i] && seq < runStartSeq[i] + runCount[i])
            {
                return runStartIndex[i] + (seq - runStartSeq[i]);
            }
        }
        return -1;
    }

    /**
     * @return the number of runs.
     */
    int runCount()
    {
        return runs;
    }

    /**
     * @return an immutable copy for readers.
     */
    IndexSnapshot snapshot()
    {
        return new IndexSnapshot(
            Arrays.copyOf(runStartSeq, runs),
            Arrays.copyOf(runStartIndex, runs),
            Arrays.copyOf(runCount, runs),
            runs,
            Arrays.copyOf(markerIndex, markers),
            Arrays.copyOf(markerFrom, markers),
            markers);
    }
}
