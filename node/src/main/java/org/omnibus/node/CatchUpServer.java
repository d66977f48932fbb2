package org.omnibus.node;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.omnibus.codec.sbe.membership.CatchUpEntriesEncoder;
import org.omnibus.codec.sbe.membership.CatchUpOutcome;
import org.omnibus.codec.sbe.membership.CatchUpStatusEncoder;
import org.omnibus.codec.sbe.membership.MessageHeaderEncoder;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalCorruptionException;
import org.omnibus.persistence.JournalHandler;
import org.omnibus.persistence.JournalTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers catch-up requests from this node's journal: one session per requesting node, each with its own
 * {@link JournalTailer}, read in bounded batches from the node's duty cycle ({@link #doWork}) and sent as
 * {@code CatchUpEntries} frames, then a {@code CatchUpStatus}. A frame the transport refuses (back-pressure) stays
 * pending and is offered again at the next cycle: the requester's receive window paces the replay, and the agent
 * never waits. Owner (agent) thread only.
 */
final class CatchUpServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpServer.class);
    /** Frames are sent once they pass this many bytes (one entry may take a frame past it). */
    static final int FRAME_SOFT_LIMIT = 64 * 1024;
    /** Most entries in one frame. */
    static final int MAX_ENTRIES_PER_FRAME = 1024;

    private final int nodeId;
    private final Journal journal;
    private final CatchUpSender sender;
    private final int maxSessions;
    private final int entriesPerCycle;
    private final long sessionTimeoutNs;
    private final List<Session> sessions = new ArrayList<>();
    private final CatchUpStatusEncoder statusEncoder = new CatchUpStatusEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ExpandableDirectByteBuffer statusBuffer = new ExpandableDirectByteBuffer(128);
    private final JournalProbe probe;
    private long entriesSent;
    private long requestsServed;

    CatchUpServer(
        final int nodeId,
        final Journal journal,
        final CatchUpSender sender,
        final int maxSessions,
        final int entriesPerCycle,
        final long sessionTimeoutNs)
    {
        this.nodeId = nodeId;
        this.journal = journal;
        this.sender = sender;
        this.maxSessions = maxSessions;
        this.entriesPerCycle = entriesPerCycle;
        this.sessionTimeoutNs = sessionTimeoutNs;
        this.probe = journal == null ? null : new JournalProbe(journal);
    }

    /**
     * A CatchUpRequest addressed to this node.
     */
    void onRequest(
        final int requester,
        final long requestId,
        final long fromSeq,
        final long toSeq,
        final long checkFromSeq,
        final long checkToSeq,
        final long checkViewId,
        final long nowNs)
    {
        for (int i = 0; i < sessions.size(); i++)
        {
            if (sessions.get(i).requester == requester)
            {
                sessions.remove(i).close(); // a newer request replaces the older one
                break;
            }
        }
        if (journal == null || sessions.size() >= maxSessions)
        {
            sendStatus(requester, requestId, CatchUpOutcome.UNAVAILABLE, Journal.NULL_SEQUENCE);
            return;
        }
        final long last = journal.lastSequence();
        try
        {
            final long diverged = probe.divergenceFrom(checkFromSeq, checkToSeq, checkViewId);
            if (diverged != Journal.NULL_SEQUENCE)
            {
                LOG.info("node {}: entries from {} (view {}) differ from this journal", requester, diverged,
                    checkViewId);
                sendStatus(requester, requestId, CatchUpOutcome.DIVERGED, diverged);
                return;
            }
        }
        catch (final JournalCorruptionException ex)
        {
            LOG.error("catch-up for node {}: {}", requester, ex.getMessage());
            sendStatus(requester, requestId, CatchUpOutcome.UNAVAILABLE, Journal.NULL_SEQUENCE);
            return;
        }
        if (toSeq <= fromSeq || last == Journal.NULL_SEQUENCE || fromSeq > last)
        {
            sendStatus(requester, requestId, CatchUpOutcome.DONE, fromSeq);
            return;
        }
        final long held = journal.ceilingSequence(fromSeq);
        if (held != fromSeq)
        {
            sendStatus(requester, requestId, CatchUpOutcome.NOT_HELD, held);
            return;
        }
        final Session session = new Session(requester, requestId, fromSeq, toSeq, nowNs);
        if (!session.tailer.seekToSequence(fromSeq))
        {
            session.close();
            sendStatus(requester, requestId, CatchUpOutcome.NOT_HELD, journal.ceilingSequence(fromSeq));
            return;
        }
        requestsServed++;
        LOG.debug("replaying {} .. {} to node {} (request {})", fromSeq, toSeq - 1, requester, requestId);
        sessions.add(session);
    }

    /**
     * Read and send a bounded batch for each session.
     *
     * @return work done.
     */
    int doWork(final long nowNs)
    {
        int work = 0;
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final Session session = sessions.get(i);
            try
            {
                work += session.doWork(nowNs);
            }
            catch (final JournalCorruptionException ex)
            {
                LOG.error("catch-up for node {} stopped: {}", session.requester, ex.getMessage());
                session.finish(CatchUpOutcome.UNAVAILABLE, Journal.NULL_SEQUENCE);
                session.doWork(nowNs);
            }
            if (session.isDone() || nowNs - session.lastSendNs > sessionTimeoutNs)
            {
                sessions.remove(i).close();
            }
        }
        return work;
    }

    int activeSessions()
    {
        return sessions.size();
    }

    long entriesSent()
    {
        return entriesSent;
    }

    long requestsServed()
    {
        return requestsServed;
    }

    private void sendStatus(final int requester, final long requestId, final CatchUpOutcome outcome, final long next)
    {
        final int length = encodeStatus(statusBuffer, requester, requestId, outcome, next);
        sender.send(requester, statusBuffer, 0, length); // lost: the requester asks again after its timeout
    }

    private int encodeStatus(
        final ExpandableDirectByteBuffer buffer,
        final int requester,
        final long requestId,
        final CatchUpOutcome outcome,
        final long next)
    {
        statusEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .targetNode(requester)
            .requestId(requestId)
            .outcome(outcome)
            .nextSeq(next)
            .firstSeq(journal == null ? Journal.NULL_SEQUENCE : journal.firstSequence())
            .lastSeq(journal == null ? Journal.NULL_SEQUENCE : journal.lastSequence());
        return MessageHeaderEncoder.ENCODED_LENGTH + statusEncoder.encodedLength();
    }

    /** {@inheritDoc} */
    public void close()
    {
        sessions.forEach(Session::close);
        sessions.clear();
        if (probe != null)
        {
            probe.close();
        }
    }

    /** One requester's replay. */
    private final class Session implements JournalHandler
    {
        final int requester;
        final long requestId;
        final long toSeq;
        final JournalTailer tailer;
        final ExpandableDirectByteBuffer frame = new ExpandableDirectByteBuffer(FRAME_SOFT_LIMIT + 4096);
        final CatchUpEntriesEncoder encoder = new CatchUpEntriesEncoder();
        CatchUpEntriesEncoder.EntriesEncoder entries;
        int entryCount;
        int pendingLength;
        long nextSeq;
        long lastSendNs;
        boolean hole;
        boolean finished;
        boolean done;

        Session(final int requester, final long requestId, final long fromSeq, final long toSeq, final long nowNs)
        {
            this.requester = requester;
            this.requestId = requestId;
            this.nextSeq = fromSeq;
            this.toSeq = toSeq;
            this.lastSendNs = nowNs;
            this.tailer = journal.tailer();
        }

        boolean isDone()
        {
            return done;
        }

        int doWork(final long nowNs)
        {
            int work = 0;
            int budget = entriesPerCycle;
            while (!done)
            {
                if (pendingLength > 0)
                {
                    if (sender.send(requester, frame, 0, pendingLength) < 0)
                    {
                        return work; // back-pressured or not connected: again next cycle
                    }
                    lastSendNs = nowNs;
                    pendingLength = 0;
                    work++;
                    if (finished)
                    {
                        done = true;
                        return work;
                    }
                }
                if (budget <= 0)
                {
                    return work;
                }
                if (hole || nextSeq >= toSeq || nextSeq > journal.lastSequence())
                {
                    // all asked for, a hole in this journal, or its end: the requester asks again from nextSeq
                    finish(CatchUpOutcome.DONE, nextSeq);
                    continue;
                }
                final int read = fill(budget);
                budget -= Math.max(read, 1);
                if (entryCount > 0)
                {
                    pendingLength = closeFrame();
                }
                else if (read == 0)
                {
                    return work;
                }
            }
            return work;
        }

        private int fill(final int budget)
        {
            encoder.wrapAndApplyHeader(frame, 0, headerEncoder)
                .nodeId(nodeId)
                .targetNode(requester)
                .requestId(requestId);
            entries = encoder.entriesCount(MAX_ENTRIES_PER_FRAME);
            entryCount = 0;
            int read = 0;
            while (read < budget && entryCount < MAX_ENTRIES_PER_FRAME && nextSeq < toSeq && !hole &&
                encoder.limit() < FRAME_SOFT_LIMIT)
            {
                final int polled = tailer.poll(this, 1);
                if (polled == 0)
                {
                    break;
                }
                read += polled;
            }
            return read;
        }

        private int closeFrame()
        {
            entries.resetCountToIndex();
            entriesSent += entryCount;
            entryCount = 0;
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }

        void finish(final CatchUpOutcome outcome, final long next)
        {
            finished = true;
            pendingLength = encodeStatus(frame, requester, requestId, outcome, next);
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
            if (globalSeq != nextSeq)
            {
                hole = true; // this journal skips nextSeq (a restart marker): end the replay there
                return;
            }
            entries.next()
                .globalSeq(globalSeq)
                .viewId(viewId)
                .originNode(originNode)
                .originSeq(originSeq)
                .timestampNs(timestampNs)
                .putFrame(buffer, offset, length);
            entryCount++;
            nextSeq = globalSeq + 1;
        }

        void close()
        {
            tailer.close();
        }
    }
}
