package org.omnibus.membership.aeron;

import java.util.concurrent.atomic.AtomicLongArray;

import org.omnibus.membership.MembershipCounters;

/**
 * Counters of a {@link Group}, readable from any thread: the state machine's own counts (mirrored from
 * {@link MembershipCounters} at the end of every duty cycle) and the glue's. Written only by the agent thread.
 */
public final class GroupCounters
{
    /** The counters, with a label each. */
    public enum Counter
    {
        /** Frames handed to the state machine. */
        FRAMES_RECEIVED("frames received"),
        /** Frames the state machine could not decode. */
        FRAMES_MALFORMED("frames malformed"),
        /** Frames of another schema or a newer schema version, dropped. */
        FRAMES_FOREIGN("frames of a foreign schema or version"),
        /** Frames sent by the state machine. */
        FRAMES_SENT("frames sent"),
        /** Join requests refused for a bad authentication tag (no cluster secret). */
        JOIN_REFUSED_BAD_AUTHENTICATION("join requests refused: bad authentication"),
        /** Join requests refused for a stale incarnation. */
        JOIN_REFUSED_STALE_INCARNATION("join requests refused: stale incarnation"),
        /** Primary views installed. */
        VIEWS_INSTALLED("primary views installed"),
        /** Non-primary views installed. */
        NON_PRIMARY_VIEWS_INSTALLED("non-primary views installed"),
        /** Messages delivered. */
        DELIVERED("messages delivered"),
        /** Messages accepted by the state machine for ordering. */
        SUBMITTED("messages submitted"),
        /** Messages stamped by this node as sequencer. */
        SEQUENCED("messages sequenced"),
        /** Retransmission requests sent. */
        RETRANSMIT_REQUESTS_SENT("retransmission requests sent"),
        /** State transfers installed. */
        STATE_TRANSFERS_INSTALLED("state transfers installed"),
        /** Members excluded from a view. */
        EXCLUSIONS("exclusions"),
        /** Frames held back because the publication was back-pressured (sent later, in order). */
        SENDS_DEFERRED("frames deferred by back-pressure"),
        /** Frames dropped because nobody could receive them: not connected, closed. */
        SENDS_DROPPED("frames dropped: no receiver"),
        /** Frames dropped because too much was held back for their publication already. */
        SENDS_DROPPED_PENDING_FULL("frames dropped: too much held back"),
        /** Submissions dropped by the state machine when taken from the ring (the group was leaving). */
        SUBMIT_DROPPED("submissions dropped"),
        /** Direct sends to a node without a unicast endpoint, sent to all instead. */
        SENDS_REDIRECTED("direct frames sent to all"),
        /** Frames dropped by the test frame filter. */
        FRAMES_FILTERED("frames filtered (test partition)"),
        /** Submissions refused because the submit ring was full. */
        SUBMIT_BACK_PRESSURED("submissions back-pressured"),
        /** Submissions taken from the ring into the state machine. */
        SUBMIT_DRAINED("submissions drained"),
        /** Images of members that went away, handed to the state machine as a suspicion hint. */
        PEER_UNREACHABLE_HINTS("peer unreachable hints"),
        /** Duty cycles run. */
        DUTY_CYCLES("duty cycles"),
        /** Longest time between the starts of two duty cycles, in nanoseconds (idle time included). */
        DUTY_CYCLE_MAX_NS("longest duty cycle (ns)"),
        /** Duty cycles that started more than the stall threshold (100 ms) after the previous one. */
        DUTY_CYCLE_STALLS("duty cycle stalls");

        private final String label;

        Counter(final String label)
        {
            this.label = label;
        }

        /** @return a human-readable label. */
        public String label()
        {
            return label;
        }
    }

    private static final Counter[] COUNTERS = Counter.values();

    private final AtomicLongArray values = new AtomicLongArray(COUNTERS.length);

    GroupCounters()
    {
    }

    /**
     * @param counter which.
     * @return its current value.
     */
    public long get(final Counter counter)
    {
        return values.get(counter.ordinal());
    }

    void increment(final Counter counter)
    {
        final int i = counter.ordinal();
        values.lazySet(i, values.get(i) + 1);
    }

    void add(final Counter counter, final long delta)
    {
        final int i = counter.ordinal();
        values.lazySet(i, values.get(i) + delta);
    }

    void mirror(final MembershipCounters c)
    {
        set(Counter.FRAMES_RECEIVED, c.framesReceived());
        set(Counter.FRAMES_MALFORMED, c.framesMalformed());
        set(Counter.FRAMES_FOREIGN, c.framesForeign());
        set(Counter.FRAMES_SENT, c.framesSent());
        set(Counter.JOIN_REFUSED_BAD_AUTHENTICATION, c.joinRefusedBadAuthentication());
        set(Counter.JOIN_REFUSED_STALE_INCARNATION, c.joinRefusedStaleIncarnation());
        set(Counter.VIEWS_INSTALLED, c.viewsInstalled());
        set(Counter.NON_PRIMARY_VIEWS_INSTALLED, c.nonPrimaryViewsInstalled());
        set(Counter.DELIVERED, c.delivered());
        set(Counter.SUBMITTED, c.submitted());
        set(Counter.SEQUENCED, c.sequenced());
        set(Counter.RETRANSMIT_REQUESTS_SENT, c.retransmitRequestsSent());
        set(Counter.STATE_TRANSFERS_INSTALLED, c.stateTransfersInstalled());
        set(Counter.EXCLUSIONS, c.exclusions());
    }

    void max(final Counter counter, final long value)
    {
        final int i = counter.ordinal();
        if (value > values.get(i))
        {
            values.lazySet(i, value);
        }
    }

    private void set(final Counter counter, final long value)
    {
        values.lazySet(counter.ordinal(), value);
    }

    /** {@inheritDoc} */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("GroupCounters{");
        for (final Counter counter : COUNTERS)
        {
            final long value = get(counter);
            if (value != 0)
            {
                sb.append(counter.name().toLowerCase()).append('=').append(value).append(' ');
            }
        }
        return sb.append('}').toString();
    }
}
