package org.omnibus.membership;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.omnibus.membership.MembershipConfiguration.*;

/**
 * Everything a {@link Membership} state machine needs: identity, cluster secret, initial members, timers, capacities,
 * and the three interfaces it talks to ({@link MembershipOutbound}, {@link MembershipListener},
 * {@link StateTransferHandler}). Fluent setters; {@link #conclude()} validates and fills defaults.
 * <p>
 * There is no clock and no random source here beyond {@link #randomSeed(long)}: time comes in with every event.
 */
public final class MembershipContext
{
    private boolean concluded;
    private int nodeId;
    private long incarnation;
    private boolean bootstrap;
    private int[] initialMembers;
    private byte[] clusterSecret;
    private long randomSeed;
    private long heartbeatIntervalNs = HEARTBEAT_INTERVAL_DEFAULT_NS;
    private long suspicionTimeoutNs = SUSPICION_TIMEOUT_DEFAULT_NS;
    private long flushTimeoutNs = FLUSH_TIMEOUT_DEFAULT_NS;
    private long joinTimeoutNs = JOIN_TIMEOUT_DEFAULT_NS;
    private long joinDelayNs = JOIN_DELAY_DEFAULT_NS;
    private long retransmitIntervalNs = RETRANSMIT_INTERVAL_DEFAULT_NS;
    private long resubmitIntervalNs = RESUBMIT_INTERVAL_DEFAULT_NS;
    private long ackIntervalNs = ACK_INTERVAL_DEFAULT_NS;
    private long stateRequestIntervalNs = STATE_REQUEST_INTERVAL_DEFAULT_NS;
    private long leaveTimeoutNs = LEAVE_TIMEOUT_DEFAULT_NS;
    private int logCapacity = LOG_CAPACITY_DEFAULT;
    private int window = WINDOW_DEFAULT;
    private int outboxCapacity = OUTBOX_CAPACITY_DEFAULT;
    private int maxBatchLength = MAX_BATCH_LENGTH_DEFAULT;
    private int maxPayloadLength = MAX_PAYLOAD_LENGTH_DEFAULT;
    private SubmitPolicy submitPolicy = SUBMIT_POLICY_DEFAULT;
    private MembershipOutbound outbound;
    private MembershipListener listener;
    private StateTransferHandler stateTransferHandler;

