package org.omnibus.membership;

import org.agrona.DirectBuffer;

/**
 * Where a {@link Membership} state machine puts the frames it sends: the only way it reaches the network.
 * <p>
 * A frame is one complete SBE message of the membership schema (message header included). The buffer is the state
 * machine's own send buffer, valid only for the duration of the call: send or copy it before returning. Sending is
 * fire-and-forget: the protocol tolerates lost, duplicated and reordered frames (it retransmits), so an
 * implementation may drop a frame it cannot send after a bounded retry (and should count it). Implementations must
 * not call back into the state machine.
 * <p>
 * The Aeron glue may route frames to streams by template id (the schema's bands: control, ordering, flush, state);
 * the state machine does not rely on any order between frames.
 */
public interface MembershipOutbound
{
    /**
     * Send a frame to every node on the cluster channel: members, joiners, and nodes of other components
     * (multicast, or every configured endpoint).
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     */
    void sendToAll(DirectBuffer buffer, int offset, int length);

    /**
     * Send a frame to one node (unicast, or multicast that others ignore).
     *
     * @param nodeId destination.
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     */
    void sendTo(int nodeId, DirectBuffer buffer, int offset, int length);
}
