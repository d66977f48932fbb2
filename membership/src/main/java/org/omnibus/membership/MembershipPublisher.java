package org.omnibus.membership;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.omnibus.codec.sbe.membership.AckEncoder;
import org.omnibus.codec.sbe.membership.BooleanType;
import org.omnibus.codec.sbe.membership.DeliveryLevel;
import org.omnibus.codec.sbe.membership.FlushAcceptEncoder;
import org.omnibus.codec.sbe.membership.FlushAcceptedEncoder;
import org.omnibus.codec.sbe.membership.FlushRejectEncoder;
import org.omnibus.codec.sbe.membership.FlushRequestEncoder;
import org.omnibus.codec.sbe.membership.FlushStateEncoder;
import org.omnibus.codec.sbe.membership.HeartbeatEncoder;
import org.omnibus.codec.sbe.membership.JoinRefusal;
import org.omnibus.codec.sbe.membership.JoinRefusedEncoder;
import org.omnibus.codec.sbe.membership.JoinRequestEncoder;
import org.omnibus.codec.sbe.membership.LeaveEncoder;
import org.omnibus.codec.sbe.membership.MessageHeaderEncoder;
import org.omnibus.codec.sbe.membership.NodeStatus;
import org.omnibus.codec.sbe.membership.RetransmitRequestEncoder;
import org.omnibus.codec.sbe.membership.SequencedBatchEncoder;
import org.omnibus.codec.sbe.membership.StateRequestEncoder;
import org.omnibus.codec.sbe.membership.StateTransferEncoder;
import org.omnibus.codec.sbe.membership.SubmitBatchEncoder;
import org.omnibus.codec.sbe.membership.ViewInstallEncoder;

/**
 * Encodes every frame a {@link Membership} sends, in place in one send buffer with one pre-allocated encoder per
 * message type, and hands it to the {@link MembershipOutbound}. The generated codecs do not leak past this class and
 * the state machine's handlers (which decode). A destination below 0 means everyone.
 */
final class MembershipPublisher
{
    static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int MAX_GROUP_COUNT = 65534;

    private final int nodeId;
    private final long incarnation;
    private final MembershipOutbound outbound;
    private final MembershipCounters counters;
    private final JoinAuthenticator authenticator;
    private final ExpandableArrayBuffer buffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final JoinRequestEncoder joinRequestEncoder = new JoinRequestEncoder();
    private final JoinRefusedEncoder joinRefusedEncoder = new JoinRefusedEncoder();
    private final ViewInstallEncoder viewInstallEncoder = new ViewInstallEncoder();
    private final LeaveEncoder leaveEncoder = new LeaveEncoder();
    private final SubmitBatchEncoder submitBatchEncoder = new SubmitBatchEncoder();
    private final SequencedBatchEncoder sequencedBatchEncoder = new SequencedBatchEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final RetransmitRequestEncoder retransmitRequestEncoder = new RetransmitRequestEncoder();
    private final FlushRequestEncoder flushRequestEncoder = new FlushRequestEncoder();
    private final FlushStateEncoder flushStateEncoder = new FlushStateEncoder();
    private final FlushRejectEncoder flushRejectEncoder = new FlushRejectEncoder();
    private final FlushAcceptEncoder flushAcceptEncoder = new FlushAcceptEncoder();
    private final FlushAcceptedEncoder flushAcceptedEncoder = new FlushAcceptedEncoder();
    private final StateTransferEncoder stateTransferEncoder = new StateTransferEncoder();
    private final StateRequestEncoder stateRequestEncoder = new StateRequestEncoder();

