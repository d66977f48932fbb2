package org.omnibus.membership;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The replicated state of the upper layers (the name registry, later), moved to a member that lacks it: a node
 * admitted to a primary view without the state at the view's start (a new node, a restarted node, a node coming back
 * from a minority) receives a snapshot from a member, installs it, and is delivered every message after it.
 * <p>
 * Called on the thread that drives the state machine.
 */
public interface StateTransferHandler
{
    /**
     * Write the replicated state as it is after delivering every message up to {@code asOfSeq}.
     *
     * @param asOfSeq the last global sequence delivered.
     * @param buffer  to write into; it grows on demand (an expandable buffer).
     * @param offset  where to start writing.
     * @return number of bytes written.
     */
    int takeSnapshot(long asOfSeq, MutableDirectBuffer buffer, int offset);

    /**
     * Replace the replicated state with a snapshot; the next delivery is {@code asOfSeq + 1}.
     *
     * @param asOfSeq the last global sequence the snapshot includes.
     * @param buffer  holding the snapshot, valid only during the call.
     * @param offset  of the snapshot.
     * @param length  of the snapshot.
     */
    void installSnapshot(long asOfSeq, DirectBuffer buffer, int offset, int length);
}
