package org.omnibus.membership.aeron;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.omnibus.membership.MembershipContext;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.SubmitPolicy;
import org.omnibus.membership.View;
import org.omnibus.transport.IdleStrategyKind;
import org.omnibus.transport.TransportConfiguration;
import org.omnibus.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.omnibus.membership.aeron.GroupConfiguration.*;

/**
 * Configuration of a {@link Group}: identity, cluster secret, initial members, how the agent runs, and the two
 * contexts it drives (a {@link MembershipContext} for the protocol's timers and capacities, a
 * {@link TransportContext} for the network). Fluent setters; {@link #conclude()} validates, fills defaults, and
 * derives what is derived once: the incarnation of this start (from the data directory), whether to bootstrap, and
 * the settings the group owns in the two child contexts (node id, secret, members, outbound, listener, handlers).
 * <p>
 * What the group sets in the child contexts overrides what the caller set there: node id, incarnation, bootstrap,
 * initial members, cluster secret, outbound, listener and state transfer handler of the membership context (the
 * membership's submit policy is always {@link SubmitPolicy#WAIT}: the group applies {@link #submitPolicy} itself);
 * node id, data directory (unless set), stream handlers, image listener and offer retry policy of the transport
 * context: a back-pressured frame is not retried inside the offer (whose back-off idles, and yields a loaded CPU to
 * everything else) but held back and retried at the next duty cycle (see {@link GroupPublisher}). Unless the caller
 * chose another flow control, multicast and MDC publications use {@code min} flow control whose receiver timeout is
 * half the suspicion timeout (the transport's default, 2 s, would let a crashed member hold every sender back for
 * longer than it takes to suspect it).
 */
public final class GroupContext
{
    private static final Logger LOG = LoggerFactory.getLogger(GroupContext.class);
    /** Attempts per offer: an admin action (term rotation) is retried at once; back-pressure waits for a cycle. */
    private static final int OFFER_MAX_ATTEMPTS = 3;
    private static final long MIN_FLOW_CONTROL_TIMEOUT_MS = 100;

    private boolean concluded;
    private int nodeId;
    private File dataDir;
    private byte[] clusterSecret;
    private int[] initialMembers;
    private BootstrapMode bootstrapMode = BOOTSTRAP_DEFAULT;
    private long incarnation;
    private boolean firstStart;
    private boolean bootstrap;
    private GroupThreadingMode threadingMode = THREADING_MODE_DEFAULT;
    private IdleStrategy idleStrategy;
    private NanoClock nanoClock;
    private int fragmentLimit = FRAGMENT_LIMIT_DEFAULT;
    private int submitRingCapacity = SUBMIT_RING_CAPACITY_DEFAULT;
    private int submitDrainLimit = SUBMIT_DRAIN_LIMIT_DEFAULT;
    private int pendingSendLimit = PENDING_SEND_LIMIT_DEFAULT;
    private SubmitPolicy submitPolicy = SubmitPolicy.WAIT;
    private MembershipListener listener;
    private StateTransferHandler stateTransferHandler;
    private MembershipContext membershipContext;
    private TransportContext transportContext;
    private ErrorHandler errorHandler;
    private FrameFilter frameFilter;
    private CatchUpFrameHandler catchUpHandler;

