package org.omnibus.membership.aeron;

/**
 * Names and defaults of the settings of a {@link Group} (the membership state machine driven over Aeron). The node's
 * configuration file maps these names onto a {@link GroupContext}; this class reads nothing by itself. The protocol's
 * timers are in {@link org.omnibus.membership.MembershipConfiguration}, the network's in
 * {@link org.omnibus.transport.TransportConfiguration}.
 */
public final class GroupConfiguration
{
    /** File, under the node's data directory, that holds the last incarnation (a decimal number). */
    public static final String INCARNATION_FILE_NAME = "incarnation";

    /** Cluster secret: the HMAC-SHA256 key of join requests (required). */
    public static final String CLUSTER_SECRET_PROP_NAME = "omnibus.group.cluster.secret";

    /** Founding members: comma-separated node ids; a majority of them forms the first primary view. */
    public static final String INITIAL_MEMBERS_PROP_NAME = "omnibus.group.initial.members";

    /** {@link BootstrapMode}: auto, always or never. */
    public static final String BOOTSTRAP_PROP_NAME = "omnibus.group.bootstrap";
    /** Default: {@link BootstrapMode#AUTO}, a founding member bootstraps on its very first start only. */
    public static final BootstrapMode BOOTSTRAP_DEFAULT = BootstrapMode.AUTO;

    /** {@link GroupThreadingMode}: dedicated (an agent thread) or invoker (the caller runs the duty cycle). */
    public static final String THREADING_MODE_PROP_NAME = "omnibus.group.threading.mode";
    /** Default: {@link GroupThreadingMode#DEDICATED}. */
    public static final GroupThreadingMode THREADING_MODE_DEFAULT = GroupThreadingMode.DEDICATED;

    /** Idle strategy of the group agent's thread (backoff, sleeping, yielding, busy-spin). */
    public static final String IDLE_STRATEGY_PROP_NAME = "omnibus.group.idle.strategy";

    /** Fragments read per subscription and duty cycle at most. */
    public static final String FRAGMENT_LIMIT_PROP_NAME = "omnibus.group.fragment.limit";
    /** Default: 64. */
    public static final int FRAGMENT_LIMIT_DEFAULT = 64;

    /** Capacity in bytes of the ring that carries submissions from any thread into the agent; a power of two. */
    public static final String SUBMIT_RING_CAPACITY_PROP_NAME = "omnibus.group.submit.ring.capacity";
    /** Default: 4 MiB (the largest submission is an eighth of it, 512 KiB). */
    public static final int SUBMIT_RING_CAPACITY_DEFAULT = 4 * 1024 * 1024;

    /** Submissions moved from the ring into the state machine per duty cycle at most. */
    public static final String SUBMIT_DRAIN_LIMIT_PROP_NAME = "omnibus.group.submit.drain.limit";
    /** Default: 1024. */
    public static final int SUBMIT_DRAIN_LIMIT_DEFAULT = 1024;

    /**
     * Bytes of frames held back per destination and stream while the publication is back-pressured, retried at the
     * next duty cycles before newer frames; beyond it frames are dropped (and counted: the protocol retransmits).
     */
    public static final String PENDING_SEND_LIMIT_PROP_NAME = "omnibus.group.pending.send.limit";
    /** Default: 8 MiB. */
    public static final int PENDING_SEND_LIMIT_DEFAULT = 8 * 1024 * 1024;

    private GroupConfiguration()
    {
    }
}
