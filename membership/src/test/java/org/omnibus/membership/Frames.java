package org.omnibus.membership;

import java.nio.ByteOrder;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.sbe.membership.FlushRequestEncoder;
import org.omnibus.codec.sbe.membership.MessageHeaderEncoder;
import org.omnibus.codec.sbe.membership.SubmitBatchEncoder;

/**
 * Frames written by hand for tests, with the generated encoders.
 */
final class Frames
{
    private Frames()
    {
    }

    static UnsafeBuffer submitBatch(
        final int origin, final long incarnation, final long viewId, final long[] originSeqs, final long[] values)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final SubmitBatchEncoder e = new SubmitBatchEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .originNode(origin)
            .originIncarnation(incarnation)
            .viewId(viewId);
        final SubmitBatchEncoder.EntriesEncoder entries = e.entriesCount(originSeqs.length);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < originSeqs.length; i++)
        {
            payload.putLong(0, values[i], ByteOrder.LITTLE_ENDIAN);
            entries.next().originSeq(originSeqs[i])
                .level(org.omnibus.codec.sbe.membership.DeliveryLevel.AGREED)
                .putPayload(payload, 0, 8);
        }
        return new UnsafeBuffer(buffer.byteArray(), 0, MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    static UnsafeBuffer flushRequest(
        final int proposer, final long incarnation, final long ballot, final int[] ids, final long[] incarnations)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final FlushRequestEncoder e = new FlushRequestEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .nodeId(proposer)
            .incarnation(incarnation)
            .ballot(ballot);
        final FlushRequestEncoder.MembersEncoder members = e.membersCount(ids.length);
        for (int i = 0; i < ids.length; i++)
        {
            members.next().nodeId(ids[i]).incarnation(incarnations[i]);
        }
        return new UnsafeBuffer(buffer.byteArray(), 0, MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }
}
