package org.omnibus.membership;

import java.util.concurrent.TimeUnit;

/**
 * Names and defaults of the membership settings. The node's configuration file maps these names onto a
 * {@link MembershipContext}; this class reads nothing by itself.
 */
public final class MembershipConfiguration
{
    /** Interval between heartbeats (or join requests, outside a primary view). */
    public static final String HEARTBEAT_INTERVAL_PROP_NAME = "omnibus.membership.heartbeat.interval";
    /** Default: 100 ms. */
    public static final long HEARTBEAT_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** A member not heard from for this long is suspected, and a view change starts. */
    public static final String SUSPICION_TIMEOUT_PROP_NAME = "omnibus.membership.suspicion.timeout";
    /** Default: 1 s. */
    public static final long SUSPICION_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);

    /** How long a view-change round may take before its proposer retries, or another node takes over. */
    public static final String FLUSH_TIMEOUT_PROP_NAME = "omnibus.membership.flush.timeout";
    /** Default: 1 s. */
    public static final long FLUSH_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);

    /** How long a starting node waits to be admitted by a primary view before it tries to form one. */
    public static final String JOIN_TIMEOUT_PROP_NAME = "omnibus.membership.join.timeout";
    /** Default: 1 s. */
    public static final long JOIN_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);

    /** How long a coordinator gathers join requests before it starts a view change for them. */
    public static final String JOIN_DELAY_PROP_NAME = "omnibus.membership.join.delay";
    /** Default: 50 ms. */
    public static final long JOIN_DELAY_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Interval between retransmission requests for a gap, and between repeats of unanswered control messages. */
    public static final String RETRANSMIT_INTERVAL_PROP_NAME = "omnibus.membership.retransmit.interval";
    /** Default: 20 ms. */
    public static final long RETRANSMIT_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(20);

    /** An origin resends submissions the sequencer has not ordered after this long. */
    public static final String RESUBMIT_INTERVAL_PROP_NAME = "omnibus.membership.resubmit.interval";
    /** Default: 200 ms. */
    public static final long RESUBMIT_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Smallest interval between two acknowledgements from a member to the sequencer. */
    public static final String ACK_INTERVAL_PROP_NAME = "omnibus.membership.ack.interval";
    /** Default: 100 us. */
    public static final long ACK_INTERVAL_DEFAULT_NS = TimeUnit.MICROSECONDS.toNanos(100);

    /** Interval between requests of a member that lacks the replicated state. */
    public static final String STATE_REQUEST_INTERVAL_PROP_NAME = "omnibus.membership.state.request.interval";
    /** Default: 500 ms. */
    public static final long STATE_REQUEST_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A leaving node gives up waiting for its exclusion after this long. */
    public static final String LEAVE_TIMEOUT_PROP_NAME = "omnibus.membership.leave.timeout";
    /** Default: 5 s. */
    public static final long LEAVE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(5);

    /** Entries a node retains (sequenced, not yet stable and delivered); a power of two. */
    public static final String LOG_CAPACITY_PROP_NAME = "omnibus.membership.log.capacity";
    /** Default: 16384. */
    public static final int LOG_CAPACITY_DEFAULT = 16384;

    /** The sequencer stamps at most this many entries beyond the stable sequence (flow control). */
    public static final String WINDOW_PROP_NAME = "omnibus.membership.window";
    /** Default: 8192. */
    public static final int WINDOW_DEFAULT = 8192;

    /** Own submissions retained until stable; a power of two. */
    public static final String OUTBOX_CAPACITY_PROP_NAME = "omnibus.membership.outbox.capacity";
    /** Default: 8192. */
    public static final int OUTBOX_CAPACITY_DEFAULT = 8192;

    /** Target length of a batch frame (a larger single entry goes alone). */
    public static final String MAX_BATCH_LENGTH_PROP_NAME = "omnibus.membership.max.batch.length";
    /** Default: 60 KiB. */
    public static final int MAX_BATCH_LENGTH_DEFAULT = 60 * 1024;

    /**
     * Largest payload a node accepts for submission. A frame carrying it must fit the transport's maximum message
     * length (Aeron: term length / 8, 512 KiB with the transport's default 4 MiB term), with 256 bytes to spare.
     */
    public static final String MAX_PAYLOAD_LENGTH_PROP_NAME = "omnibus.membership.max.payload.length";
    /** Default: 256 KiB. */
    public static final int MAX_PAYLOAD_LENGTH_DEFAULT = 256 * 1024;

    /** {@link SubmitPolicy} outside a primary view: WAIT or REJECT. */
    public static final String SUBMIT_POLICY_PROP_NAME = "omnibus.membership.submit.policy";
    /** Default: WAIT. */
    public static final SubmitPolicy SUBMIT_POLICY_DEFAULT = SubmitPolicy.WAIT;

    private MembershipConfiguration()
    {
    }
}
