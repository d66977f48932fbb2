package org.omnibus.membership;

import org.agrona.DirectBuffer;

/**
 * What a {@link Membership} state machine tells the upper layers: deliveries in the total order, and views.
 * <p>
 * Called on the thread that drives the state machine, from inside {@link Membership#onFrame},
 * {@link Membership#doWork} or {@link Membership#submit}. A listener may call {@link Membership#submit} but must not
 * call {@link Membership#onFrame} or {@link Membership#doWork}.
 */
public interface MembershipListener
{
    /**
     * A message is delivered. Global sequences are delivered one after the other without gaps; after a state
     * transfer ({@link StateTransferHandler#installSnapshot}) delivery resumes after the snapshot's sequence.
     *
     * @param viewId            the view in which the message was sequenced.
     * @param globalSeq         its position in the total order.
     * @param originNode        the node that submitted it.
     * @param originIncarnation the incarnation of that node.
     * @param originSeq         its number in the origin incarnation's submissions (1, 2, 3, ...).
     * @param level             its delivery level.
     * @param buffer            holding the payload, valid only during the call.
     * @param offset            of the payload.
     * @param length            of the payload.
     */
    void onDeliver(
        long viewId,
        long globalSeq,
        int originNode,
        long originIncarnation,
        long originSeq,
        DeliveryLevel level,
        DirectBuffer buffer,
        int offset,
        int length);

    /**
     * A view is installed. A primary view is installed after every message of its predecessor up to
     * {@link View#endSeq()} has been delivered (or, for a node that lacks the state, before a state transfer). A
     * non-primary view tells the node it is in a component without a majority: nothing is delivered there.
     *
     * @param view the view.
     */
    void onViewChange(View view);

    /**
     * The node left the primary view: it is outside any primary component until it is admitted again (then it
     * receives a state transfer, which replaces whatever it delivered alone).
     *
     * @param lastPrimaryViewId the last primary view it was a member of.
     */
    default void onPrimaryLost(final long lastPrimaryViewId)
    {
    }

    /**
     * The state machine changed state.
     *
     * @param from previous state.
     * @param to   new state.
     */
    default void onStateChange(final MembershipState from, final MembershipState to)
    {
    }
}
