package org.omnibus.edge;

import org.agrona.DirectBuffer;

/**
 * The edge's way into the cluster's total order (the membership group). Implemented by the node; called on the
 * edge agent's thread.
 */
public interface ClusterLink
{
    /** The message was accepted into the order. */
    int ACCEPTED = 1;
    /** The group's submit queue is full: try again later. */
    int BACK_PRESSURED = -1;
    /** This node is not in a primary component (minority partition) and the group refuses submissions. */
    int NOT_PRIMARY = -2;
    /** Larger than the group can carry. */
    int TOO_LARGE = -3;
    /** The group is closed. */
    int CLOSED = -4;

    /**
     * Submit a frame (an SBE BusMessage or NameCommand of the bus schema) to the total order.
     *
     * @param safe   deliver only once every member holds it (SAFE), else on receipt (AGREED).
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return {@link #ACCEPTED} or a negative code; nothing was submitted unless accepted.
     */
    int submit(boolean safe, DirectBuffer buffer, int offset, int length);

    /**
     * @return this node's id in the cluster.
     */
    int nodeId();

    /**
     * A word for a negative result of {@link #submit}.
     *
     * @param code the result.
     * @return its meaning.
     */
    static String describe(final int code)
    {
        switch (code)
        {
            case BACK_PRESSURED: return "the cluster's submit queue is full";
            case NOT_PRIMARY: return "this node is not in the primary component of the cluster";
            case TOO_LARGE: return "the message is larger than the cluster can carry";
            case CLOSED: return "the cluster link is closed";
            default: return "cluster submit failed (" + code + ")";
        }
    }
}
