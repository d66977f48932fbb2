package org.omnibus.membership;

import java.util.Arrays;

/**
 * An installed view: an ordered list of members (oldest first; the first is the coordinator and, in a primary view,
 * the sequencer), an id, and for a primary view the global sequence it starts at.
 * <p>
 * A view id is also the ballot of the round that created it: {@code (epoch << 24) | proposerNodeId}, so ids are unique
 * and ordered. Id {@link #BOOTSTRAP_VIEW_ID} names the bootstrap pseudo-view (the configured initial members, before
 * any view was installed) and {@link #NONE} means no view. Immutable.
 */
public final class View
{
    /** No view. */
    public static final long NONE = -1;
    /** The pseudo-view of the configured initial members, the predecessor of the first real view. */
    public static final long BOOTSTRAP_VIEW_ID = 0;
    /** Incarnation that matches any incarnation (only in the bootstrap pseudo-view). */
    public static final long ANY_INCARNATION = 0;
    /** Bits of a view id (ballot) that carry the proposer's node id. */
    public static final int NODE_ID_BITS = 24;
    /** Largest node id: node ids are 1 .. MAX_NODE_ID. */
    public static final int MAX_NODE_ID = (1 << NODE_ID_BITS) - 1;

    private final long viewId;
    private final long predecessorViewId;
    private final long endSeq;
    private final boolean primary;
    private final int[] memberIds;
    private final long[] memberIncarnations;

    /**
     * @param viewId             id (= ballot of the round that created it).
     * @param predecessorViewId  the primary view this one succeeds, {@link #NONE} for a non-primary view.
     * @param endSeq             last global sequence of the predecessor; a primary view starts at endSeq + 1.
     * @param primary            whether the view is a primary component.
     * @param memberIds          members, oldest first (copied).
     * @param memberIncarnations their incarnations (copied).
     */
    public View(
        final long viewId,
        final long predecessorViewId,
        final long endSeq,
        final boolean primary,
        final int[] memberIds,
        final long[] memberIncarnations)
    {
        if (memberIds.length != memberIncarnations.length || memberIds.length == 0)
        {
            throw new IllegalArgumentException("members and incarnations must be non-empty and of equal length");
        }
        this.viewId = viewId;
        this.predecessorViewId = predecessorViewId;
        this.endSeq = endSeq;
        this.primary = primary;
        this.memberIds = memberIds.clone();
        this.memberIncarnations = memberIncarnations.clone();
    }

    /**
     * @param epoch  ballot epoch.
     * @param nodeId proposer.
     * @return the ballot (a view id).
     */
    public static long ballot(final long epoch, final int nodeId)
    {
        return (epoch << NODE_ID_BITS) | nodeId;
    }

    /**
     * @param viewIdOrBallot a view id or ballot.
     * @return its epoch (0 for NONE and the bootstrap pseudo-view).
     */
    public static long epoch(final long viewIdOrBallot)
    {
        return viewIdOrBallot <= 0 ? 0 : viewIdOrBallot >>> NODE_ID_BITS;
    }

    /**
     * @param viewIdOrBallot a view id or ballot.
     * @return the node that proposed it.
     */
    public static int proposer(final long viewIdOrBallot)
    {
        return (int)(viewIdOrBallot & MAX_NODE_ID);
    }

    /** @return the view id. */
    public long viewId()
    {
        return viewId;
    }

    /** @return the primary view this one succeeds ({@link #NONE} for a non-primary view). */
    public long predecessorViewId()
    {
        return predecessorViewId;
    }

    /** @return last global sequence of the predecessor view. */
    public long endSeq()
    {
        return endSeq;
    }

    /** @return the first global sequence stamped in this view. */
    public long firstSeq()
    {
        return endSeq + 1;
    }

    /** @return whether this view is a primary component. */
    public boolean isPrimary()
    {
        return primary;
    }

    /** @return the coordinator (the oldest member; the sequencer of a primary view). */
    public int coordinator()
    {
        return memberIds[0];
    }

    /** @return number of members. */
    public int size()
    {
        return memberIds.length;
    }

    /**
     * @param index 0 .. size - 1.
     * @return the member's node id.
     */
    public int memberId(final int index)
    {
        return memberIds[index];
    }

    /**
     * @param index 0 .. size - 1.
     * @return the member's incarnation.
     */
    public long memberIncarnation(final int index)
    {
        return memberIncarnations[index];
    }

    /**
     * @param nodeId node id.
     * @return its index, or -1.
     */
    public int indexOf(final int nodeId)
    {
        for (int i = 0; i < memberIds.length; i++)
        {
            if (memberIds[i] == nodeId)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param nodeId      node id.
     * @param incarnation incarnation.
     * @return the member's index when both match, or -1.
     */
    public int indexOf(final int nodeId, final long incarnation)
    {
        final int i = indexOf(nodeId);
        if (i >= 0 && (memberIncarnations[i] == incarnation || memberIncarnations[i] == ANY_INCARNATION))
        {
            return i;
        }
        return -1;
    }

    /**
     * @param nodeId      node id.
     * @param incarnation incarnation.
     * @return whether that incarnation of that node is a member.
     */
    public boolean contains(final int nodeId, final long incarnation)
    {
        return indexOf(nodeId, incarnation) >= 0;
    }

    /**
     * @param count a number of members.
     * @return whether it is a strict majority of this view.
     */
    public boolean isMajority(final int count)
    {
        return count * 2 > memberIds.length;
    }

    /**
     * @param other a view.
     * @return whether both have the same members (ids and incarnations, in any order).
     */
    public boolean sameMembers(final View other)
    {
        if (other.size() != size())
        {
            return false;
        }
        for (int i = 0; i < memberIds.length; i++)
        {
            if (!other.contains(memberIds[i], memberIncarnations[i]))
            {
                return false;
            }
        }
        return true;
    }

    /** {@inheritDoc} */
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof View))
        {
            return false;
        }
        final View that = (View)o;
        return viewId == that.viewId && predecessorViewId == that.predecessorViewId && endSeq == that.endSeq &&
            primary == that.primary && Arrays.equals(memberIds, that.memberIds) &&
            Arrays.equals(memberIncarnations, that.memberIncarnations);
    }

    /** {@inheritDoc} */
    public int hashCode()
    {
        return Long.hashCode(viewId) * 31 + Arrays.hashCode(memberIds);
    }

    /** {@inheritDoc} */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(64);
        sb.append(primary ? "View{" : "NonPrimaryView{").append(epoch(viewId)).append('.').append(proposer(viewId));
        if (primary)
        {
            sb.append(" after ").append(epoch(predecessorViewId)).append('.').append(proposer(predecessorViewId))
                .append(" from seq ").append(endSeq + 1);
        }
        sb.append(" members=[");
        for (int i = 0; i < memberIds.length; i++)
        {
            if (i > 0)
            {
                sb.append(", ");
            }
            sb.append(memberIds[i]).append('/').append(memberIncarnations[i]);
        }
        return sb.append("]}").toString();
    }
}
