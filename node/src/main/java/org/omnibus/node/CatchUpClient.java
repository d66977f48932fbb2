package org.omnibus.node;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.omnibus.codec.sbe.membership.CatchUpOutcome;
import org.omnibus.codec.sbe.membership.CatchUpRequestEncoder;
import org.omnibus.codec.sbe.membership.MessageHeaderEncoder;
import org.omnibus.persistence.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills this node's journal from a peer's after a state transfer: from the journal's next sequence up to the live
 * stream's. While it runs, live deliveries go to the edge at once but are not journaled; the client fetches them
 * too, and the journal switches to live appends at the first delivery whose sequence is the journal's next one
 * ({@link #tryFinishAt}). So the journal gets every sequence once, in order, and nothing is buffered in memory.
 * <p>
 * Protocol: {@code CatchUpRequest(from, to, check)} to one peer of the primary view; the peer answers with
 * {@code CatchUpEntries} frames and ends with a {@code CatchUpStatus}. Entries are appended only if they carry the
 * journal's next sequence and are below the live stream's next one (duplicates and stale answers are ignored).
 * DONE with the range not yet covered (the live stream moved on, or the peer's journal ended) asks again;
 * DIVERGED truncates this journal where the peer says it differs; NOT_HELD and UNAVAILABLE try the next peer, and
 * when every peer was tried without progress the journal skips to the first sequence a peer still holds (a restart
 * marker, logged), or, if none holds anything, to the live stream. No answer within the request timeout tries the
 * next peer. Owner (agent) thread only.
 */
final class CatchUpClient implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpClient.class);
    private static final int[] NO_PEERS = new int[0];

    private final int nodeId;
    private final Journal journal;
    private final CatchUpSender sender;
    private final int replayStreamId;
    private final long requestTimeoutNs;
    private final long retryDelayNs;
    private final JournalProbe probe;
    private final CatchUpRequestEncoder requestEncoder = new CatchUpRequestEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ExpandableDirectByteBuffer requestBuffer = new ExpandableDirectByteBuffer(256);

    private int[] peers = NO_PEERS;
    private int peerIndex;
    private boolean active;
    private boolean verified;
    private long viewId;
    /** Next sequence to append when the journal is fresh (it then accepts any). */
    private long freshNext = 1;
    private long liveNext;
    private long requestId;
    private boolean awaiting;
    private long requestSentNs;
    private long nextRequestNs;
    private long progressAtRequest;
    private int failedPeers;
    private long leastHeld = Long.MAX_VALUE;
    private long checkFromSeq = Journal.NULL_SEQUENCE;
    private long checkToSeq = Journal.NULL_SEQUENCE;
    private long checkViewId = Journal.NULL_SEQUENCE;
    private long appended;
    private long ignored;
    private long startedNs;
    private long startedAtSeq;
    private long lastNowNs;

    CatchUpClient(
        final int nodeId,
        final Journal journal,
        final CatchUpSender sender,
        final int replayStreamId,
        final long requestTimeoutNs,
        final long retryDelayNs)
    {
        this.nodeId = nodeId;
        this.journal = journal;
        this.sender = sender;
        this.replayStreamId = replayStreamId;
        this.requestTimeoutNs = requestTimeoutNs;
        this.retryDelayNs = retryDelayNs;
        this.probe = new JournalProbe(journal);
    }

    /**
     * Start (or restart) catching up after a state transfer.
     *
     * @param liveNextSeq the sequence of the next live delivery.
     * @param viewId      the primary view (for markers).
     * @param peers       members to fetch from (this node excluded).
     * @param nowNs       now.
     */
    void begin(final long liveNextSeq, final long viewId, final int[] peers, final long nowNs)
    {
        this.liveNext = liveNextSeq;
        this.viewId = viewId;
        this.lastNowNs = nowNs;
        peers(peers);
        if (!active)
        {
            startedNs = nowNs;
            startedAtSeq = nextSequence();
            appended = 0;
        }
        active = true;
        awaiting = false;
        nextRequestNs = nowNs;
        failedPeers = 0;
        leastHeld = Long.MAX_VALUE;
        computeCheck();
        LOG.info("catching up the journal: it continues at {}, the live stream at {}; {} to check against a peer",
            journal.nextSequence(), liveNextSeq,
            checkFromSeq == Journal.NULL_SEQUENCE ? "no entries" : "entries " + checkFromSeq + ".." + checkToSeq);
    }

    /**
     * @param peers members to fetch from (this node excluded); taken when the view changes.
     */
    void peers(final int[] peers)
    {
        this.peers = peers.clone();
        if (peerIndex >= this.peers.length)
        {
            peerIndex = 0;
        }
    }

    boolean isActive()
    {
        return active;
    }

    /**
     * A live delivery: if the journal's next sequence is this one (and the journal was checked), catch-up is over
     * and the caller appends it; otherwise the caller does not journal it (catch-up will fetch it).
     *
     * @param seq the delivered sequence.
     * @return true if the caller must append this delivery (catch-up is over or was not running).
     */
    boolean tryFinishAt(final long seq)
    {
        if (!active)
        {
            return true;
        }
        if (verified && nextSequence() == seq)
        {
            finish("the live stream reached");
            return true;
        }
        liveNext = seq + 1;
        return false;
    }

    int doWork(final long nowNs)
    {
        if (!active)
        {
            return 0;
        }
        lastNowNs = nowNs;
        if (verified && nextSequence() >= liveNext)
        {
            finish("caught up");
            return 1;
        }
        if (awaiting && nowNs - requestSentNs > requestTimeoutNs)
        {
            LOG.info("catch-up: no answer from node {} within {} ms", currentPeer(), requestTimeoutNs / 1_000_000);
            awaiting = false;
            nextPeer(nowNs, Journal.NULL_SEQUENCE, false);
        }
        if (!awaiting && nowNs >= nextRequestNs)
        {
            return sendRequest(nowNs);
        }
        return 0;
    }

    private int sendRequest(final long nowNs)
    {
        if (peers.length == 0)
        {
            giveUp("no peer to fetch from");
            return 1;
        }
        final int peer = currentPeer();
        requestId++;
        requestEncoder.wrapAndApplyHeader(requestBuffer, 0, headerEncoder)
            .nodeId(nodeId)
            .fromSeq(nextSequence())
            .toSeq(liveNext)
            .replayStreamId(replayStreamId)
            .targetNode(peer)
            .requestId(requestId)
            .checkFromSeq(verified ? Journal.NULL_SEQUENCE : checkFromSeq)
            .checkToSeq(verified ? Journal.NULL_SEQUENCE : checkToSeq)
            .checkViewId(verified ? Journal.NULL_SEQUENCE : checkViewId);
        final long result = sender.send(
            peer, requestBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + requestEncoder.encodedLength());
        if (result < 0)
        {
            nextRequestNs = nowNs + retryDelayNs;
            nextPeer(nowNs, Journal.NULL_SEQUENCE, false);
            return 0;
        }
        awaiting = true;
        requestSentNs = nowNs;
        progressAtRequest = appended;
        return 1;
    }

    /**
     * One entry of a CatchUpEntries frame from any peer.
     */
    void onEntry(
        final long seq,
        final long entryViewId,
        final int originNode,
        final long originSeq,
        final long timestampNs,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        if (!active || !verified || seq != nextSequence() || seq >= liveNext)
        {
            ignored++;
            return;
        }
        final long result = journal.append(seq, entryViewId, originNode, originSeq, timestampNs, buffer, offset,
            length);
        if (result < 0)
        {
            LOG.error("catch-up: the journal refused sequence {} (code {})", seq, result);
            ignored++;
            return;
        }
        freshNext = seq + 1;
        appended++;
        requestSentNs = nowNs; // progress: the request is alive
    }

    /**
     * A CatchUpEntries frame of the current request arrived (its entries were offered to {@link #onEntry}): the peer
     * ran the check, so this journal agrees with it.
     */
    void onEntriesOfRequest(final long answerRequestId)
    {
        if (active && answerRequestId == requestId)
        {
            verified = true;
        }
    }

    /**
     * The CatchUpStatus ending an answer.
     */
    void onStatus(
        final int from,
        final long answerRequestId,
        final CatchUpOutcome outcome,
        final long nextSeq,
        final long peerFirst,
        final long peerLast,
        final long nowNs)
    {
        if (!active || answerRequestId != requestId || !awaiting)
        {
            return;
        }
        awaiting = false;
        switch (outcome)
        {
            case DONE:
                verified = true;
                if (appended > progressAtRequest)
                {
                    failedPeers = 0;
                    leastHeld = Long.MAX_VALUE;
                    nextRequestNs = nowNs; // more to fetch: ask again at once
                }
                else
                {
                    // the peer has nothing beyond what this journal holds yet (it lags, or its journal is off)
                    nextRequestNs = nowNs + retryDelayNs;
                    nextPeer(nowNs, Journal.NULL_SEQUENCE, false);
                }
                break;
            case DIVERGED:
                LOG.warn("catch-up: node {} says this journal's entries from {} (view {}) are not the cluster's: " +
                    "truncating them", from, nextSeq, checkViewId);
                journal.truncateFrom(nextSeq, viewId);
                freshNext = nextSeq;
                computeCheck();
                nextRequestNs = nowNs;
                break;
            case NOT_HELD:
                verified = true;
                nextPeer(nowNs, nextSeq, true);
                break;
            case UNAVAILABLE:
            default:
                nextPeer(nowNs, Journal.NULL_SEQUENCE, true);
                break;
        }
        if (active && verified && nextSequence() >= liveNext)
        {
            finish("caught up");
        }
    }

    private void nextPeer(final long nowNs, final long held, final boolean failed)
    {
        if (failed)
        {
            failedPeers++;
            if (held > 0)
            {
                leastHeld = Math.min(leastHeld, held);
            }
        }
        peerIndex = peers.length == 0 ? 0 : (peerIndex + 1) % peers.length;
        if (failed && failedPeers >= peers.length)
        {
            failedPeers = 0;
            final long next = nextSequence();
            if (leastHeld != Long.MAX_VALUE && leastHeld > next && leastHeld < liveNext)
            {
                skipTo(leastHeld, "no peer's journal holds " + next + ".." + (leastHeld - 1) + " any more");
                leastHeld = Long.MAX_VALUE;
                nextRequestNs = nowNs;
            }
            else
            {
                giveUp("no peer's journal can serve " + next + ".." + (liveNext - 1));
            }
        }
        else if (failed)
        {
            nextRequestNs = nowNs;
        }
    }

    private void skipTo(final long seq, final String why)
    {
        if (journal.lastSequence() == Journal.NULL_SEQUENCE)
        {
            LOG.warn("catch-up: {}: this journal starts at {}", why, seq);
        }
        else
        {
            LOG.warn("catch-up: {}: the journal skips to {} (a restart marker)", why, seq);
            journal.restartAt(seq, viewId);
        }
        freshNext = seq;
        verified = true;
    }

    private void giveUp(final String why)
    {
        if (nextSequence() < liveNext)
        {
            skipTo(liveNext, why);
        }
        finish("gave up");
    }

    private void finish(final String how)
    {
        active = false;
        awaiting = false;
        LOG.info("catch-up {}: {} entries appended ({} .. {}), the journal follows the live stream from {} ({} ms)",
            how, appended, startedAtSeq, nextSequence() - 1, nextSequence(),
            (lastNowNs - startedNs) / 1_000_000);
    }

    private int currentPeer()
    {
        return peers[peerIndex];
    }

    /** @return the sequence the journal takes next. */
    long nextSequence()
    {
        final long next = journal.nextSequence();
        return next == Journal.NULL_SEQUENCE ? freshNext : next;
    }

    long appended()
    {
        return appended;
    }

    long ignored()
    {
        return ignored;
    }

    private void computeCheck()
    {
        final long last = journal.lastSequence();
        if (last == Journal.NULL_SEQUENCE)
        {
            checkFromSeq = checkToSeq = checkViewId = Journal.NULL_SEQUENCE;
            verified = true;
            return;
        }
        checkViewId = probe.viewAt(last);
        checkToSeq = last;
        checkFromSeq = checkViewId == Journal.NULL_SEQUENCE ? Journal.NULL_SEQUENCE :
            probe.firstSequenceOfViewOrLater(checkViewId);
        verified = checkFromSeq == Journal.NULL_SEQUENCE;
    }

    /** {@inheritDoc} */
    public void close()
    {
        probe.close();
    }
}
