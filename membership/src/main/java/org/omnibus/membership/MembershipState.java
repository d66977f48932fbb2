package org.omnibus.membership;

/**
 * The states of a {@link Membership} state machine.
 * <ul>
 *   <li>JOINING to OPERATIONAL: a primary view including the node is installed;</li>
 *   <li>JOINING, OPERATIONAL or NON_PRIMARY to FLUSHING: the node promises a view-change round;</li>
 *   <li>FLUSHING to OPERATIONAL: the round's primary view is installed;</li>
 *   <li>FLUSHING to NON_PRIMARY: the round found no majority (a non-primary view is installed), or a primary view
 *   without the node was installed;</li>
 *   <li>OPERATIONAL or FLUSHING to NON_PRIMARY: the node learns it was excluded;</li>
 *   <li>NON_PRIMARY to OPERATIONAL: a primary view including the node is installed (admitted again);</li>
 *   <li>any state to LEFT: the leave completed.</li>
 * </ul>
 */
public enum MembershipState
{
    /** Started, not yet in any view: sends authenticated join requests and waits to be admitted (or bootstraps). */
    JOINING,
    /** Member of an installed primary view: submits are ordered and delivered. */
    OPERATIONAL,
    /** Promised a view-change round: frozen (delivers nothing, acknowledges nothing) until a view is installed. */
    FLUSHING,
    /** Outside any primary component (a minority, or excluded): delivers nothing and asks to be admitted. */
    NON_PRIMARY,
    /** Left the group; the state machine does nothing more. */
    LEFT
}
