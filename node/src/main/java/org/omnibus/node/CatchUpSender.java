package org.omnibus.node;

import org.agrona.DirectBuffer;

/**
 * Sends a catch-up frame to one node (in a node: {@link org.omnibus.membership.aeron.Group#offerCatchUp}, the
 * CATCH_UP stream, unicast to the node's endpoint).
 */
@FunctionalInterface
interface CatchUpSender
{
    /**
     * @return a positive value if sent; a negative code (back-pressure, not connected, closed): nothing was sent.
     */
    long send(int targetNode, DirectBuffer buffer, int offset, int length);
}
