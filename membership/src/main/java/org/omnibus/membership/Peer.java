package org.omnibus.membership;

/**
 * What a node knows about another node (the latest incarnation it has heard of): liveness, whether it is
 * authenticated (a verified join request, or membership of an installed view), and what it last said about itself.
 */
final class Peer
{
    static final long NEVER = Long.MIN_VALUE / 4;

    final int nodeId;
    long incarnation;
    long lastHeardNs = NEVER;
    boolean authenticated;
    /** Its last frame was a heartbeat of a primary view (else a join request: it is outside any primary). */
    boolean inPrimary;
    long viewId = View.NONE;
    long lastPrimaryViewId = View.NONE;
    long lastJoinRequestNs = NEVER;
    long joinFirstSeenNs = NEVER;
    boolean leaving;
    long lastInstallSentNs = NEVER;
    long lastStateSentNs = NEVER;

    Peer(final int nodeId, final long incarnation)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
    }

    void reset(final long newIncarnation)
    {
        incarnation = newIncarnation;
        lastHeardNs = NEVER;
        authenticated = false;
        inPrimary = false;
        viewId = View.NONE;
        lastPrimaryViewId = View.NONE;
        lastJoinRequestNs = NEVER;
        joinFirstSeenNs = NEVER;
        leaving = false;
        lastInstallSentNs = NEVER;
        lastStateSentNs = NEVER;
    }
}
