package org.omnibus.membership;

/**
 * Counts of what a {@link Membership} state machine did. Plain fields written by the driving thread; the glue copies
 * them to Aeron counters when it wants them visible to other processes.
 */
public final class MembershipCounters
{
    long framesReceived;
    long framesMalformed;
    long framesForeign;
    long framesStale;
    long framesSent;
    long joinRefusedBadAuthentication;
    long joinRefusedStaleIncarnation;
    long viewsInstalled;
    long nonPrimaryViewsInstalled;
    long roundsStarted;
    long roundsRejected;
    long delivered;
    long submitted;
    long submitRejected;
    long submitBackPressured;
    long sequenced;
    long sequencerBackPressured;
    long retransmitRequestsSent;
    long retransmitRequestsServed;
    long resubmissions;
    long stateTransfersSent;
    long stateTransfersInstalled;
    long stateTransfersDeferred;
    long exclusions;

    /** @return frames handed to {@link Membership#onFrame}. */
    public long framesReceived()
    {
        return framesReceived;
    }

    /** @return frames dropped because they could not be decoded. */
    public long framesMalformed()
    {
        return framesMalformed;
    }

    /** @return frames dropped because they belong to another schema or a newer schema version. */
    public long framesForeign()
    {
        return framesForeign;
    }

    /** @return frames ignored because they belong to an older view, round or incarnation. */
    public long framesStale()
    {
        return framesStale;
    }

    /** @return frames sent. */
    public long framesSent()
    {
        return framesSent;
    }

    /** @return join requests refused because their tag did not verify. */
    public long joinRefusedBadAuthentication()
    {
        return joinRefusedBadAuthentication;
    }

    /** @return join requests refused because a newer incarnation of the node is known. */
    public long joinRefusedStaleIncarnation()
    {
        return joinRefusedStaleIncarnation;
    }

    /** @return primary views installed. */
    public long viewsInstalled()
    {
        return viewsInstalled;
    }

    /** @return non-primary views installed. */
    public long nonPrimaryViewsInstalled()
    {
        return nonPrimaryViewsInstalled;
    }

    /** @return view-change rounds this node started as proposer. */
    public long roundsStarted()
    {
        return roundsStarted;
    }

    /** @return rounds of this node refused by a participant that promised a higher ballot. */
    public long roundsRejected()
    {
        return roundsRejected;
    }

    /** @return messages delivered. */
    public long delivered()
    {
        return delivered;
    }

    /** @return messages accepted by {@link Membership#submit}. */
    public long submitted()
    {
        return submitted;
    }

    /** @return submissions refused (not primary, too large, closed). */
    public long submitRejected()
    {
        return submitRejected;
    }

    /** @return submissions refused because the outbox was full. */
    public long submitBackPressured()
    {
        return submitBackPressured;
    }

    /** @return entries stamped by this node as sequencer. */
    public long sequenced()
    {
        return sequenced;
    }

    /** @return times the sequencer left submissions unstamped because its window was full. */
    public long sequencerBackPressured()
    {
        return sequencerBackPressured;
    }

    /** @return retransmission requests sent. */
    public long retransmitRequestsSent()
    {
        return retransmitRequestsSent;
    }

    /** @return retransmission requests answered. */
    public long retransmitRequestsServed()
    {
        return retransmitRequestsServed;
    }

    /** @return times unordered submissions were sent again. */
    public long resubmissions()
    {
        return resubmissions;
    }

    /** @return state snapshots sent. */
    public long stateTransfersSent()
    {
        return stateTransfersSent;
    }

    /** @return state snapshots installed. */
    public long stateTransfersInstalled()
    {
        return stateTransfersInstalled;
    }

    /** @return state snapshots that arrived before this node held the messages they cover, and waited for them. */
    public long stateTransfersDeferred()
    {
        return stateTransfersDeferred;
    }

    /** @return times this node learned it was excluded from the primary view. */
    public long exclusions()
    {
        return exclusions;
    }
}
