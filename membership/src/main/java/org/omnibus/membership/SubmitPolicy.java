package org.omnibus.membership;

/**
 * What {@link Membership#submit} does while the node is not a member of a primary view.
 */
public enum SubmitPolicy
{
    /** Keep the message in the outbox; it is ordered once the node is (again) in a primary view. */
    WAIT,
    /** Refuse the message with {@link Membership#NOT_PRIMARY}. */
    REJECT
}
