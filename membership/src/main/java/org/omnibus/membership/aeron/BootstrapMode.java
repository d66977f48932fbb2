package org.omnibus.membership.aeron;

/**
 * Whether a node counts towards the founding majority of a new cluster ({@code MembershipContext.bootstrap}).
 * <p>
 * Bootstrapping is safe only on a founding member's very first start: a node that promised or accepted anything in a
 * view-change round and forgot it (its Paxos state is in memory) must not found a cluster again, or two successors
 * of the bootstrap view could be chosen.
 */
public enum BootstrapMode
{
    /** Bootstrap when this node is one of the initial members and its data directory has no incarnation yet. */
    AUTO,
    /** Always bootstrap (if an initial member): for tests and for an operator re-founding a cluster on purpose. */
    ALWAYS,
    /** Never bootstrap: the node only joins an existing primary view. */
    NEVER
}
