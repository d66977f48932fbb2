package org.omnibus.node;

import org.agrona.DirectBuffer;
import org.omnibus.codec.FrameCheck;
import org.omnibus.codec.sbe.membership.CatchUpEntriesDecoder;
import org.omnibus.codec.sbe.membership.CatchUpRequestDecoder;
import org.omnibus.codec.sbe.membership.CatchUpStatusDecoder;
import org.omnibus.codec.sbe.membership.MessageHeaderDecoder;
import org.omnibus.membership.aeron.CatchUpFrameHandler;
import org.omnibus.persistence.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's journal catch-up: the {@link CatchUpServer} that replays this journal to peers and the
 * {@link CatchUpClient} that fills it from theirs, with the adapter that decodes their frames (membership schema,
 * templates 82-84, on the CATCH_UP stream). Driven by the node's agent: frames through {@link #onCatchUpFrame} (from
 * the group's poll) and {@link #doWork} once per duty cycle.
 */
final class JournalCatchUp implements CatchUpFrameHandler, AutoCloseable
{
    static final long REQUEST_TIMEOUT_NS = 2_000_000_000L;
    static final long RETRY_DELAY_NS = 20_000_000L;
    static final long SESSION_TIMEOUT_NS = 10_000_000_000L;
    static final int MAX_SESSIONS = 4;
    static final int ENTRIES_PER_CYCLE = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(JournalCatchUp.class);

    private final int nodeId;
    private final CatchUpServer server;
    private final CatchUpClient client;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CatchUpRequestDecoder requestDecoder = new CatchUpRequestDecoder();
    private final CatchUpEntriesDecoder entriesDecoder = new CatchUpEntriesDecoder();
    private final CatchUpStatusDecoder statusDecoder = new CatchUpStatusDecoder();
    private long nowNs;
    private long malformed;

    /**
     * @param journal        this node's journal (not null).
     * @param sender         sends a frame to a node.
     * @param replayStreamId the CATCH_UP stream's id, put in requests.
     */
    JournalCatchUp(final int nodeId, final Journal journal, final CatchUpSender sender, final int replayStreamId)
    {
        this(nodeId, journal, sender, replayStreamId, REQUEST_TIMEOUT_NS, RETRY_DELAY_NS);
    }

    JournalCatchUp(
        final int nodeId,
        final Journal journal,
        final CatchUpSender sender,
        final int replayStreamId,
        final long requestTimeoutNs,
        final long retryDelayNs)
    {
        this.nodeId = nodeId;
        this.server = new CatchUpServer(nodeId, journal, sender, MAX_SESSIONS, ENTRIES_PER_CYCLE, SESSION_TIMEOUT_NS);
        this.client = new CatchUpClient(nodeId, journal, sender, replayStreamId, requestTimeoutNs, retryDelayNs);
    }

    CatchUpClient client()
    {
        return client;
    }

    CatchUpServer server()
    {
        return server;
    }

    /**
     * One duty cycle: the client's requests and timers, the server's sessions.
     *
     * @param nowNs the cycle's time.
     * @return work done.
     */
    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        return client.doWork(nowNs) + server.doWork(nowNs);
    }

    /** {@inheritDoc} */
    public void onCatchUpFrame(final int fromNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (FrameCheck.check(buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, MessageHeaderDecoder.SCHEMA_VERSION)
            != FrameCheck.OK)
        {
            malformed++;
            return;
        }
        headerDecoder.wrap(buffer, offset);
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        try
        {
            switch (headerDecoder.templateId())
            {
                case CatchUpRequestDecoder.TEMPLATE_ID:
                    onRequest(requestDecoder.wrap(buffer, bodyOffset, blockLength, version));
                    break;
                case CatchUpEntriesDecoder.TEMPLATE_ID:
                    onEntries(entriesDecoder.wrap(buffer, bodyOffset, blockLength, version));
                    break;
                case CatchUpStatusDecoder.TEMPLATE_ID:
                    onStatus(statusDecoder.wrap(buffer, bodyOffset, blockLength, version));
                    break;
                default:
                    break;
            }
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            if (malformed++ == 0)
            {
                LOG.warn("malformed catch-up frame from node {}: {}", fromNodeId, ex.toString());
            }
        }
    }

    private void onRequest(final CatchUpRequestDecoder request)
    {
        if (request.targetNode() != nodeId)
        {
            return;
        }
        server.onRequest(request.nodeId(), request.requestId(), request.fromSeq(), request.toSeq(),
            request.checkFromSeq(), request.checkToSeq(), request.checkViewId(), nowNs);
    }

    private void onEntries(final CatchUpEntriesDecoder frame)
    {
        if (frame.targetNode() != nodeId)
        {
            return;
        }
        client.onEntriesOfRequest(frame.requestId());
        final DirectBuffer buffer = frame.buffer();
        for (final CatchUpEntriesDecoder.EntriesDecoder entry : frame.entries())
        {
            final long seq = entry.globalSeq();
            final long viewId = entry.viewId();
            final int originNode = entry.originNode();
            final long originSeq = entry.originSeq();
            final long timestampNs = entry.timestampNs();
            final int frameLength = entry.frameLength();
            final int frameOffset = frame.limit() + CatchUpEntriesDecoder.EntriesDecoder.frameHeaderLength();
            client.onEntry(seq, viewId, originNode, originSeq, timestampNs, buffer, frameOffset, frameLength, nowNs);
            entry.skipFrame();
        }
    }

    private void onStatus(final CatchUpStatusDecoder status)
    {
        if (status.targetNode() != nodeId)
        {
            return;
        }
        client.onStatus(status.nodeId(), status.requestId(), status.outcome(), status.nextSeq(), status.firstSeq(),
            status.lastSeq(), nowNs);
    }

    long malformedFrames()
    {
        return malformed;
    }

    /** {@inheritDoc} */
    public void close()
    {
        server.close();
        client.close();
    }
}