    MembershipPublisher(
        final int nodeId,
        final long incarnation,
        final MembershipOutbound outbound,
        final MembershipCounters counters,
        final JoinAuthenticator authenticator,
        final int initialBufferLength)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.outbound = outbound;
        this.counters = counters;
        this.authenticator = authenticator;
        this.buffer = new ExpandableArrayBuffer(initialBufferLength);
    }

    private void send(final int destination, final int length)
    {
        counters.framesSent++;
        if (destination < 0)
        {
            outbound.sendToAll(buffer, 0, length);
        }
        else
        {
            outbound.sendTo(destination, buffer, 0, length);
        }
    }

    void heartbeat(
        final long viewId,
        final NodeStatus status,
        final long receivedSeq,
        final long deliveredSeq,
        final long stableSeq,
        final long highestSeq,
        final long nowNs)
    {
        send(-1, HEADER_LENGTH + heartbeatEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .viewId(viewId)
            .status(status)
            .receivedSeq(receivedSeq)
            .deliveredSeq(deliveredSeq)
            .stableSeq(stableSeq)
            .highestSeq(highestSeq)
            .timestampNs(nowNs)
            .encodedLength());
    }

    void joinRequest(
        final long nonce, final long nowNs, final long viewId, final long lastPrimaryViewId, final NodeStatus status)
    {
        final JoinRequestEncoder e = joinRequestEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .nonce(nonce)
            .timestampNs(nowNs)
            .viewId(viewId)
            .lastPrimaryViewId(lastPrimaryViewId)
            .status(status);
        authenticator.sign(buffer, 0, HEADER_LENGTH + JoinRequestEncoder.authTagEncodingOffset());
        send(-1, HEADER_LENGTH + e.encodedLength());
    }

    void joinRefused(final int target, final long targetIncarnation, final JoinRefusal reason)
    {
        send(target, HEADER_LENGTH + joinRefusedEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .targetNode(target)
            .targetIncarnation(targetIncarnation)
            .reason(reason)
            .encodedLength());
    }

    void leave(final long viewId)
    {
        send(-1, HEADER_LENGTH + leaveEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .viewId(viewId)
            .encodedLength());
    }

    void viewInstall(final int destination, final View view)
    {
        final ViewInstallEncoder e = viewInstallEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .viewId(view.viewId())
            .predecessorViewId(view.predecessorViewId())
            .endSeq(view.endSeq())
            .primary(view.isPrimary() ? BooleanType.TRUE : BooleanType.FALSE);
        final ViewInstallEncoder.MembersEncoder members = e.membersCount(view.size());
        for (int i = 0; i < view.size(); i++)
        {
            members.next().nodeId(view.memberId(i)).incarnation(view.memberIncarnation(i));
        }
        send(destination, HEADER_LENGTH + e.encodedLength());
    }

    void flushRequest(final long ballot, final int[] ids, final long[] incarnations)
    {
        final FlushRequestEncoder e = flushRequestEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .ballot(ballot);
        final FlushRequestEncoder.MembersEncoder members = e.membersCount(ids.length);
        for (int i = 0; i < ids.length; i++)
        {
            members.next().nodeId(ids[i]).incarnation(incarnations[i]);
        }
        send(-1, HEADER_LENGTH + e.encodedLength());
    }

    /**
     * @param lastPrimary   members of the last primary view, or null (none, or the bootstrap pseudo-view).
     * @param acceptedValue the value accepted for its successor, or null.
     */
    void flushState(
        final int proposer,
        final long ballot,
        final long lastPrimaryViewId,
        final long receivedSeq,
        final long deliveredSeq,
        final boolean hasState,
        final long acceptedBallot,
        final View acceptedValue,
        final View lastPrimary,
        final boolean leaving)
    {
        final FlushStateEncoder e = flushStateEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .ballot(ballot)
            .lastPrimaryViewId(lastPrimaryViewId)
            .receivedSeq(receivedSeq)
            .deliveredSeq(deliveredSeq)
            .hasState(hasState ? BooleanType.TRUE : BooleanType.FALSE)
            .acceptedBallot(acceptedValue == null ? View.NONE : acceptedBallot)
            .acceptedViewId(acceptedValue == null ? View.NONE : acceptedValue.viewId())
            .acceptedEndSeq(acceptedValue == null ? -1 : acceptedValue.endSeq())
            .leaving(leaving ? BooleanType.TRUE : BooleanType.FALSE);
        final FlushStateEncoder.LastPrimaryMembersEncoder lpMembers =
            e.lastPrimaryMembersCount(lastPrimary == null ? 0 : lastPrimary.size());
        for (int i = 0; lastPrimary != null && i < lastPrimary.size(); i++)
        {
            lpMembers.next().nodeId(lastPrimary.memberId(i)).incarnation(lastPrimary.memberIncarnation(i));
        }
        final FlushStateEncoder.AcceptedMembersEncoder accMembers =
            e.acceptedMembersCount(acceptedValue == null ? 0 : acceptedValue.size());
        for (int i = 0; acceptedValue != null && i < acceptedValue.size(); i++)
        {
            accMembers.next().nodeId(acceptedValue.memberId(i)).incarnation(acceptedValue.memberIncarnation(i));
        }
        send(proposer, HEADER_LENGTH + e.encodedLength());
    }

    void flushReject(final int proposer, final long ballot, final long promisedBallot)
    {
        send(proposer, HEADER_LENGTH + flushRejectEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .ballot(ballot)
            .promisedBallot(promisedBallot)
            .encodedLength());
    }

    void flushAccept(final long ballot, final View value, final int sourceNode)
    {
        final FlushAcceptEncoder e = flushAcceptEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .ballot(ballot)
            .viewId(value.viewId())
            .predecessorViewId(value.predecessorViewId())
            .endSeq(value.endSeq())
            .sourceNode(sourceNode);
        final FlushAcceptEncoder.MembersEncoder members = e.membersCount(value.size());
        for (int i = 0; i < value.size(); i++)
        {
            members.next().nodeId(value.memberId(i)).incarnation(value.memberIncarnation(i));
        }
        send(-1, HEADER_LENGTH + e.encodedLength());
    }

    void flushAccepted(final int proposer, final long ballot)
    {
        send(proposer, HEADER_LENGTH + flushAcceptedEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .ballot(ballot)
            .encodedLength());
    }

    void ack(final int coordinator, final long viewId, final long receivedSeq, final long deliveredSeq)
    {
        send(coordinator, HEADER_LENGTH + ackEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .viewId(viewId)
            .receivedSeq(receivedSeq)
            .deliveredSeq(deliveredSeq)
            .encodedLength());
    }

    void retransmitRequest(final long viewId, final long fromSeq, final long toSeq, final int target)
    {
        counters.retransmitRequestsSent++;
        send(target, HEADER_LENGTH + retransmitRequestEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .viewId(viewId)
            .fromSeq(fromSeq)
            .toSeq(toSeq)
            .targetNode(target)
            .encodedLength());
    }

    void stateRequest(final int target, final long viewId)
    {
        send(target, HEADER_LENGTH + stateRequestEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(incarnation)
            .viewId(viewId)
            .targetNode(target)
            .encodedLength());
    }

    void stateTransfer(
        final int target,
        final long targetIncarnation,
        final long viewId,
        final long asOfSeq,
        final OriginTable origins,
        final DirectBuffer state,
        final int stateLength)
    {
        final StateTransferEncoder e = stateTransferEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .viewId(viewId)
            .asOfSeq(asOfSeq)
            .targetNode(target)
            .targetIncarnation(targetIncarnation);
        final StateTransferEncoder.OriginsEncoder group = e.originsCount(origins.size());
        origins.forEach((id, inc, last) -> group.next().nodeId(id).incarnation(inc).lastOriginSeq(last));
        e.putState(state, 0, stateLength);
        counters.stateTransfersSent++;
        send(target, HEADER_LENGTH + e.encodedLength());
    }

    /**
     * Send entries [from, to] present in the log as one SequencedBatch frame (fewer when they exceed the batch
     * length; an empty batch when from > to announces the tail and stability).
     *
     * @return entries sent.
     */
    int sequencedBatch(
        final int destination,
        final long viewId,
        final EntryLog log,
        final long from,
        final long to,
        final long highestSeq,
        final long stableSeq,
        final int maxBatchLength)
    {
        int count = 0;
        int bytes = HEADER_LENGTH + SequencedBatchEncoder.BLOCK_LENGTH +
            SequencedBatchEncoder.EntriesEncoder.HEADER_SIZE;
        for (long seq = from; seq <= to && count < MAX_GROUP_COUNT; seq++)
        {
            if (!log.isPresent(seq))
            {
                break;
            }
            final int entryLength = SequencedBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + log.payloadLength(seq);
            if (count > 0 && bytes + entryLength > maxBatchLength)
            {
                break;
            }
            bytes += entryLength;
            count++;
        }
        if (count == 0 && from <= to)
        {
            return 0;
        }
        final SequencedBatchEncoder e = sequencedBatchEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(nodeId)
            .viewId(viewId)
            .firstSeq(from)
            .highestSeq(highestSeq)
            .stableSeq(stableSeq);
        final SequencedBatchEncoder.EntriesEncoder entries = e.entriesCount(count);
        for (long seq = from; seq < from + count; seq++)
        {
            entries.next()
                .originNode(log.originNode(seq))
                .originIncarnation(log.originIncarnation(seq))
                .originSeq(log.originSeq(seq))
                .level(DeliveryLevel.get(log.level(seq)))
                .putPayload(log.payload(seq), 0, log.payloadLength(seq));
        }
        send(destination, HEADER_LENGTH + e.encodedLength());
        return count;
    }

    /**
     * Send own submissions from an origin sequence on, as many as fit one batch.
     *
     * @return entries sent.
     */
    int submitBatch(
        final int coordinator, final long viewId, final Outbox outbox, final long from, final int maxBatchLength)
    {
        int count = 0;
        int bytes = HEADER_LENGTH + SubmitBatchEncoder.BLOCK_LENGTH + SubmitBatchEncoder.EntriesEncoder.HEADER_SIZE;
        for (long originSeq = from; outbox.contains(originSeq) && count < MAX_GROUP_COUNT; originSeq++)
        {
            final int entryLength = SubmitBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + outbox.length(originSeq);
            if (count > 0 && bytes + entryLength > maxBatchLength)
            {
                break;
            }
            bytes += entryLength;
            count++;
        }
        if (count == 0)
        {
            return 0;
        }
        final SubmitBatchEncoder e = submitBatchEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .originNode(nodeId)
            .originIncarnation(incarnation)
            .viewId(viewId);
        final SubmitBatchEncoder.EntriesEncoder entries = e.entriesCount(count);
        for (long originSeq = from; originSeq < from + count; originSeq++)
        {
            final MutableDirectBuffer payload = outbox.payload(originSeq);
            entries.next()
                .originSeq(originSeq)
                .level(DeliveryLevel.get(outbox.level(originSeq)))
                .putPayload(payload, 0, outbox.length(originSeq));
        }
        send(coordinator, HEADER_LENGTH + e.encodedLength());
        return count;
    }
}
