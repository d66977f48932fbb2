package org.omnibus.membership.aeron;

import org.agrona.DirectBuffer;

/**
 * Receives the journal catch-up frames of the membership schema (template ids {@link #FIRST_TEMPLATE_ID} ..
 * {@link #LAST_TEMPLATE_ID}: CatchUpRequest, CatchUpEntries, CatchUpStatus) instead of the membership state machine,
 * on the group's agent thread. The node's journal catch-up answers and sends them with {@link Group#offerCatchUp}.
 */
@FunctionalInterface
public interface CatchUpFrameHandler
{
    /** First template id of the catch-up band (CatchUpRequest). */
    int FIRST_TEMPLATE_ID = 82;
    /** Last template id of the catch-up band. */
    int LAST_TEMPLATE_ID = 89;

    /**
     * @param fromNodeId the sending node (the frame's reserved value).
     * @param buffer     holding the frame (SBE message header first), valid during the call.
     * @param offset     of the frame.
     * @param length     of the frame.
     */
    void onCatchUpFrame(int fromNodeId, DirectBuffer buffer, int offset, int length);
}
