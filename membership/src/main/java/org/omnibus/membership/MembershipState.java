package org.omnibus.membership;

/**
 * The states of a {@link Membership} state machine.
 * <pre>
 *   JOINING ──(install primary)──────────────▶ OPERATIONAL ◀──(install primary)── NON_PRIMARY
 *      │                                        │      ▲                               ▲
 *      └──(promise a round)──▶ FLUSHING ◀──(promise)┘      └──(install primary)──┘ (round without majority,
 *                                 │                                                 excluded from the primary)
 *                                 └────────────────────────────────────────────────┘
 *   any ──(leave completed, or excluded while leaving)──▶ LEFT
 * </pre>
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
