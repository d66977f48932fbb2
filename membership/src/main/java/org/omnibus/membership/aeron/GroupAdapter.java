package org.omnibus.membership.aeron;

import java.nio.ByteOrder;

import io.aeron.Image;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.omnibus.codec.sbe.membership.MessageHeaderDecoder;
import org.omnibus.membership.Membership;
import org.omnibus.membership.View;
import org.omnibus.transport.ImageListener;
import org.omnibus.transport.Transport;
import org.omnibus.transport.TransportStream;

import static org.omnibus.membership.aeron.GroupCounters.Counter.FRAMES_FILTERED;
import static org.omnibus.membership.aeron.GroupCounters.Counter.PEER_UNREACHABLE_HINTS;

/**
 * The state machine's inbound side: every whole message of every stream (the transport reassembles fragments) goes
 * to {@link Membership#onFrame} with the duty cycle's time; this node's own multicast echoes are dropped first (the
 * sender's node id is in every frame's reserved value). Image loss of a member's latest publication is handed to
 * the state machine as a suspicion hint.
 */
final class GroupAdapter implements FragmentHandler, ImageListener
{
    private static final int UNKNOWN = -1;

    private final int nodeId;
    private final GroupCounters counters;
    private final FrameFilter filter;
    private final CatchUpFrameHandler catchUpHandler;
    private final Int2IntHashMap nodeBySession = new Int2IntHashMap(UNKNOWN);
    private final Long2LongHashMap latestSessionByNodeStream = new Long2LongHashMap(Long.MIN_VALUE);
    private Transport transport;
    private Membership membership;
    private long nowNs;
    private int lastSessionId;
    private int lastStreamId;
    private boolean haveLast;

    GroupAdapter(
        final int nodeId, final GroupCounters counters, final FrameFilter filter, final CatchUpFrameHandler catchUp)
    {
        this.nodeId = nodeId;
        this.counters = counters;
        this.filter = filter;
        this.catchUpHandler = catchUp;
    }

    void wire(final Transport transport, final Membership membership)
    {
        this.transport = transport;
        this.membership = membership;
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    /** {@inheritDoc} */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int from = (int)header.reservedValue();
        if (from == nodeId || membership == null)
        {
            return;
        }
        if (filter != null && !filter.accept(from))
        {
            counters.increment(FRAMES_FILTERED);
            return;
        }
        trackSession(from, header.sessionId(), header.streamId());
        if (catchUpHandler != null && isCatchUpFrame(buffer, offset, length))
        {
            catchUpHandler.onCatchUpFrame(from, buffer, offset, length);
            return;
        }
        membership.onFrame(buffer, offset, length, nowNs);
    }

    private static boolean isCatchUpFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return false;
        }
        final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int schemaId = buffer.getShort(offset + 4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return schemaId == MessageHeaderDecoder.SCHEMA_ID &&
            templateId >= CatchUpFrameHandler.FIRST_TEMPLATE_ID && templateId <= CatchUpFrameHandler.LAST_TEMPLATE_ID;
    }

    private void trackSession(final int from, final int sessionId, final int streamId)
    {
        if (haveLast && sessionId == lastSessionId && streamId == lastStreamId)
        {
            return;
        }
        haveLast = true;
        lastSessionId = sessionId;
        lastStreamId = streamId;
        if (nodeBySession.get(sessionId) != from)
        {
            nodeBySession.put(sessionId, from);
            latestSessionByNodeStream.put(nodeStreamKey(from, streamId), sessionId);
        }
    }

    private static long nodeStreamKey(final int node, final int streamId)
    {
        return ((long)node << 32) | (streamId & 0xFFFF_FFFFL);
    }

    /** {@inheritDoc} */
    public void onImageAvailable(final TransportStream stream, final Image image)
    {
    }

    /**
     * The image of a node's publication went away. If it is the latest publication seen from that node on that
     * stream (not the leftover of an earlier incarnation) and the node is a member of the installed view, the state
     * machine suspects it now rather than after the suspicion timeout.
     * <p>
     * {@inheritDoc}
     */
    public void onImageUnavailable(final TransportStream stream, final Image image)
    {
        final int sessionId = image.sessionId();
        if (transport != null && transport.isLocalSession(sessionId))
        {
            return;
        }
        final int node = nodeBySession.remove(sessionId);
        if (node == UNKNOWN)
        {
            return;
        }
        if (haveLast && lastSessionId == sessionId)
        {
            haveLast = false;
        }
        final int streamId = image.subscription().streamId();
        final long key = nodeStreamKey(node, streamId);
        if (latestSessionByNodeStream.get(key) != sessionId)
        {
            return;
        }
        latestSessionByNodeStream.remove(key);
        final View view = membership == null ? null : membership.view();
        if (view != null && view.indexOf(node) >= 0)
        {
            counters.increment(PEER_UNREACHABLE_HINTS);
            membership.onPeerUnreachable(node, nowNs);
        }
    }
}