    /**
     * Validate, fill defaults, persist the next incarnation (unless one was given) and configure the child contexts.
     * Called by {@link Group#launch(GroupContext)}; idempotent.
     *
     * @return this.
     * @throws IllegalStateException when something required is missing or inconsistent.
     */
    public GroupContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(nodeId >= 1 && nodeId <= View.MAX_NODE_ID, "nodeId must be in 1.." + View.MAX_NODE_ID);
        require(dataDir != null, "dataDir is required (the incarnation and the driver live there)");
        require(clusterSecret != null && clusterSecret.length > 0, "a cluster secret is required");
        require(listener != null, "a listener is required");
        require(stateTransferHandler != null, "a state transfer handler is required");
        require(fragmentLimit >= 1, "fragmentLimit must be >= 1");
        require(submitDrainLimit >= 1, "submitDrainLimit must be >= 1");
        require(pendingSendLimit >= 0, "pendingSendLimit must be >= 0");
        require(BitUtil.isPowerOfTwo(submitRingCapacity) && submitRingCapacity >= 1024,
            "submitRingCapacity must be a power of two >= 1024");
        if (initialMembers == null)
        {
            initialMembers = new int[]{ nodeId };
        }
        if (idleStrategy == null)
        {
            idleStrategy = IdleStrategyKind.BACKOFF.newIdleStrategy();
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        if (errorHandler == null)
        {
            final int id = nodeId;
            errorHandler = (throwable) -> LOG.error("group error on node {}", id, throwable);
        }
        if (membershipContext == null)
        {
            membershipContext = new MembershipContext();
        }
        if (transportContext == null)
        {
            transportContext = new TransportContext();
        }

        if (incarnation <= 0)
        {
            final IncarnationFile.Incarnation next = IncarnationFile.next(dataDir);
            incarnation = next.value();
            firstStart = next.firstStart();
        }
        final boolean founding = Arrays.stream(initialMembers).anyMatch((id) -> id == nodeId);
        switch (bootstrapMode)
        {
            case ALWAYS:
                bootstrap = founding;
                break;
            case NEVER:
                bootstrap = false;
                break;
            case AUTO:
            default:
                bootstrap = founding && firstStart;
                break;
        }

        membershipContext
            .nodeId(nodeId)
            .incarnation(incarnation)
            .bootstrap(bootstrap)
            .initialMembers(initialMembers)
            .clusterSecret(clusterSecret)
            .submitPolicy(SubmitPolicy.WAIT)
            .listener(listener)
            .stateTransferHandler(stateTransferHandler);
        if (membershipContext.randomSeed() == 0)
        {
            membershipContext.randomSeed(System.nanoTime() ^ ((long)nodeId << 40) ^ incarnation);
        }
        transportContext.nodeId(nodeId)
            .offerMaxAttempts(OFFER_MAX_ATTEMPTS)
            .offerIdleStrategy(NoOpIdleStrategy.INSTANCE);
        if (TransportConfiguration.FLOW_CONTROL_DEFAULT.equals(transportContext.flowControl()))
        {
            final long receiverTimeoutMs = Math.max(MIN_FLOW_CONTROL_TIMEOUT_MS,
                TimeUnit.NANOSECONDS.toMillis(membershipContext.suspicionTimeoutNs()) / 2);
            transportContext.flowControl("min,t:" + receiverTimeoutMs + "ms");
        }
        if (transportContext.dataDir() == null)
        {
            transportContext.dataDir(dataDir);
        }
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

    /** @return true once concluded. */
    public boolean isConcluded()
    {
        return concluded;
    }

    /**
     * @param nodeId this node's cluster-unique id, 1 .. {@link View#MAX_NODE_ID}.
     * @return this.
     */
    public GroupContext nodeId(final int nodeId)
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
     * @param dataDir the node's data directory: the incarnation file and (embedded) Aeron driver live under it.
     * @return this.
     */
    public GroupContext dataDir(final File dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    /** @return the node's data directory. */
    public File dataDir()
    {
        return dataDir;
    }

    /**
     * @param clusterSecret key of the HMAC-SHA256 tag of join requests; nodes without it are refused.
     * @return this.
     */
    public GroupContext clusterSecret(final byte[] clusterSecret)
    {
        this.clusterSecret = clusterSecret.clone();
        return this;
    }

    /**
     * @param clusterSecret the cluster secret as UTF-8 text.
     * @return this.
     */
    public GroupContext clusterSecret(final String clusterSecret)
    {
        return clusterSecret(clusterSecret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param initialMembers the founding members, the same list on every node; default this node alone.
     * @return this.
     */
    public GroupContext initialMembers(final int... initialMembers)
    {
        this.initialMembers = initialMembers.clone();
        return this;
    }

    /** @return the founding members (a copy). */
    public int[] initialMembers()
    {
        return initialMembers == null ? null : initialMembers.clone();
    }

    /**
     * @param mode when this node counts towards founding a new cluster.
     * @return this.
     */
    public GroupContext bootstrapMode(final BootstrapMode mode)
    {
        this.bootstrapMode = mode;
        return this;
    }

    /** @return the bootstrap mode. */
    public BootstrapMode bootstrapMode()
    {
        return bootstrapMode;
    }

    /**
     * @param incarnation use this incarnation instead of the one persisted in the data directory (tests); it must
     *                    still grow at every start. 0 (default) reads and advances the incarnation file.
     * @return this.
     */
    public GroupContext incarnation(final long incarnation)
    {
        this.incarnation = incarnation;
        return this;
    }

    /** @return the incarnation of this start (after {@link #conclude()}). */
    public long incarnation()
    {
        return incarnation;
    }

    /** @return whether this is the node's first start (no incarnation stored before), after {@link #conclude()}. */
    public boolean firstStart()
    {
        return firstStart;
    }

    /** @return whether this node bootstraps (after {@link #conclude()}). */
    public boolean bootstrap()
    {
        return bootstrap;
    }

    /**
     * @param mode who runs the duty cycle.
     * @return this.
     */
    public GroupContext threadingMode(final GroupThreadingMode mode)
    {
        this.threadingMode = mode;
        return this;
    }

    /** @return the threading mode. */
    public GroupThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * @param idleStrategy of the agent thread in {@link GroupThreadingMode#DEDICATED}; default backoff.
     * @return this.
     */
    public GroupContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** @return the idle strategy. */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @param clock monotonic clock read once per duty cycle; default the system's.
     * @return this.
     */
    public GroupContext nanoClock(final NanoClock clock)
    {
        this.nanoClock = clock;
        return this;
    }

    /** @return the clock. */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param limit fragments read per subscription and duty cycle at most.
     * @return this.
     */
    public GroupContext fragmentLimit(final int limit)
    {
        this.fragmentLimit = limit;
        return this;
    }

    /** @return the fragment limit. */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    /**
     * @param capacity bytes of the submit ring (a power of two); the largest submission is an eighth of it.
     * @return this.
     */
    public GroupContext submitRingCapacity(final int capacity)
    {
        this.submitRingCapacity = capacity;
        return this;
    }

    /** @return the submit ring capacity (without its trailer). */
    public int submitRingCapacity()
    {
        return submitRingCapacity;
    }

    /** @return the submit ring's buffer length including its trailer. */
    int submitRingBufferLength()
    {
        return submitRingCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * @param limit submissions moved into the state machine per duty cycle at most.
     * @return this.
     */
    public GroupContext submitDrainLimit(final int limit)
    {
        this.submitDrainLimit = limit;
        return this;
    }

    /** @return the submit drain limit. */
    public int submitDrainLimit()
    {
        return submitDrainLimit;
    }

    /**
     * @param bytes held back per destination and stream while back-pressured; more is dropped (and counted).
     * @return this.
     */
    public GroupContext pendingSendLimit(final int bytes)
    {
        this.pendingSendLimit = bytes;
        return this;
    }

    /** @return the pending send limit. */
    public int pendingSendLimit()
    {
        return pendingSendLimit;
    }

    /**
     * @param policy what {@link Group#submit} does while this node is not in a primary view: WAIT keeps the message
     *               until the node is in one again, REJECT returns {@link Group#NOT_PRIMARY}.
     * @return this.
     */
    public GroupContext submitPolicy(final SubmitPolicy policy)
    {
        this.submitPolicy = policy;
        return this;
    }

    /** @return the submit policy. */
    public SubmitPolicy submitPolicy()
    {
        return submitPolicy;
    }

    /**
     * @param listener deliveries and views, called on the agent thread.
     * @return this.
     */
    public GroupContext listener(final MembershipListener listener)
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
     * @param handler snapshots of the upper layers' replicated state, called on the agent thread.
     * @return this.
     */
    public GroupContext stateTransferHandler(final StateTransferHandler handler)
    {
        this.stateTransferHandler = handler;
        return this;
    }

    /** @return the state transfer handler. */
    public StateTransferHandler stateTransferHandler()
    {
        return stateTransferHandler;
    }

    /**
     * @param ctx the protocol's timers and capacities (the group sets identity, members, secret and callbacks).
     * @return this.
     */
    public GroupContext membershipContext(final MembershipContext ctx)
    {
        this.membershipContext = ctx;
        return this;
    }

    /** @return the membership context (created on demand so timers can be set fluently). */
    public MembershipContext membershipContext()
    {
        if (membershipContext == null)
        {
            membershipContext = new MembershipContext();
        }
        return membershipContext;
    }

    /**
     * @param ctx the network: channel mode and addresses, driver, loss injection (the group sets node id, handlers,
     *            image listener, and the data directory unless set).
     * @return this.
     */
    public GroupContext transportContext(final TransportContext ctx)
    {
        this.transportContext = ctx;
        return this;
    }

    /** @return the transport context (created on demand). */
    public TransportContext transportContext()
    {
        if (transportContext == null)
        {
            transportContext = new TransportContext();
        }
        return transportContext;
    }

    /**
     * @param errorHandler for errors on the agent thread; default logs them.
     * @return this.
     */
    public GroupContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /** @return the error handler. */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param filter test hook dropping received frames per sending node (a partition at the membership level);
     *               null (default) for none.
     * @return this.
     */
    public GroupContext frameFilter(final FrameFilter filter)
    {
        this.frameFilter = filter;
        return this;
    }

    /** @return the frame filter, or null. */
    public FrameFilter frameFilter()
    {
        return frameFilter;
    }

    /**
     * @param handler receives the journal catch-up frames (membership schema templates 82-89) in place of the state
     *                machine; null (default): they are ignored.
     * @return this.
     */
    public GroupContext catchUpHandler(final CatchUpFrameHandler handler)
    {
        this.catchUpHandler = handler;
        return this;
    }

    /** @return the catch-up frame handler, or null. */
    public CatchUpFrameHandler catchUpHandler()
    {
        return catchUpHandler;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "GroupContext{nodeId=" + nodeId + " incarnation=" + incarnation + " bootstrap=" + bootstrap +
            " initialMembers=" + Arrays.toString(initialMembers) + " threadingMode=" + threadingMode +
            " dataDir=" + dataDir + "}";
    }
}
