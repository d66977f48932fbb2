package org.omnibus.membership;

/**
 * A view-change round run by this node as proposer: one Paxos ballot deciding the successor of the latest primary
 * view known to the participants. Phase PREPARE gathers a promise (FlushState) from every participant; phase ACCEPT
 * waits until a majority of the predecessor's members (and every such member of the new view, or the deadline)
 * hold the predecessor up to the chosen end and accepted. Allocated per round (control path).
 */
final class FlushRound
{
    static final int PREPARE = 0;
    static final int ACCEPT = 1;

    final long ballot;
    final int size;
    final int[] ids;
    final long[] incarnations;
    final boolean[] leaving;

    int phase = PREPARE;
    long deadlineNs;
    long lastSendNs;

    final boolean[] reported;
    final long[] lastPrimaryViewIds;
    final View[] lastPrimaryViews;
    final long[] receivedSeqs;
    final boolean[] hasState;
    final long[] acceptedBallots;
    final View[] acceptedValues;
    int reportedCount;

    View value;
    View predecessor;
    int sourceNode;
    final boolean[] acceptor;
    final boolean[] accepted;

    FlushRound(final long ballot, final int[] ids, final long[] incarnations, final boolean[] leaving)
    {
        this.ballot = ballot;
        this.size = ids.length;
        this.ids = ids;
        this.incarnations = incarnations;
        this.leaving = leaving;
        reported = new boolean[size];
        lastPrimaryViewIds = new long[size];
        lastPrimaryViews = new View[size];
        receivedSeqs = new long[size];
        hasState = new boolean[size];
        acceptedBallots = new long[size];
        acceptedValues = new View[size];
        acceptor = new boolean[size];
        accepted = new boolean[size];
    }

    int indexOf(final int nodeId, final long incarnation)
    {
        for (int i = 0; i < size; i++)
        {
            if (ids[i] == nodeId && incarnations[i] == incarnation)
            {
                return i;
            }
        }
        return -1;
    }

    boolean allReported()
    {
        return reportedCount == size;
    }

    void report(
        final int index,
        final long lastPrimaryViewId,
        final View lastPrimaryView,
        final long receivedSeq,
        final boolean hasState,
        final long acceptedBallot,
        final View acceptedValue)
    {
        if (!reported[index])
        {
            reported[index] = true;
            reportedCount++;
        }
        lastPrimaryViewIds[index] = lastPrimaryViewId;
        lastPrimaryViews[index] = lastPrimaryView;
        receivedSeqs[index] = receivedSeq;
        this.hasState[index] = hasState;
        acceptedBallots[index] = acceptedBallot;
        acceptedValues[index] = acceptedValue;
    }
}