    /**
     * Validate and fill defaults. Idempotent.
     *
     * @return this.
     * @throws IllegalStateException when something required is missing or inconsistent.
     */
    public MembershipContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(nodeId >= 1 && nodeId <= View.MAX_NODE_ID, "nodeId must be in 1.." + View.MAX_NODE_ID);
        require(incarnation >= 1, "incarnation must be >= 1 and grow at every restart");
        require(clusterSecret != null && clusterSecret.length > 0, "a cluster secret is required");
        if (initialMembers == null)
        {
            initialMembers = new int[]{ nodeId };
        }
        for (final int id : initialMembers)
        {
            require(id >= 1 && id <= View.MAX_NODE_ID, "initial member ids must be in 1.." + View.MAX_NODE_ID);
        }
        require(outbound != null, "outbound is required");
        require(listener != null, "listener is required");
        require(stateTransferHandler != null, "stateTransferHandler is required");
        require(heartbeatIntervalNs > 0 && suspicionTimeoutNs > heartbeatIntervalNs,
            "suspicion timeout must exceed the heartbeat interval");
        require(flushTimeoutNs > 0 && joinTimeoutNs >= 0 && joinDelayNs >= 0, "timeouts must be positive");
        require(retransmitIntervalNs > 0 && resubmitIntervalNs > 0 && ackIntervalNs >= 0, "intervals must be positive");
        require(stateRequestIntervalNs > 0 && leaveTimeoutNs > 0, "intervals must be positive");
        require(Integer.bitCount(logCapacity) == 1 && logCapacity >= 16, "log capacity must be a power of two >= 16");
        require(Integer.bitCount(outboxCapacity) == 1 && outboxCapacity >= 16, "outbox capacity: power of two >= 16");
        require(window >= 1 && window <= logCapacity / 2, "window must be in 1..logCapacity/2");
        require(maxBatchLength >= 1024, "max batch length must be >= 1024");
        require(maxPayloadLength >= 1, "max payload length must be >= 1");
        require(submitPolicy != null, "submit policy is required");
        concluded = true;
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException(message);
        }
    }

    /**
     * @param nodeId this node's cluster-unique id, 1 .. {@link View#MAX_NODE_ID}.
     * @return this.
     */
    public MembershipContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /** @return this node's id. */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param incarnation this process's incarnation: it must be higher at every restart of the node (persist it).
     * @return this.
     */
    public MembershipContext incarnation(final long incarnation)
    {
        this.incarnation = incarnation;
        return this;
    }

    /** @return the incarnation. */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * @param bootstrap true only for the very first start of a founding member of a new cluster: such a node counts
     *                  towards the majority of the initial members that forms the first primary view. A node that
     *                  restarts, or joins an existing cluster, must start with false (else two clusters could form).
     * @return this.
     */
    public MembershipContext bootstrap(final boolean bootstrap)
    {
        this.bootstrap = bootstrap;
        return this;
    }

    /** @return whether this node is a founding member starting for the first time. */
    public boolean bootstrap()
    {
        return bootstrap;
    }

    /**
     * @param initialMembers the founding members (node ids); a majority of them forms the first primary view. The
     *                       same list on every node. Default: this node alone.
     * @return this.
     */
    public MembershipContext initialMembers(final int... initialMembers)
    {
        this.initialMembers = initialMembers.clone();
        return this;
    }

    /** @return the founding members. */
    public int[] initialMembers()
    {
        return initialMembers.clone();
    }

    /**
     * @param clusterSecret key of the HMAC-SHA256 tag of join requests; nodes without it are refused.
     * @return this.
     */
    public MembershipContext clusterSecret(final byte[] clusterSecret)
    {
        this.clusterSecret = clusterSecret.clone();
        return this;
    }

    /**
     * @param clusterSecret key of the HMAC-SHA256 tag of join requests, as UTF-8.
     * @return this.
     */
    public MembershipContext clusterSecret(final String clusterSecret)
    {
        return clusterSecret(clusterSecret.getBytes(StandardCharsets.UTF_8));
    }

    /** @return a copy of the cluster secret. */
    public byte[] clusterSecret()
    {
        return clusterSecret == null ? null : Arrays.copyOf(clusterSecret, clusterSecret.length);
    }

    /**
     * @param randomSeed seed of the only random source (join nonces, back-off jitter).
     * @return this.
     */
    public MembershipContext randomSeed(final long randomSeed)
    {
        this.randomSeed = randomSeed;
        return this;
    }

    /** @return the random seed. */
    public long randomSeed()
    {
        return randomSeed;
    }

    /**
     * @param ns interval between heartbeats.
     * @return this.
     */
    public MembershipContext heartbeatIntervalNs(final long ns)
    {
        this.heartbeatIntervalNs = ns;
        return this;
    }

    /** @return interval between heartbeats. */
    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    /**
     * @param ns silence after which a member is suspected.
     * @return this.
     */
    public MembershipContext suspicionTimeoutNs(final long ns)
    {
        this.suspicionTimeoutNs = ns;
        return this;
    }

    /** @return silence after which a member is suspected. */
    public long suspicionTimeoutNs()
    {
        return suspicionTimeoutNs;
    }

    /**
     * @param ns how long a view-change round may take.
     * @return this.
     */
    public MembershipContext flushTimeoutNs(final long ns)
    {
        this.flushTimeoutNs = ns;
        return this;
    }

    /** @return how long a view-change round may take. */
    public long flushTimeoutNs()
    {
        return flushTimeoutNs;
    }

    /**
     * @param ns how long a starting node waits for a primary view before it tries to form one.
     * @return this.
     */
    public MembershipContext joinTimeoutNs(final long ns)
    {
        this.joinTimeoutNs = ns;
        return this;
    }

    /** @return join timeout. */
    public long joinTimeoutNs()
    {
        return joinTimeoutNs;
    }

    /**
     * @param ns how long a coordinator gathers join requests.
     * @return this.
     */
    public MembershipContext joinDelayNs(final long ns)
    {
        this.joinDelayNs = ns;
        return this;
    }

    /** @return join delay. */
    public long joinDelayNs()
    {
        return joinDelayNs;
    }

    /**
     * @param ns interval between retransmission requests and repeats of control messages.
     * @return this.
     */
    public MembershipContext retransmitIntervalNs(final long ns)
    {
        this.retransmitIntervalNs = ns;
        return this;
    }

    /** @return retransmit interval. */
    public long retransmitIntervalNs()
    {
        return retransmitIntervalNs;
    }

    /**
     * @param ns age after which unordered submissions are sent again.
     * @return this.
     */
    public MembershipContext resubmitIntervalNs(final long ns)
    {
        this.resubmitIntervalNs = ns;
        return this;
    }

    /** @return resubmit interval. */
    public long resubmitIntervalNs()
    {
        return resubmitIntervalNs;
    }

    /**
     * @param ns smallest interval between two acknowledgements.
     * @return this.
     */
    public MembershipContext ackIntervalNs(final long ns)
    {
        this.ackIntervalNs = ns;
        return this;
    }

    /** @return ack interval. */
    public long ackIntervalNs()
    {
        return ackIntervalNs;
    }

    /**
     * @param ns interval between state requests of a member that lacks the state.
     * @return this.
     */
    public MembershipContext stateRequestIntervalNs(final long ns)
    {
        this.stateRequestIntervalNs = ns;
        return this;
    }

    /** @return state request interval. */
    public long stateRequestIntervalNs()
    {
        return stateRequestIntervalNs;
    }

    /**
     * @param ns how long a leaving node waits for its exclusion.
     * @return this.
     */
    public MembershipContext leaveTimeoutNs(final long ns)
    {
        this.leaveTimeoutNs = ns;
        return this;
    }

    /** @return leave timeout. */
    public long leaveTimeoutNs()
    {
        return leaveTimeoutNs;
    }

    /**
     * @param capacity entries retained, a power of two.
     * @return this.
     */
    public MembershipContext logCapacity(final int capacity)
    {
        this.logCapacity = capacity;
        return this;
    }

    /** @return log capacity. */
    public int logCapacity()
    {
        return logCapacity;
    }

    /**
     * @param window entries the sequencer stamps beyond the stable sequence, at most logCapacity / 2.
     * @return this.
     */
    public MembershipContext window(final int window)
    {
        this.window = window;
        return this;
    }

    /** @return window. */
    public int window()
    {
        return window;
    }

    /**
     * @param capacity own submissions retained until stable, a power of two.
     * @return this.
     */
    public MembershipContext outboxCapacity(final int capacity)
    {
        this.outboxCapacity = capacity;
        return this;
    }

    /** @return outbox capacity. */
    public int outboxCapacity()
    {
        return outboxCapacity;
    }

    /**
     * @param length target length of a batch frame.
     * @return this.
     */
    public MembershipContext maxBatchLength(final int length)
    {
        this.maxBatchLength = length;
        return this;
    }

    /** @return max batch length. */
    public int maxBatchLength()
    {
        return maxBatchLength;
    }

    /**
     * @param length largest payload accepted by submit.
     * @return this.
     */
    public MembershipContext maxPayloadLength(final int length)
    {
        this.maxPayloadLength = length;
        return this;
    }

    /** @return max payload length. */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * @param policy what submit does outside a primary view.
     * @return this.
     */
    public MembershipContext submitPolicy(final SubmitPolicy policy)
    {
        this.submitPolicy = policy;
        return this;
    }

    /** @return submit policy. */
    public SubmitPolicy submitPolicy()
    {
        return submitPolicy;
    }

    /**
     * @param outbound where frames go.
     * @return this.
     */
    public MembershipContext outbound(final MembershipOutbound outbound)
    {
        this.outbound = outbound;
        return this;
    }

    /** @return where frames go. */
    public MembershipOutbound outbound()
    {
        return outbound;
    }

    /**
     * @param listener deliveries and views.
     * @return this.
     */
    public MembershipContext listener(final MembershipListener listener)
    {
        this.listener = listener;
        return this;
    }

    /** @return the listener. */
    public MembershipListener listener()
    {
        return listener;
    }

    /**
     * @param handler snapshots of the replicated state.
     * @return this.
     */
    public MembershipContext stateTransferHandler(final StateTransferHandler handler)
    {
        this.stateTransferHandler = handler;
        return this;
    }

    /** @return the state transfer handler. */
    public StateTransferHandler stateTransferHandler()
    {
        return stateTransferHandler;
    }
}
