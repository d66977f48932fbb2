package org.omnibus.membership.aeron;

/**
 * Who runs the duty cycle of a {@link Group}'s agent.
 */
public enum GroupThreadingMode
{
    /** A thread of its own ({@code omnibus-group-<nodeId>}) with the configured idle strategy. */
    DEDICATED,
    /**
     * No thread: the caller runs the duty cycle with {@link Group#doWork()} (tests, or a node that composes the
     * agent with others on one thread).
     */
    INVOKER
}
