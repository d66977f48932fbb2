package org.omnibus.membership;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.FrameCheck;
import org.omnibus.codec.sbe.membership.AckDecoder;
import org.omnibus.codec.sbe.membership.BooleanType;
import org.omnibus.codec.sbe.membership.FlushAcceptDecoder;
import org.omnibus.codec.sbe.membership.FlushAcceptedDecoder;
import org.omnibus.codec.sbe.membership.FlushRejectDecoder;
import org.omnibus.codec.sbe.membership.FlushRequestDecoder;
import org.omnibus.codec.sbe.membership.FlushStateDecoder;
import org.omnibus.codec.sbe.membership.HeartbeatDecoder;
import org.omnibus.codec.sbe.membership.JoinRefusal;
import org.omnibus.codec.sbe.membership.JoinRefusedDecoder;
import org.omnibus.codec.sbe.membership.JoinRequestDecoder;
import org.omnibus.codec.sbe.membership.LeaveDecoder;
import org.omnibus.codec.sbe.membership.MessageHeaderDecoder;
import org.omnibus.codec.sbe.membership.NodeStatus;
import org.omnibus.codec.sbe.membership.RetransmitRequestDecoder;
import org.omnibus.codec.sbe.membership.SequencedBatchDecoder;
import org.omnibus.codec.sbe.membership.StateRequestDecoder;
import org.omnibus.codec.sbe.membership.StateTransferDecoder;
import org.omnibus.codec.sbe.membership.SubmitBatchDecoder;
import org.omnibus.codec.sbe.membership.ViewInstallDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership and total-order protocol of one node, as a pure deterministic state machine: events in
 * ({@link #onFrame}, {@link #doWork}, {@link #submit}, {@link #leave}), actions out (frames through
 * {@link MembershipOutbound}, deliveries and views through {@link MembershipListener}, snapshots through
 * {@link StateTransferHandler}). No I/O, no threads, no clock reads: time comes in as {@code nowNs} with every
 * event; the only randomness is a seeded {@link SplittableRandom}. One thread drives it.
 *
 * <h2>Ordering in a primary view</h2>
 * The coordinator of a primary view (its first, oldest member) is the sequencer. A node keeps its submissions in an
 * outbox (origin sequences 1, 2, 3, ... per incarnation) and sends them in {@code SubmitBatch} frames to the
 * sequencer; the sequencer stamps the next expected origin sequence of each origin with the next global sequence
 * (dedupe and per-origin FIFO: anything else is dropped and resubmitted by the origin after a timeout) and
 * multicasts {@code SequencedBatch} frames. Members store entries in a ring ({@link EntryLog}) by global sequence,
 * request gaps ({@code RetransmitRequest}, tail gaps revealed by the sequencer's announcements), deliver AGREED
 * entries in order on receipt and SAFE entries once stable, and acknowledge what they hold ({@code Ack}, and every
 * {@code Heartbeat}). The sequencer computes the stable sequence (held by every member) and announces it; entries
 * that are stable and delivered are released, and own submissions that are stable leave the outbox. The sequencer
 * stamps at most {@code window} entries beyond the stable sequence (flow control).
 *
 * <h2>View change (flush)</h2>
 * A view change is one round of Paxos whose ballot is the new view id, deciding the successor of the latest primary
 * view; its acceptors are that view's members. The proposer (the coordinator, or the oldest member that is not
 * suspected, or after a stall the next in rank) sends {@code FlushRequest} to the members it proposes. Each
 * participant promises (refusing lower ballots afterwards), freezes (stops delivering and acknowledging in the old
 * view) and reports in {@code FlushState} its last primary view, how far it holds that view's entries, whether it
 * holds the replicated state, and any value it accepted before. With every participant's report the proposer picks
 * the latest primary view reported; if its participating members are a majority of it (and one holds the state) the
 * new view is primary: its value is the highest-ballot value already accepted for that predecessor, else a new view
 * of all participants whose predecessor ends at the highest sequence any participating member holds. The proposer
 * sends {@code FlushAccept}; each acceptor fetches what it lacks up to that end ("made equal from whoever has most"),
 * then accepts. With a majority of the predecessor accepted (and every accepting member of the new view, or at the
 * deadline) the value is chosen and {@code ViewInstall} teaches it: members deliver everything of the predecessor up
 * to its end (SAFE included), install the view, and resubmit what was not ordered. Members that do not hold the
 * predecessor up to its end (joiners, nodes back from a minority, restarted incarnations) receive a state transfer.
 * Without a majority the participants install a non-primary view and deliver nothing.
 *
 * <h2>Joining, leaving, failures</h2>
 * A node outside any primary view broadcasts {@code JoinRequest} frames whose HMAC-SHA256 tag proves knowledge of
 * the cluster secret; a bad tag is refused ({@code JoinRefused}), counted and logged. The coordinator of a primary
 * view admits joiners with a view change. A member not heard from for the suspicion timeout is suspected and
 * excluded by a view change; a higher incarnation of a member replaces it. A member that sees a newer primary view
 * without being told to install it concludes it was excluded and asks to join again. docs/ARCHITECTURE.md,
 * "Membership protocol", describes the guarantees per delivery level.
 */
public final class Membership
{
    /** {@link #submit}: the outbox is full; try again later. */
    public static final long BACK_PRESSURED = -1;
    /** {@link #submit}: not a member of a primary view and the policy is {@link SubmitPolicy#REJECT}. */
    public static final long NOT_PRIMARY = -2;
    /** {@link #submit}: payload longer than the maximum payload length. */
    public static final long TOO_LARGE = -3;
    /** {@link #submit}: the node is leaving or has left. */
    public static final long CLOSED = -4;

    /** {@link #onFrame}: the frame was processed (it may still have had no effect). */
    public static final int FRAME_HANDLED = 0;
    /** {@link #onFrame}: the frame could not be decoded. */
    public static final int FRAME_MALFORMED = 1;
    /** {@link #onFrame}: the frame belongs to another schema or a newer version. */
    public static final int FRAME_FOREIGN = 2;
    /** {@link #onFrame}: the frame was ignored (own frame, left, stale). */
    public static final int FRAME_IGNORED = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    private static final long NEVER = Peer.NEVER;
    private static final int MAX_RETRANSMIT_FRAMES = 16;
    private static final int MAX_SUBMIT_FRAMES_PER_WORK = 16;
    private static final int MAX_SEQUENCED_FRAMES_PER_WORK = 64;
    private static final int MAX_NAK_RANGE = 4096;
    private static final long MAX_FLUSH_GROWTH = 1L << 22;
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private final int nodeId;
    private final long incarnation;
    private final boolean founder;
    private final View bootstrapView;
    private final long heartbeatIntervalNs;
    private final long suspicionTimeoutNs;
    private final long flushTimeoutNs;
    private final long joinTimeoutNs;
    private final long joinDelayNs;
    private final long retransmitIntervalNs;
    private final long resubmitIntervalNs;
    private final long ackIntervalNs;
    private final long stateRequestIntervalNs;
    private final long leaveTimeoutNs;
    private final int window;
    private final int maxBatchLength;
    private final int maxPayloadLength;
    private final SubmitPolicy submitPolicy;
    private final MembershipOutbound outbound;
    private final MembershipListener listener;
    private final StateTransferHandler stateHandler;
    private final SplittableRandom random;
    private final JoinAuthenticator authenticator;
    private final MembershipCounters counters = new MembershipCounters();

    private final MembershipPublisher publisher;
    private final ExpandableArrayBuffer snapshotBuffer = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final JoinRequestDecoder joinRequestDecoder = new JoinRequestDecoder();
    private final JoinRefusedDecoder joinRefusedDecoder = new JoinRefusedDecoder();
    private final ViewInstallDecoder viewInstallDecoder = new ViewInstallDecoder();
    private final LeaveDecoder leaveDecoder = new LeaveDecoder();
    private final SubmitBatchDecoder submitBatchDecoder = new SubmitBatchDecoder();
    private final SequencedBatchDecoder sequencedBatchDecoder = new SequencedBatchDecoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final RetransmitRequestDecoder retransmitRequestDecoder = new RetransmitRequestDecoder();
    private final FlushRequestDecoder flushRequestDecoder = new FlushRequestDecoder();
    private final FlushStateDecoder flushStateDecoder = new FlushStateDecoder();
    private final FlushRejectDecoder flushRejectDecoder = new FlushRejectDecoder();
    private final FlushAcceptDecoder flushAcceptDecoder = new FlushAcceptDecoder();
    private final FlushAcceptedDecoder flushAcceptedDecoder = new FlushAcceptedDecoder();
    private final StateTransferDecoder stateTransferDecoder = new StateTransferDecoder();
    private final StateRequestDecoder stateRequestDecoder = new StateRequestDecoder();

    private final Int2ObjectHashMap<Peer> peers = new Int2ObjectHashMap<>();
    private final EntryLog log;
    private final Outbox outbox;
    private final OriginTable originTable = new OriginTable();
    private final OriginTable stampTable = new OriginTable();

    private long nowNs;
    private long startNs = NEVER;
    private MembershipState state = MembershipState.JOINING;
    private boolean leaving;
    private long leaveStartNs = NEVER;

    /** The installed view: primary (we are a member) or non-primary, or null. */
    private View installedView;
    /** Last primary view installed (for a founder, the bootstrap pseudo-view before one), or null; its log is kept. */
    private View lastPrimary;
    private boolean hasState;
    /** Learned that a newer primary view does not include this node (cleared by an installation). */
    private boolean excluded;

    private long promisedBallot = View.NONE;
    private long acceptedBallot = View.NONE;
    private View acceptedValue;
    private long maxEpochSeen;

    private long receivedSeq;
    private long highestKnownSeq;
    private long deliveredSeq;
    private long stableSeq;
    private long stableWalkedSeq;
    /**
     * A state transfer as of this sequence said this node's own messages up to {@link #snapshotOwnOriginSeq} were
     * sequenced; they leave the outbox only once that sequence is stable in the view (or a continuous view change
     * agreed on it), because a view change may yet end the view below it and lose them. {@code NEVER} when none.
     */
    private long snapshotReleaseSeq = NEVER;
    private long snapshotOwnOriginSeq;
    /** A state transfer received before this node held every message it covers, installed once it does. */
    private long deferredStateSeq = NEVER;
    private OriginTable deferredStateTable;
    private byte[] deferredState;
    private int deferredStateFrom;

    private boolean sequencerActive;
    private long nextSeq;
    private long batchStartSeq;
    private long[] ackedSeqs = new long[0];
    private long lastAnnouncedStable;
    private long lastAnnounceNs = NEVER;

    private long[] lastHeardInViewNs = new long[0];
    private boolean[] heardSinceInstall = new boolean[0];
    private long lastInstallResendNs = NEVER;

    private long ownSequencedOriginSeq;
    private long ownProgressNs = NEVER;
    private long unsentOriginSeq = 1;

    private long lastHeartbeatNs = NEVER;
    private long lastAckNs = NEVER;
    private long lastAckedSeq = -1;
    private long lastNakNs = NEVER;
    /** When the contiguous received sequence last advanced: gaps are requested only when it stalls. */
    private long receivedProgressNs = NEVER;
    private int nakAttempts;
    private long lastStateRequestNs = NEVER;
    private int stateRequestTarget;
    private long lastLeaveSentNs = NEVER;

    private long primaryHeardNs = NEVER;
    private long newerPrimarySeenNs = NEVER;
    private long newerPrimaryViewId = View.NONE;

    private FlushRound round;
    private List<long[]> retryCandidates;
    private long retryRoundAtNs = NEVER;
    private long nextRoundNotBeforeNs = NEVER;
    private long lastFlushProgressNs = NEVER;
    private long lastRoundActivityNs = NEVER;
    private int currentProposer;
    private long pendingAcceptBallot = View.NONE;
    private View pendingAcceptValue;
    private int pendingAcceptSource;
    private int pendingAcceptProposer;

    /**
     * @param ctx the context (concluded here if it was not).
     */
    public Membership(final MembershipContext ctx)
    {
        ctx.conclude();
        nodeId = ctx.nodeId();
        incarnation = ctx.incarnation();
        final int[] initial = ctx.initialMembers();
        final long[] anyIncarnation = new long[initial.length];
        Arrays.fill(anyIncarnation, View.ANY_INCARNATION);
        bootstrapView = new View(View.BOOTSTRAP_VIEW_ID, View.NONE, 0, true, initial, anyIncarnation);
        founder = ctx.bootstrap() && bootstrapView.indexOf(nodeId) >= 0;
        heartbeatIntervalNs = ctx.heartbeatIntervalNs();
        suspicionTimeoutNs = ctx.suspicionTimeoutNs();
        flushTimeoutNs = ctx.flushTimeoutNs();
        joinTimeoutNs = ctx.joinTimeoutNs();
        joinDelayNs = ctx.joinDelayNs();
        retransmitIntervalNs = ctx.retransmitIntervalNs();
        resubmitIntervalNs = ctx.resubmitIntervalNs();
        ackIntervalNs = ctx.ackIntervalNs();
        stateRequestIntervalNs = ctx.stateRequestIntervalNs();
        leaveTimeoutNs = ctx.leaveTimeoutNs();
        window = ctx.window();
        maxBatchLength = ctx.maxBatchLength();
        maxPayloadLength = ctx.maxPayloadLength();
        submitPolicy = ctx.submitPolicy();
        outbound = ctx.outbound();
        listener = ctx.listener();
        stateHandler = ctx.stateTransferHandler();
        random = new SplittableRandom(ctx.randomSeed());
        authenticator = new JoinAuthenticator(ctx.clusterSecret());
        log = new EntryLog(ctx.logCapacity());
        outbox = new Outbox(ctx.outboxCapacity());
        publisher = new MembershipPublisher(nodeId, incarnation, outbound, counters, authenticator,
            maxBatchLength + 4096);
        lastPrimary = founder ? bootstrapView : null;
        hasState = founder;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Start: announce this node (a join request) and arm the timers. Call once, before the other events.
     *
     * @param nowNs current time.
     */
    public void start(final long nowNs)
    {
        this.nowNs = nowNs;
        startNs = nowNs;
        lastHeartbeatNs = nowNs;
        lastRoundActivityNs = nowNs;
        sendJoinRequest();
    }

    /**
     * A frame arrived from the network (any stream; own frames looped back by multicast are ignored).
     *
     * @param buffer holding the frame.
     * @param offset of the frame (its SBE message header).
     * @param length of the frame.
     * @param nowNs  current time.
     * @return {@link #FRAME_HANDLED}, {@link #FRAME_MALFORMED}, {@link #FRAME_FOREIGN} or {@link #FRAME_IGNORED}.
     */
    public int onFrame(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        if (state == MembershipState.LEFT)
        {
            return FRAME_IGNORED;
        }
        advanceClock(nowNs);
        counters.framesReceived++;
        final int check = FrameCheck.check(
            buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, MessageHeaderDecoder.SCHEMA_VERSION);
        if (check != FrameCheck.OK)
        {
            if (check == FrameCheck.TOO_SHORT)
            {
                counters.framesMalformed++;
                return FRAME_MALFORMED;
            }
            counters.framesForeign++;
            return FRAME_FOREIGN;
        }
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int body = offset + HEADER_LENGTH;
        final int bodyLength = length - HEADER_LENGTH;
        try
        {
            switch (templateId)
            {
                case HeartbeatDecoder.TEMPLATE_ID:
                    heartbeatDecoder.wrap(buffer, body, blockLength, version);
                    return onHeartbeat();
                case JoinRequestDecoder.TEMPLATE_ID:
                    joinRequestDecoder.wrap(buffer, body, blockLength, version);
                    return onJoinRequest(buffer, offset, body);
                case JoinRefusedDecoder.TEMPLATE_ID:
                    joinRefusedDecoder.wrap(buffer, body, blockLength, version);
                    return onJoinRefused();
                case ViewInstallDecoder.TEMPLATE_ID:
                    viewInstallDecoder.wrap(buffer, body, blockLength, version);
                    return fits(viewInstallDecoder.sbeDecodedLength(), bodyLength) ? onViewInstall() : malformed();
                case LeaveDecoder.TEMPLATE_ID:
                    leaveDecoder.wrap(buffer, body, blockLength, version);
                    return onLeave();
                case SubmitBatchDecoder.TEMPLATE_ID:
                    submitBatchDecoder.wrap(buffer, body, blockLength, version);
                    return fits(submitBatchDecoder.sbeDecodedLength(), bodyLength) ? onSubmitBatch() : malformed();
                case SequencedBatchDecoder.TEMPLATE_ID:
                    sequencedBatchDecoder.wrap(buffer, body, blockLength, version);
                    return fits(sequencedBatchDecoder.sbeDecodedLength(), bodyLength) ?
                        onSequencedBatch() : malformed();
                case AckDecoder.TEMPLATE_ID:
                    ackDecoder.wrap(buffer, body, blockLength, version);
                    return onAck();
                case RetransmitRequestDecoder.TEMPLATE_ID:
                    retransmitRequestDecoder.wrap(buffer, body, blockLength, version);
                    return onRetransmitRequest();
                case FlushRequestDecoder.TEMPLATE_ID:
                    flushRequestDecoder.wrap(buffer, body, blockLength, version);
                    return fits(flushRequestDecoder.sbeDecodedLength(), bodyLength) ? onFlushRequest() : malformed();
                case FlushStateDecoder.TEMPLATE_ID:
                    flushStateDecoder.wrap(buffer, body, blockLength, version);
                    return fits(flushStateDecoder.sbeDecodedLength(), bodyLength) ? onFlushState() : malformed();
                case FlushRejectDecoder.TEMPLATE_ID:
                    flushRejectDecoder.wrap(buffer, body, blockLength, version);
                    return onFlushReject();
                case FlushAcceptDecoder.TEMPLATE_ID:
                    flushAcceptDecoder.wrap(buffer, body, blockLength, version);
                    return fits(flushAcceptDecoder.sbeDecodedLength(), bodyLength) ? onFlushAccept() : malformed();
                case FlushAcceptedDecoder.TEMPLATE_ID:
                    flushAcceptedDecoder.wrap(buffer, body, blockLength, version);
                    return onFlushAccepted();
                case StateTransferDecoder.TEMPLATE_ID:
                    stateTransferDecoder.wrap(buffer, body, blockLength, version);
                    return fits(stateTransferDecoder.sbeDecodedLength(), bodyLength) ? onStateTransfer() : malformed();
                case StateRequestDecoder.TEMPLATE_ID:
                    stateRequestDecoder.wrap(buffer, body, blockLength, version);
                    return onStateRequest();
                default:
                    return FRAME_IGNORED;
            }
        }
        catch (final IndexOutOfBoundsException | IllegalArgumentException | IllegalStateException ex)
        {
            return malformed();
        }
    }

    /**
     * Run timers and send what is pending (batches, acknowledgements, heartbeats, retransmission requests, rounds).
     * Call it after every batch of frames and periodically (at least every few milliseconds); the glue calls it
     * once per duty cycle.
     *
     * @param nowNs current time.
     * @return amount of work done (0 when idle).
     */
    public int doWork(final long nowNs)
    {
        if (state == MembershipState.LEFT)
        {
            return 0;
        }
        advanceClock(nowNs);
        if (startNs == NEVER)
        {
            start(this.nowNs);
        }
        int work = 0;
        work += livenessTick();
        work += leaveTick();
        if (state == MembershipState.LEFT)
        {
            return work;
        }
        work += exclusionTick();
        work += membershipTick();
        work += orderingTick();
        return work;
    }

    /**
     * A hint from the transport that a node cannot be heard any more (e.g. its Aeron image became unavailable): if
     * it is a member of the installed view it is suspected at once instead of after the suspicion timeout.
     *
     * @param nodeId the node.
     * @param nowNs  current time.
     */
    public void onPeerUnreachable(final int nodeId, final long nowNs)
    {
        advanceClock(nowNs);
        if (nodeId == this.nodeId || installedView == null || state == MembershipState.LEFT)
        {
            return;
        }
        final int index = installedView.indexOf(nodeId);
        if (index >= 0 && index < lastHeardInViewNs.length)
        {
            lastHeardInViewNs[index] = NEVER;
        }
        final Peer peer = peers.get(nodeId);
        if (peer != null)
        {
            peer.lastHeardNs = NEVER;
        }
    }

    /**
     * Submit a message to be ordered. It is kept until it is stable (or, outside a primary view with the WAIT policy,
     * until the node is in a primary view again) and sent at the next {@link #doWork}.
     *
     * @param level  delivery level.
     * @param buffer holding the payload (copied).
     * @param offset of the payload.
     * @param length of the payload.
     * @return the message's origin sequence (> 0), or {@link #BACK_PRESSURED}, {@link #NOT_PRIMARY},
     * {@link #TOO_LARGE}, {@link #CLOSED}.
     */
    public long submit(final DeliveryLevel level, final DirectBuffer buffer, final int offset, final int length)
    {
        if (state == MembershipState.LEFT || leaving)
        {
            counters.submitRejected++;
            return CLOSED;
        }
        if (length > maxPayloadLength)
        {
            counters.submitRejected++;
            return TOO_LARGE;
        }
        if (submitPolicy == SubmitPolicy.REJECT && !inPrimaryView())
        {
            counters.submitRejected++;
            return NOT_PRIMARY;
        }
        if (outbox.isFull())
        {
            counters.submitBackPressured++;
            return BACK_PRESSURED;
        }
        counters.submitted++;
        return outbox.add((byte)level.code(), buffer, offset, length);
    }

    /**
     * Leave the group: stop accepting submissions, wait (bounded) until own submissions are stable, ask to be
     * excluded, and move to {@link MembershipState#LEFT} when a view without this node is installed (or after the
     * leave timeout).
     *
     * @param nowNs current time.
     */
    public void leave(final long nowNs)
    {
        advanceClock(nowNs);
        if (leaving || state == MembershipState.LEFT)
        {
            return;
        }
        leaving = true;
        leaveStartNs = this.nowNs;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Queries
    // ------------------------------------------------------------------------------------------------------------

    /** @return this node's id. */
    public int nodeId()
    {
        return nodeId;
    }

    /** @return this node's incarnation. */
    public long incarnation()
    {
        return incarnation;
    }

    /** @return the current state. */
    public MembershipState state()
    {
        return state;
    }

    /** @return the installed view (primary or non-primary), or null. */
    public View view()
    {
        return installedView;
    }

    /** @return the last primary view installed, or null (the bootstrap pseudo-view for a founder before the first). */
    public View lastPrimaryView()
    {
        return lastPrimary;
    }

    /** @return whether the node is a member of an installed primary view (OPERATIONAL, or FLUSHING out of one). */
    public boolean inPrimaryView()
    {
        return installedView != null && installedView.isPrimary();
    }

    /** @return whether the node holds the replicated state (false while it waits for a state transfer). */
    public boolean hasState()
    {
        return hasState;
    }

    /** @return whether {@link #leave} was called. */
    public boolean isLeaving()
    {
        return leaving;
    }

    /** @return highest global sequence delivered. */
    public long deliveredSeq()
    {
        return deliveredSeq;
    }

    /** @return highest contiguous global sequence held. */
    public long receivedSeq()
    {
        return receivedSeq;
    }

    /** @return highest sequence known stable. */
    public long stableSeq()
    {
        return stableSeq;
    }

    /** @return whether every own submission is stable (the outbox is empty). */
    public boolean isOutboxEmpty()
    {
        return outbox.isEmpty();
    }

    /** @return the highest ballot this node promised. */
    public long promisedBallot()
    {
        return promisedBallot;
    }

    /** @return the value this node accepted for the successor of its last primary view, or null. */
    public View acceptedValue()
    {
        return acceptedValue;
    }

    /** @return the counters. */
    public MembershipCounters counters()
    {
        return counters;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "Membership{node=" + nodeId + "/" + incarnation + " " + state + (leaving ? " leaving" : "") +
            " view=" + installedView + " lastPrimary=" + (lastPrimary == null ? "none" : lastPrimary.viewId()) +
            " received=" + receivedSeq + " delivered=" + deliveredSeq + " stable=" + stableSeq +
            " hasState=" + hasState + " promised=" + promisedBallot + "}";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Membership: heartbeats, joins, leaves
    // ------------------------------------------------------------------------------------------------------------

    private int onHeartbeat()
    {
        final HeartbeatDecoder d = heartbeatDecoder;
        final int from = d.nodeId();
        final long inc = d.incarnation();
        if (from == nodeId)
        {
            return FRAME_IGNORED;
        }
        final Peer peer = touch(from, inc);
        if (peer == null)
        {
            return FRAME_IGNORED;
        }
        final long viewId = d.viewId();
        final NodeStatus status = d.status();
        peer.inPrimary = true;
        peer.viewId = viewId;
        observeEpoch(viewId);
        final long lastPrimaryId = lastPrimaryViewId();
        if (viewId >= lastPrimaryId && (status == NodeStatus.OPERATIONAL || status == NodeStatus.FLUSHING))
        {
            primaryHeardNs = nowNs;
        }
        if (inPrimaryView() && viewId == installedView.viewId())
        {
            final int index = installedView.indexOf(from, inc);
            if (index < 0)
            {
                return FRAME_IGNORED;
            }
            heardInView(index);
            if (status == NodeStatus.OPERATIONAL)
            {
                if (sequencerActive)
                {
                    onProgress(index, d.receivedSeq());
                }
                else if (index == 0 && state == MembershipState.OPERATIONAL)
                {
                    onSequencerAnnouncement(d.highestSeq(), d.stableSeq());
                }
            }
        }
        else if (viewId > lastPrimaryId && inPrimaryView() && status != NodeStatus.LEAVING)
        {
            if (viewId > newerPrimaryViewId)
            {
                newerPrimaryViewId = viewId;
                if (newerPrimarySeenNs == NEVER)
                {
                    newerPrimarySeenNs = nowNs;
                }
            }
        }
        else if (lagsBehind(from, inc, viewId))
        {
            teach(peer);
        }
        return FRAME_HANDLED;
    }

    private int onJoinRequest(final DirectBuffer buffer, final int frameOffset, final int body)
    {
        final JoinRequestDecoder d = joinRequestDecoder;
        final int from = d.nodeId();
        final long inc = d.incarnation();
        if (from == nodeId)
        {
            return FRAME_IGNORED;
        }
        if (!authenticator.verify(buffer, frameOffset, body + JoinRequestDecoder.authTagEncodingOffset()))
        {
            counters.joinRefusedBadAuthentication++;
            final long refused = counters.joinRefusedBadAuthentication;
            if (Long.bitCount(refused) == 1)
            {
                LOG.warn("node {}: refused a join request of node {} incarnation {}: bad authentication tag " +
                    "(not the cluster secret); {} refused so far", nodeId, from, inc, refused);
            }
            sendJoinRefused(from, inc, JoinRefusal.BAD_AUTHENTICATION);
            return FRAME_HANDLED;
        }
        final Peer known = peers.get(from);
        if (known != null && inc < known.incarnation)
        {
            counters.joinRefusedStaleIncarnation++;
            sendJoinRefused(from, inc, JoinRefusal.STALE_INCARNATION);
            return FRAME_HANDLED;
        }
        final Peer peer = touch(from, inc);
        peer.authenticated = true;
        peer.inPrimary = false;
        peer.lastJoinRequestNs = nowNs;
        peer.viewId = d.viewId();
        peer.lastPrimaryViewId = d.lastPrimaryViewId();
        observeEpoch(d.viewId());
        observeEpoch(d.lastPrimaryViewId());
        if (lagsBehind(from, inc, d.lastPrimaryViewId()))
        {
            teach(peer);
        }
        if (isActiveCoordinator())
        {
            final int index = installedView.indexOf(from);
            if (index >= 0 && installedView.memberIncarnation(index) == inc)
            {
                resendInstall(peer);
            }
            else
            {
                if (index >= 0 && installedView.memberIncarnation(index) < inc)
                {
                    lastHeardInViewNs[index] = NEVER;
                }
                if (peer.joinFirstSeenNs == NEVER)
                {
                    peer.joinFirstSeenNs = nowNs;
                }
            }
        }
        return FRAME_HANDLED;
    }

    private int onJoinRefused()
    {
        final JoinRefusedDecoder d = joinRefusedDecoder;
        if (d.targetNode() == nodeId && d.targetIncarnation() == incarnation)
        {
            LOG.warn("node {}: join refused by node {}: {}", nodeId, d.nodeId(), d.reason());
        }
        return FRAME_HANDLED;
    }

    private int onLeave()
    {
        final LeaveDecoder d = leaveDecoder;
        final int from = d.nodeId();
        if (from == nodeId)
        {
            return FRAME_IGNORED;
        }
        final Peer peer = touch(from, d.incarnation());
        if (peer == null)
        {
            return FRAME_IGNORED;
        }
        peer.leaving = true;
        return FRAME_HANDLED;
    }

    private int livenessTick()
    {
        if (nowNs - lastHeartbeatNs < heartbeatIntervalNs)
        {
            return 0;
        }
        lastHeartbeatNs = nowNs;
        if (inPrimaryView())
        {
            sendHeartbeat();
        }
        else
        {
            sendJoinRequest();
        }
        return 1;
    }

    private int leaveTick()
    {
        if (!leaving)
        {
            return 0;
        }
        // Leaving outside a primary view is clean only if this node belongs to no primary view that might still
        // count on it: it never was in one, or it learned it was excluded. Otherwise it waits for its exclusion (or
        // the timeout: then its departure is a crash for the others).
        final boolean clean = !inPrimaryView() && round == null &&
            (lastPrimary == null || lastPrimary == bootstrapView || excluded);
        if (nowNs - leaveStartNs > leaveTimeoutNs || clean)
        {
            becomeLeft();
            return 1;
        }
        if (state == MembershipState.OPERATIONAL &&
            (outbox.isEmpty() || nowNs - leaveStartNs > leaveTimeoutNs / 2) &&
            nowNs - lastLeaveSentNs >= heartbeatIntervalNs)
        {
            lastLeaveSentNs = nowNs;
            sendLeave();
            return 1;
        }
        return 0;
    }

    private boolean readyToLeave()
    {
        return leaving && (outbox.isEmpty() || nowNs - leaveStartNs > leaveTimeoutNs / 2);
    }

    private int exclusionTick()
    {
        if (newerPrimarySeenNs == NEVER)
        {
            return 0;
        }
        if (!inPrimaryView() || newerPrimaryViewId <= installedView.viewId())
        {
            newerPrimarySeenNs = NEVER;
            return 0;
        }
        if (nowNs - newerPrimarySeenNs > suspicionTimeoutNs)
        {
            LOG.info("node {}: a newer primary view {} exists without this node; leaving view {}",
                nodeId, newerPrimaryViewId, installedView.viewId());
            becomeExcluded();
            return 1;
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------------------------
    // View change: deciding when to propose
    // ------------------------------------------------------------------------------------------------------------

    private int membershipTick()
    {
        if (round != null)
        {
            return roundTick();
        }
        if (retryCandidates != null)
        {
            if (state == MembershipState.OPERATIONAL || state == MembershipState.LEFT)
            {
                retryCandidates = null;
            }
            else if (nowNs >= retryRoundAtNs)
            {
                final List<long[]> candidates = retryCandidates;
                retryCandidates = null;
                startRoundWith(candidates);
                return 1;
            }
            else
            {
                return 0;
            }
        }
        if (nowNs < nextRoundNotBeforeNs)
        {
            return 0;
        }
        switch (state)
        {
            case OPERATIONAL:
                return operationalTick();
            case FLUSHING:
                return flushingTick();
            case JOINING:
            case NON_PRIMARY:
                return nonPrimaryTick();
            default:
                return 0;
        }
    }

    private boolean alive(final int index)
    {
        return installedView.memberId(index) == nodeId || nowNs - lastHeardInViewNs[index] <= suspicionTimeoutNs;
    }

    private int operationalTick()
    {
        final View view = installedView;
        int first = -1;
        boolean suspected = false;
        for (int i = 0; i < view.size(); i++)
        {
            if (alive(i))
            {
                if (first < 0)
                {
                    first = i;
                }
            }
            else
            {
                suspected = true;
            }
        }
        if (first < 0 || view.memberId(first) != nodeId)
        {
            return 0;
        }
        boolean settled = true;
        for (int i = 0; i < view.size(); i++)
        {
            settled &= heardSinceInstall[i];
        }
        boolean changes = suspected;
        if (settled && !changes)
        {
            changes = readyToLeave() || hasPendingJoiner();
            for (int i = 0; i < view.size() && !changes; i++)
            {
                final Peer peer = peers.get(view.memberId(i));
                changes = peer != null && peer.leaving && peer.incarnation == view.memberIncarnation(i);
            }
        }
        if (!changes)
        {
            return 0;
        }
        final List<Peer> joiners = settled ? pendingJoiners() : new ArrayList<>(0);
        final int[] ids = new int[view.size() + joiners.size()];
        final long[] incs = new long[ids.length];
        final boolean[] leavingFlags = new boolean[ids.length];
        int n = 0;
        for (int i = 0; i < view.size(); i++)
        {
            if (alive(i) || reachableMember(view.memberId(i), view.memberIncarnation(i)))
            {
                ids[n] = view.memberId(i);
                incs[n] = view.memberIncarnation(i);
                leavingFlags[n] = isLeavingMember(ids[n], incs[n]);
                n++;
            }
        }
        for (final Peer joiner : joiners)
        {
            ids[n] = joiner.nodeId;
            incs[n] = joiner.incarnation;
            n++;
        }
        startRound(Arrays.copyOf(ids, n), Arrays.copyOf(incs, n), Arrays.copyOf(leavingFlags, n));
        return 1;
    }

    private boolean isLeavingMember(final int id, final long inc)
    {
        if (id == nodeId)
        {
            return readyToLeave();
        }
        final Peer peer = peers.get(id);
        return peer != null && peer.leaving && peer.incarnation == inc;
    }

    /**
     * A member not heard in the view (it sends join requests: it believes it was excluded) but heard recently: it can
     * take part in the next round instead of being excluded and admitted again.
     */
    private boolean reachableMember(final int id, final long inc)
    {
        final Peer peer = peers.get(id);
        return peer != null && peer.incarnation == inc && nowNs - peer.lastJoinRequestNs <= suspicionTimeoutNs;
    }

    private boolean hasPendingJoiner()
    {
        final Int2ObjectHashMap<Peer>.ValueIterator it = peers.values().iterator();
        while (it.hasNext())
        {
            final Peer peer = it.next();
            if (isPendingJoiner(peer))
            {
                return true;
            }
        }
        return false;
    }

    private boolean isPendingJoiner(final Peer peer)
    {
        return peer.authenticated && !peer.inPrimary && peer.joinFirstSeenNs != NEVER &&
            nowNs - peer.lastJoinRequestNs <= suspicionTimeoutNs && nowNs - peer.joinFirstSeenNs >= joinDelayNs &&
            !installedView.contains(peer.nodeId, peer.incarnation);
    }

    private List<Peer> pendingJoiners()
    {
        final List<Peer> joiners = new ArrayList<>(0);
        final Int2ObjectHashMap<Peer>.ValueIterator it = peers.values().iterator();
        while (it.hasNext())
        {
            final Peer peer = it.next();
            if (isPendingJoiner(peer))
            {
                joiners.add(peer);
            }
        }
        joiners.sort((a, b) -> Integer.compare(a.nodeId, b.nodeId));
        return joiners;
    }

    /**
     * Self and the authenticated peers heard recently, ordered by priority (members of the last primary view in its
     * order, then the others by node id).
     */
    private List<long[]> aliveCandidates(final boolean excludeOtherPrimaries)
    {
        final List<long[]> list = new ArrayList<>();
        list.add(new long[]{ nodeId, incarnation, priority(nodeId, incarnation) });
        final Int2ObjectHashMap<Peer>.ValueIterator it = peers.values().iterator();
        final long lastPrimaryId = lastPrimaryViewId();
        while (it.hasNext())
        {
            final Peer peer = it.next();
            if (!peer.authenticated || nowNs - peer.lastHeardNs > suspicionTimeoutNs)
            {
                continue;
            }
            if (excludeOtherPrimaries && peer.inPrimary && peer.viewId != lastPrimaryId)
            {
                continue;
            }
            list.add(new long[]{ peer.nodeId, peer.incarnation, priority(peer.nodeId, peer.incarnation) });
        }
        list.sort((a, b) -> a[2] != b[2] ? Long.compare(a[2], b[2]) : Long.compare(a[0], b[0]));
        return list;
    }

    private long priority(final int id, final long inc)
    {
        if (lastPrimary != null)
        {
            final int index = lastPrimary.indexOf(id, inc);
            if (index >= 0)
            {
                return index;
            }
        }
        return (long)Integer.MAX_VALUE + id;
    }

    private void startRoundWith(final List<long[]> candidates)
    {
        final int n = candidates.size();
        final int[] ids = new int[n];
        final long[] incs = new long[n];
        final boolean[] leavingFlags = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = (int)candidates.get(i)[0];
            incs[i] = candidates.get(i)[1];
            leavingFlags[i] = isLeavingMember(ids[i], incs[i]);
        }
        startRound(ids, incs, leavingFlags);
    }

    private int flushingTick()
    {
        if (pendingAcceptValue != null)
        {
            pendingAcceptTick();
        }
        if (nowNs - lastFlushProgressNs <= flushTimeoutNs)
        {
            return 0;
        }
        final List<long[]> candidates = aliveCandidates(true);
        int rank = 0;
        for (int i = 0; i < candidates.size(); i++)
        {
            if (candidates.get(i)[0] == nodeId)
            {
                rank = i;
            }
        }
        if (nowNs - lastFlushProgressNs <= flushTimeoutNs * (1 + rank))
        {
            return 0;
        }
        startRoundWith(candidates);
        return 1;
    }

    private int nonPrimaryTick()
    {
        if (nowNs - startNs < joinTimeoutNs || nowNs - primaryHeardNs <= suspicionTimeoutNs)
        {
            return 0;
        }
        final List<long[]> all = aliveCandidates(false);
        final List<long[]> candidates = new ArrayList<>();
        for (final long[] c : all)
        {
            final Peer peer = peers.get((int)c[0]);
            if (c[0] == nodeId || peer == null || !peer.inPrimary)
            {
                candidates.add(c);
            }
        }
        candidates.sort((a, b) -> Long.compare(a[0], b[0]));
        int rank = 0;
        for (int i = 0; i < candidates.size(); i++)
        {
            if (candidates.get(i)[0] == nodeId)
            {
                rank = i;
            }
        }
        if (rank > 0 && nowNs - lastRoundActivityNs <= flushTimeoutNs * (1 + rank))
        {
            return 0;
        }
        if (installedView != null && !installedView.isPrimary() && sameMembers(installedView, candidates))
        {
            return 0;
        }
        startRoundWith(candidates);
        return 1;
    }

    private static boolean sameMembers(final View view, final List<long[]> candidates)
    {
        if (view.size() != candidates.size())
        {
            return false;
        }
        for (final long[] c : candidates)
        {
            if (!view.contains((int)c[0], c[1]))
            {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------------------
    // View change: the proposer
    // ------------------------------------------------------------------------------------------------------------

    private void startRound(final int[] ids, final long[] incs, final boolean[] leavingFlags)
    {
        final long epoch = Math.max(Math.max(maxEpochSeen, View.epoch(promisedBallot)),
            View.epoch(lastPrimaryViewId())) + 1;
        final long ballot = View.ballot(epoch, nodeId);
        maxEpochSeen = epoch;
        counters.roundsStarted++;
        final FlushRound r = new FlushRound(ballot, ids, incs, leavingFlags);
        round = r;
        promise(ballot, nodeId);
        r.deadlineNs = nowNs + flushTimeoutNs;
        r.lastSendNs = nowNs;
        lastRoundActivityNs = nowNs;
        final int self = r.indexOf(nodeId, incarnation);
        if (self >= 0)
        {
            r.report(self, lastPrimaryViewId(), lastPrimary, lastPrimaryReceivedSeq(), hasState, acceptedBallot,
                acceptedValue);
        }
        if (LOG.isDebugEnabled())
        {
            LOG.debug("node {}: round {} with {}", nodeId, ballot, Arrays.toString(ids));
        }
        sendFlushRequest(r);
        if (r.allReported())
        {
            decide();
        }
    }

    private int roundTick()
    {
        final FlushRound r = round;
        if (r.phase == FlushRound.PREPARE)
        {
            if (nowNs >= r.deadlineNs)
            {
                final List<long[]> responders = new ArrayList<>();
                for (int i = 0; i < r.size; i++)
                {
                    if (r.reported[i])
                    {
                        responders.add(new long[]{ r.ids[i], r.incarnations[i] });
                    }
                }
                round = null;
                startRoundWith(responders);
                return 1;
            }
            if (nowNs - r.lastSendNs >= retransmitIntervalNs)
            {
                r.lastSendNs = nowNs;
                sendFlushRequest(r);
                return 1;
            }
            return 0;
        }
        if (pendingAcceptValue != null)
        {
            pendingAcceptTick();
        }
        if (round != r)
        {
            return 1;
        }
        if (checkChosen())
        {
            return 1;
        }
        if (nowNs >= r.deadlineNs)
        {
            final List<long[]> alive = new ArrayList<>();
            for (int i = 0; i < r.size; i++)
            {
                final Peer peer = peers.get(r.ids[i]);
                if (r.ids[i] == nodeId || (peer != null && peer.incarnation == r.incarnations[i] &&
                    nowNs - peer.lastHeardNs <= suspicionTimeoutNs && (!r.acceptor[i] || r.accepted[i])))
                {
                    alive.add(new long[]{ r.ids[i], r.incarnations[i] });
                }
            }
            round = null;
            startRoundWith(alive);
            return 1;
        }
        if (nowNs - r.lastSendNs >= retransmitIntervalNs)
        {
            r.lastSendNs = nowNs;
            sendFlushAccept(r);
            return 1;
        }
        return 0;
    }

    private int onFlushState()
    {
        final FlushStateDecoder d = flushStateDecoder;
        final int from = d.nodeId();
        final long inc = d.incarnation();
        if (from == nodeId || touch(from, inc) == null)
        {
            return FRAME_IGNORED;
        }
        final FlushRound r = round;
        if (r == null || r.phase != FlushRound.PREPARE || d.ballot() != r.ballot)
        {
            counters.framesStale++;
            return FRAME_IGNORED;
        }
        final int index = r.indexOf(from, inc);
        if (index < 0)
        {
            return FRAME_IGNORED;
        }
        final long lastPrimaryId = d.lastPrimaryViewId();
        final long received = d.receivedSeq();
        d.deliveredSeq();
        final boolean state = d.hasState() == BooleanType.TRUE;
        final long accBallot = d.acceptedBallot();
        final long accViewId = d.acceptedViewId();
        final long accEndSeq = d.acceptedEndSeq();
        if (d.leaving() == BooleanType.TRUE)
        {
            r.leaving[index] = true;
        }
        final FlushStateDecoder.LastPrimaryMembersDecoder lpMembers = d.lastPrimaryMembers();
        final int[] lpIds = new int[lpMembers.count()];
        final long[] lpIncs = new long[lpIds.length];
        for (int i = 0; i < lpIds.length; i++)
        {
            lpMembers.next();
            lpIds[i] = lpMembers.nodeId();
            lpIncs[i] = lpMembers.incarnation();
        }
        final FlushStateDecoder.AcceptedMembersDecoder accMembers = d.acceptedMembers();
        final int[] accIds = new int[accMembers.count()];
        final long[] accIncs = new long[accIds.length];
        for (int i = 0; i < accIds.length; i++)
        {
            accMembers.next();
            accIds[i] = accMembers.nodeId();
            accIncs[i] = accMembers.incarnation();
        }
        observeEpoch(lastPrimaryId);
        observeEpoch(accBallot);
        if (lagsBehind(from, inc, lastPrimaryId))
        {
            teach(peers.get(from));
        }
        final View lpView;
        if (lastPrimaryId == View.BOOTSTRAP_VIEW_ID)
        {
            lpView = bootstrapView;
        }
        else if (lastPrimaryId > 0 && lpIds.length > 0)
        {
            lpView = new View(lastPrimaryId, View.NONE, -1, true, lpIds, lpIncs);
        }
        else
        {
            lpView = null;
        }
        final View accepted = accBallot >= 0 && accIds.length > 0 ?
            new View(accViewId, lastPrimaryId, accEndSeq, true, accIds, accIncs) : null;
        r.report(index, lpView == null ? View.NONE : lastPrimaryId, lpView, received, state,
            accepted == null ? View.NONE : accBallot, accepted);
        if (r.allReported())
        {
            decide();
        }
        return FRAME_HANDLED;
    }

    private void decide()
    {
        final FlushRound r = round;
        long predecessorId = View.NONE;
        View predecessor = null;
        for (int i = 0; i < r.size; i++)
        {
            if (r.lastPrimaryViewIds[i] > predecessorId && r.lastPrimaryViews[i] != null)
            {
                predecessorId = r.lastPrimaryViewIds[i];
                predecessor = r.lastPrimaryViews[i];
            }
        }
        int acceptors = 0;
        boolean anyState = false;
        long endSeq = -1;
        int source = -1;
        for (int i = 0; i < r.size; i++)
        {
            r.acceptor[i] = predecessor != null && r.lastPrimaryViewIds[i] == predecessorId &&
                predecessor.contains(r.ids[i], r.incarnations[i]);
            if (r.acceptor[i])
            {
                acceptors++;
                anyState |= r.hasState[i];
                if (r.receivedSeqs[i] > endSeq)
                {
                    endSeq = r.receivedSeqs[i];
                    source = r.ids[i];
                }
            }
        }
        int stayers = 0;
        for (int i = 0; i < r.size; i++)
        {
            stayers += r.leaving[i] ? 0 : 1;
        }
        if (stayers == 0)
        {
            // Everyone in the round is leaving. If they are the primary component (a majority of it), the group
            // dissolves and nobody depends on them; otherwise they wait for their exclusion like any leaver.
            round = null;
            if (leaving && predecessor != null && predecessor.isMajority(acceptors))
            {
                becomeLeft();
            }
            else
            {
                lastFlushProgressNs = nowNs;
            }
            return;
        }
        if (predecessor != null && predecessor == lastPrimary && !predecessor.isMajority(acceptors))
        {
            int learners = 0;
            for (int i = 0; i < r.size; i++)
            {
                if (!r.acceptor[i] && r.lastPrimaryViewIds[i] < predecessorId &&
                    predecessor.contains(r.ids[i], r.incarnations[i]))
                {
                    learners++;
                }
            }
            if (learners > 0 && predecessor.isMajority(acceptors + learners))
            {
                // Members of the latest primary view missed its installation: teach them (onFlushState did) and
                // run the round again once they have installed it, rather than settle for a non-primary view.
                round = null;
                retryCandidates = new ArrayList<>();
                for (int i = 0; i < r.size; i++)
                {
                    retryCandidates.add(new long[]{ r.ids[i], r.incarnations[i] });
                }
                retryRoundAtNs = nowNs + 2 * retransmitIntervalNs;
                return;
            }
        }
        if (predecessor == null || !predecessor.isMajority(acceptors) || !anyState)
        {
            round = null;
            final View value = new View(r.ballot, View.NONE, -1, false, stayerIds(r), stayerIncs(r));
            if (LOG.isDebugEnabled())
            {
                LOG.debug("node {}: round {} has no majority of {}: {}", nodeId, r.ballot, predecessor, value);
            }
            sendViewInstall(-1, value);
            onInstallNonPrimary(value);
            return;
        }
        View adopted = null;
        long adoptedBallot = View.NONE;
        for (int i = 0; i < r.size; i++)
        {
            if (r.acceptor[i] && r.acceptedValues[i] != null && r.acceptedBallots[i] > adoptedBallot &&
                r.acceptedValues[i].predecessorViewId() == predecessorId)
            {
                adopted = r.acceptedValues[i];
                adoptedBallot = r.acceptedBallots[i];
            }
        }
        final View value;
        if (adopted != null)
        {
            value = adopted;
        }
        else
        {
            final Integer[] order = orderForNewView(r, predecessor);
            final int[] ids = new int[order.length];
            final long[] incs = new long[order.length];
            for (int i = 0; i < order.length; i++)
            {
                ids[i] = r.ids[order[i]];
                incs[i] = r.incarnations[order[i]];
            }
            value = new View(r.ballot, predecessorId, endSeq, true, ids, incs);
        }
        r.phase = FlushRound.ACCEPT;
        r.value = value;
        r.predecessor = predecessor;
        r.sourceNode = source;
        r.deadlineNs = nowNs + flushTimeoutNs;
        r.lastSendNs = nowNs;
        if (LOG.isDebugEnabled())
        {
            LOG.debug("node {}: round {} proposes {} (source {})", nodeId, r.ballot, value, source);
        }
        sendFlushAccept(r);
        final int self = r.indexOf(nodeId, incarnation);
        if (self >= 0 && r.acceptor[self])
        {
            onAcceptRequest(r.ballot, value, source, nodeId);
        }
        if (round == r)
        {
            checkChosen();
        }
    }

    private static int[] stayerIds(final FlushRound r)
    {
        int n = 0;
        final int[] ids = new int[r.size];
        for (int i = 0; i < r.size; i++)
        {
            if (!r.leaving[i])
            {
                ids[n++] = r.ids[i];
            }
        }
        return Arrays.copyOf(ids, n);
    }

    private static long[] stayerIncs(final FlushRound r)
    {
        int n = 0;
        final long[] incs = new long[r.size];
        for (int i = 0; i < r.size; i++)
        {
            if (!r.leaving[i])
            {
                incs[n++] = r.incarnations[i];
            }
        }
        return Arrays.copyOf(incs, n);
    }

    /**
     * Order of the members of a new view: members of the predecessor holding the state (in the predecessor's order,
     * so the oldest survivor coordinates), then members of the predecessor without it, then the others by node id.
     */
    private static Integer[] orderForNewView(final FlushRound r, final View predecessor)
    {
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < r.size; i++)
        {
            if (!r.leaving[i])
            {
                order.add(i);
            }
        }
        order.sort((a, b) ->
        {
            final long ka = orderKey(r, predecessor, a);
            final long kb = orderKey(r, predecessor, b);
            return ka != kb ? Long.compare(ka, kb) : Integer.compare(r.ids[a], r.ids[b]);
        });
        return order.toArray(new Integer[0]);
    }

    private static long orderKey(final FlushRound r, final View predecessor, final int i)
    {
        if (r.acceptor[i])
        {
            final long index = predecessor.indexOf(r.ids[i], r.incarnations[i]);
            return (r.hasState[i] ? 0 : 1L << 32) + index;
        }
        return (2L << 32) + r.ids[i];
    }

    private int onFlushAccepted()
    {
        final FlushAcceptedDecoder d = flushAcceptedDecoder;
        final int from = d.nodeId();
        final long inc = d.incarnation();
        if (from == nodeId || touch(from, inc) == null)
        {
            return FRAME_IGNORED;
        }
        onAccepted(from, inc, d.ballot());
        return FRAME_HANDLED;
    }

    private void onAccepted(final int from, final long inc, final long ballot)
    {
        final FlushRound r = round;
        if (r == null || r.phase != FlushRound.ACCEPT || ballot != r.ballot)
        {
            return;
        }
        final int index = r.indexOf(from, inc);
        if (index >= 0 && r.acceptor[index])
        {
            r.accepted[index] = true;
            checkChosen();
        }
    }

    private boolean checkChosen()
    {
        final FlushRound r = round;
        if (r == null || r.phase != FlushRound.ACCEPT)
        {
            return false;
        }
        int accepted = 0;
        boolean allMembersAccepted = true;
        for (int i = 0; i < r.size; i++)
        {
            if (r.acceptor[i])
            {
                if (r.accepted[i])
                {
                    accepted++;
                }
                else if (r.value.contains(r.ids[i], r.incarnations[i]))
                {
                    allMembersAccepted = false;
                }
            }
        }
        if (!r.predecessor.isMajority(accepted) || (!allMembersAccepted && nowNs < r.deadlineNs))
        {
            return false;
        }
        round = null;
        final View value = r.value;
        if (LOG.isDebugEnabled())
        {
            LOG.debug("node {}: round {} chose {}", nodeId, r.ballot, value);
        }
        sendViewInstall(-1, value);
        onInstallPrimary(value);
        return true;
    }

    private int onFlushReject()
    {
        final FlushRejectDecoder d = flushRejectDecoder;
        if (d.nodeId() == nodeId || touch(d.nodeId(), d.incarnation()) == null)
        {
            return FRAME_IGNORED;
        }
        observeEpoch(d.promisedBallot());
        final FlushRound r = round;
        if (r != null && d.ballot() == r.ballot)
        {
            counters.roundsRejected++;
            round = null;
            lastFlushProgressNs = nowNs;
            nextRoundNotBeforeNs = nowNs + flushTimeoutNs / 4 + random.nextLong(flushTimeoutNs / 2 + 1);
        }
        return FRAME_HANDLED;
    }

    // ------------------------------------------------------------------------------------------------------------
    // View change: participants (acceptors)
    // ------------------------------------------------------------------------------------------------------------

    private int onFlushRequest()
    {
        final FlushRequestDecoder d = flushRequestDecoder;
        final int from = d.nodeId();
        final long inc = d.incarnation();
        if (from == nodeId)
        {
            return FRAME_IGNORED;
        }
        final Peer peer = touch(from, inc);
        if (peer == null)
        {
            return FRAME_IGNORED;
        }
        final long ballot = d.ballot();
        observeEpoch(ballot);
        final FlushRequestDecoder.MembersDecoder members = d.members();
        boolean listed = false;
        while (members.hasNext())
        {
            members.next();
            if (members.nodeId() == nodeId && members.incarnation() == incarnation)
            {
                listed = true;
            }
        }
        if (!listed)
        {
            return FRAME_IGNORED;
        }
        if (state == MembershipState.OPERATIONAL && !installedView.contains(from, inc))
        {
            return FRAME_IGNORED;
        }
        if (inPrimaryView() && installedView.contains(from, inc))
        {
            heardInView(installedView.indexOf(from, inc));
        }
        if (ballot < promisedBallot)
        {
            sendFlushReject(from, ballot);
            return FRAME_HANDLED;
        }
        if (ballot > promisedBallot)
        {
            promise(ballot, from);
        }
        lastFlushProgressNs = nowNs;
        lastRoundActivityNs = nowNs;
        sendFlushState(from, ballot);
        return FRAME_HANDLED;
    }

    /**
     * Promise a ballot: refuse lower ones from now on, abandon an own lower round, and freeze.
     */
    private void promise(final long ballot, final int proposer)
    {
        promisedBallot = ballot;
        currentProposer = proposer;
        if (round != null && round.ballot < ballot)
        {
            round = null;
        }
        if (pendingAcceptBallot < ballot)
        {
            clearPendingAccept();
        }
        lastFlushProgressNs = nowNs;
        if (state == MembershipState.OPERATIONAL || state == MembershipState.JOINING ||
            state == MembershipState.NON_PRIMARY)
        {
            if (sequencerActive)
            {
                sequencerSend();
                sequencerActive = false;
            }
            setState(MembershipState.FLUSHING);
        }
    }

    private int onFlushAccept()
    {
        final FlushAcceptDecoder d = flushAcceptDecoder;
        final int from = d.nodeId();
        final long inc = d.incarnation();
        if (from == nodeId || touch(from, inc) == null)
        {
            return FRAME_IGNORED;
        }
        final long ballot = d.ballot();
        observeEpoch(ballot);
        final long viewId = d.viewId();
        final long predecessorViewId = d.predecessorViewId();
        final long endSeq = d.endSeq();
        final int source = d.sourceNode();
        final FlushAcceptDecoder.MembersDecoder members = d.members();
        final int[] ids = new int[members.count()];
        final long[] incs = new long[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            members.next();
            ids[i] = members.nodeId();
            incs[i] = members.incarnation();
        }
        if (ids.length == 0)
        {
            return malformed();
        }
        if (state == MembershipState.OPERATIONAL && !installedView.contains(from, inc))
        {
            return FRAME_IGNORED;
        }
        onAcceptRequest(ballot, new View(viewId, predecessorViewId, endSeq, true, ids, incs), source, from);
        return FRAME_HANDLED;
    }

    private void onAcceptRequest(final long ballot, final View value, final int source, final int proposer)
    {
        if (ballot < promisedBallot)
        {
            if (proposer != nodeId)
            {
                sendFlushReject(proposer, ballot);
            }
            return;
        }
        if (ballot > promisedBallot)
        {
            promise(ballot, proposer);
        }
        lastFlushProgressNs = nowNs;
        lastRoundActivityNs = nowNs;
        if (lastPrimary == null || value.predecessorViewId() != lastPrimary.viewId() ||
            !lastPrimary.contains(nodeId, incarnation))
        {
            return;
        }
        if (acceptedBallot == ballot)
        {
            sendAccepted(proposer, ballot);
            return;
        }
        pendingAcceptBallot = ballot;
        pendingAcceptValue = value;
        pendingAcceptSource = source;
        pendingAcceptProposer = proposer;
        nakAttempts = 0;
        lastNakNs = NEVER;
        tryCompletePendingAccept();
    }

    private void tryCompletePendingAccept()
    {
        if (pendingAcceptValue == null)
        {
            return;
        }
        if (pendingAcceptBallot < promisedBallot)
        {
            clearPendingAccept();
            return;
        }
        if (lastPrimaryReceivedSeq() >= pendingAcceptValue.endSeq())
        {
            acceptedBallot = pendingAcceptBallot;
            acceptedValue = pendingAcceptValue;
            final int proposer = pendingAcceptProposer;
            clearPendingAccept();
            sendAccepted(proposer, acceptedBallot);
        }
        else
        {
            pendingAcceptTick();
        }
    }

    private void pendingAcceptTick()
    {
        if (pendingAcceptValue == null || nowNs - lastNakNs < retransmitIntervalNs)
        {
            return;
        }
        final long from = receivedSeq + 1;
        final long to = Math.min(pendingAcceptValue.endSeq(), from + MAX_NAK_RANGE - 1);
        if (from > to)
        {
            return;
        }
        lastNakNs = nowNs;
        final int target = (nakAttempts++ & 1) == 0 && pendingAcceptSource != nodeId ? pendingAcceptSource : -1;
        sendRetransmitRequest(lastPrimary.viewId(), from, to, target);
    }

    private void clearPendingAccept()
    {
        pendingAcceptBallot = View.NONE;
        pendingAcceptValue = null;
    }

    private void sendAccepted(final int proposer, final long ballot)
    {
        if (proposer == nodeId)
        {
            onAccepted(nodeId, incarnation, ballot);
        }
        else
        {
            sendFlushAccepted(proposer, ballot);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // View installation
    // ------------------------------------------------------------------------------------------------------------

    private int onViewInstall()
    {
        final ViewInstallDecoder d = viewInstallDecoder;
        final int from = d.nodeId();
        if (from == nodeId)
        {
            return FRAME_IGNORED;
        }
        final long viewId = d.viewId();
        final long predecessorViewId = d.predecessorViewId();
        final long endSeq = d.endSeq();
        final boolean primary = d.primary() == BooleanType.TRUE;
        final ViewInstallDecoder.MembersDecoder members = d.members();
        final int[] ids = new int[members.count()];
        final long[] incs = new long[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            members.next();
            ids[i] = members.nodeId();
            incs[i] = members.incarnation();
        }
        if (ids.length == 0)
        {
            return malformed();
        }
        observeEpoch(viewId);
        final View value = new View(viewId, predecessorViewId, endSeq, primary, ids, incs);
        if (primary)
        {
            onInstallPrimary(value);
        }
        else
        {
            onInstallNonPrimary(value);
        }
        return FRAME_HANDLED;
    }

    private void onInstallPrimary(final View value)
    {
        if (value.viewId() <= lastPrimaryViewId())
        {
            return;
        }
        if (!value.contains(nodeId, incarnation))
        {
            primaryHeardNs = nowNs;
            excluded = true;
            if (leaving)
            {
                becomeLeft();
            }
            else if (inPrimaryView() && value.viewId() > installedView.viewId())
            {
                becomeExcluded();
            }
            else if (state == MembershipState.FLUSHING && !inPrimaryView())
            {
                clearPendingAccept();
                lastRoundActivityNs = nowNs;
                setState(MembershipState.NON_PRIMARY);
            }
            return;
        }
        install(value);
    }

    private void onInstallNonPrimary(final View value)
    {
        if (value.viewId() != promisedBallot || !value.contains(nodeId, incarnation))
        {
            return;
        }
        if (state == MembershipState.OPERATIONAL || state == MembershipState.LEFT)
        {
            return;
        }
        final boolean wasPrimary = inPrimaryView();
        installedView = value;
        sequencerActive = false;
        clearPendingAccept();
        lastRoundActivityNs = nowNs;
        lastFlushProgressNs = nowNs;
        counters.nonPrimaryViewsInstalled++;
        setState(MembershipState.NON_PRIMARY);
        LOG.info("node {}: installed {}", nodeId, value);
        if (wasPrimary)
        {
            listener.onPrimaryLost(lastPrimaryViewId());
        }
        listener.onViewChange(value);
    }

    private void install(final View value)
    {
        // Continuous only when this node's state is exactly the predecessor's end: a state transfer taken beyond the
        // messages this node received (deliveredSeq > endSeq) holds messages the new view will never deliver, so
        // such a node drops its state and waits for a new transfer, as a joiner does.
        final boolean continuous = hasState && lastPrimary != null &&
            value.predecessorViewId() == lastPrimary.viewId() && lastPrimaryReceivedSeq() >= value.endSeq() &&
            deliveredSeq <= value.endSeq();
        if (continuous)
        {
            deliverUpTo(value.endSeq(), true);
            ownSequencedOriginSeq = originTable.lastOriginSeq(nodeId, incarnation);
            outbox.releaseUpTo(ownSequencedOriginSeq);
        }
        else
        {
            hasState = false;
            ownSequencedOriginSeq = outbox.firstOriginSeq() - 1;
        }
        snapshotReleaseSeq = NEVER;
        clearDeferredState();
        unsentOriginSeq = Math.max(ownSequencedOriginSeq + 1, outbox.firstOriginSeq());
        ownProgressNs = nowNs;
        log.reset(value.firstSeq());
        receivedSeq = value.endSeq();
        highestKnownSeq = value.endSeq();
        deliveredSeq = value.endSeq();
        stableSeq = value.endSeq();
        stableWalkedSeq = value.endSeq();
        lastAckedSeq = value.endSeq();
        lastPrimary = value;
        installedView = value;
        excluded = false;
        acceptedBallot = View.NONE;
        acceptedValue = null;
        clearPendingAccept();
        if (round != null)
        {
            round = null;
        }
        newerPrimarySeenNs = NEVER;
        newerPrimaryViewId = View.NONE;
        primaryHeardNs = nowNs;
        lastRoundActivityNs = nowNs;
        lastFlushProgressNs = nowNs;
        lastInstallResendNs = nowNs;
        lastHeardInViewNs = new long[value.size()];
        Arrays.fill(lastHeardInViewNs, nowNs);
        heardSinceInstall = new boolean[value.size()];
        for (int i = 0; i < value.size(); i++)
        {
            final int id = value.memberId(i);
            if (id == nodeId)
            {
                heardSinceInstall[i] = true;
                continue;
            }
            Peer peer = peers.get(id);
            if (peer == null || peer.incarnation < value.memberIncarnation(i))
            {
                if (peer == null)
                {
                    peer = new Peer(id, value.memberIncarnation(i));
                    peers.put(id, peer);
                }
                else
                {
                    peer.reset(value.memberIncarnation(i));
                }
                peer.lastHeardNs = nowNs;
            }
            if (peer.incarnation == value.memberIncarnation(i))
            {
                peer.authenticated = true;
                peer.joinFirstSeenNs = NEVER;
                peer.inPrimary = true;
                peer.viewId = value.viewId();
            }
        }
        sequencerActive = false;
        if (value.coordinator() == nodeId && hasState)
        {
            activateSequencer();
        }
        lastStateRequestNs = NEVER;
        stateRequestTarget = 0;
        counters.viewsInstalled++;
        setState(MembershipState.OPERATIONAL);
        LOG.info("node {}: installed {}{}", nodeId, value, hasState ? "" : " (waiting for a state transfer)");
        listener.onViewChange(value);
    }

    private void activateSequencer()
    {
        sequencerActive = true;
        nextSeq = receivedSeq + 1;
        batchStartSeq = nextSeq;
        stampTable.copyFrom(originTable);
        ackedSeqs = new long[installedView.size()];
        Arrays.fill(ackedSeqs, installedView.endSeq());
        lastAnnouncedStable = stableSeq;
        lastAnnounceNs = nowNs;
    }

    private void becomeExcluded()
    {
        counters.exclusions++;
        excluded = true;
        final long lastPrimaryId = lastPrimaryViewId();
        installedView = null;
        sequencerActive = false;
        clearPendingAccept();
        newerPrimarySeenNs = NEVER;
        newerPrimaryViewId = View.NONE;
        lastRoundActivityNs = nowNs;
        primaryHeardNs = nowNs;
        if (leaving)
        {
            becomeLeft();
            return;
        }
        setState(MembershipState.NON_PRIMARY);
        LOG.info("node {}: excluded from primary view {}", nodeId, lastPrimaryId);
        listener.onPrimaryLost(lastPrimaryId);
    }

    private void becomeLeft()
    {
        sequencerActive = false;
        round = null;
        installedView = null;
        setState(MembershipState.LEFT);
        LOG.info("node {}: left", nodeId);
    }

    /**
     * Whether a member of this node's last primary view reports an older one: it missed that view's installation.
     */
    private boolean lagsBehind(final int id, final long inc, final long reportedLastPrimaryViewId)
    {
        return lastPrimary != null && lastPrimary.viewId() > View.BOOTSTRAP_VIEW_ID &&
            reportedLastPrimaryViewId < lastPrimary.viewId() && lastPrimary.contains(id, inc);
    }

    /**
     * Send the last primary view to a member that missed its installation: a chosen view may be taught by anyone
     * who installed it (it is final), and the member needs it to take part in choosing the next one.
     */
    private void teach(final Peer peer)
    {
        if (peer != null && nowNs - peer.lastInstallSentNs >= retransmitIntervalNs)
        {
            peer.lastInstallSentNs = nowNs;
            sendViewInstall(peer.nodeId, lastPrimary);
        }
    }

    private void resendInstall(final Peer peer)
    {
        if (nowNs - peer.lastInstallSentNs >= retransmitIntervalNs)
        {
            peer.lastInstallSentNs = nowNs;
            sendViewInstall(peer.nodeId, installedView);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Ordering
    // ------------------------------------------------------------------------------------------------------------

    private int onSubmitBatch()
    {
        final SubmitBatchDecoder d = submitBatchDecoder;
        final int origin = d.originNode();
        final long inc = d.originIncarnation();
        if (origin == nodeId)
        {
            return FRAME_IGNORED;
        }
        if (touch(origin, inc) == null)
        {
            return FRAME_IGNORED;
        }
        if (!sequencerActive || d.viewId() != installedView.viewId())
        {
            counters.framesStale++;
            return FRAME_IGNORED;
        }
        final int index = installedView.indexOf(origin, inc);
        if (index < 0)
        {
            counters.framesStale++;
            return FRAME_IGNORED;
        }
        heardInView(index);
        final SubmitBatchDecoder.EntriesDecoder entries = d.entries();
        while (entries.hasNext())
        {
            entries.next();
            final long originSeq = entries.originSeq();
            final short level = entries.levelRaw();
            entries.wrapPayload(payloadView);
            final long expected = stampTable.expected(origin, inc);
            if (expected < 0 || originSeq > expected)
            {
                break;
            }
            if (originSeq < expected)
            {
                continue;
            }
            if (DeliveryLevel.fromCode(level) == null)
            {
                break;
            }
            if (!canStamp())
            {
                counters.sequencerBackPressured++;
                break;
            }
            stamp(origin, inc, originSeq, (byte)level, payloadView, 0, payloadView.capacity());
        }
        return FRAME_HANDLED;
    }

    private boolean canStamp()
    {
        return nextSeq - stableSeq <= window && log.fits(nextSeq);
    }

    private void stamp(
        final int origin,
        final long inc,
        final long originSeq,
        final byte level,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final long seq = nextSeq++;
        log.put(seq, installedView.viewId(), origin, inc, originSeq, level, payload, offset, length);
        stampTable.update(origin, inc, originSeq);
        counters.sequenced++;
        highestKnownSeq = seq;
        advanceReceived();
        if (installedView.size() == 1)
        {
            recomputeStable();
        }
    }

    private void stampOwn()
    {
        long originSeq = stampTable.expected(nodeId, incarnation);
        while (outbox.contains(originSeq) && canStamp())
        {
            stamp(nodeId, incarnation, originSeq, outbox.level(originSeq), outbox.payload(originSeq), 0,
                outbox.length(originSeq));
            originSeq++;
        }
        if (outbox.contains(originSeq))
        {
            counters.sequencerBackPressured++;
        }
    }

    private int onSequencedBatch()
    {
        final SequencedBatchDecoder d = sequencedBatchDecoder;
        final int from = d.nodeId();
        final long viewId = d.viewId();
        if (from == nodeId)
        {
            return FRAME_IGNORED;
        }
        if (lastPrimary == null || viewId != lastPrimary.viewId() || sequencerActive)
        {
            counters.framesStale++;
            return FRAME_IGNORED;
        }
        final boolean fromSequencer = inPrimaryView() && installedView.viewId() == viewId &&
            from == installedView.coordinator();
        if (fromSequencer)
        {
            heardInView(0);
        }
        final long firstSeq = d.firstSeq();
        final long highest = d.highestSeq();
        final long stable = d.stableSeq();
        final boolean frozen = state == MembershipState.FLUSHING;
        final SequencedBatchDecoder.EntriesDecoder entries = d.entries();
        long seq = firstSeq;
        while (entries.hasNext())
        {
            entries.next();
            final int origin = entries.originNode();
            final long inc = entries.originIncarnation();
            final long originSeq = entries.originSeq();
            final short level = entries.levelRaw();
            entries.wrapPayload(payloadView);
            if (seq > receivedSeq && !log.isPresent(seq) && DeliveryLevel.fromCode(level) != null)
            {
                if (frozen && seq - log.base() < MAX_FLUSH_GROWTH)
                {
                    log.ensureCapacityFor(seq);
                }
                log.put(seq, viewId, origin, inc, originSeq, (byte)level, payloadView, 0, payloadView.capacity());
            }
            seq++;
        }
        highestKnownSeq = Math.max(highestKnownSeq, Math.max(highest, seq - 1));
        advanceReceived();
        if (fromSequencer && !frozen)
        {
            onSequencerAnnouncement(highest, stable);
        }
        if (state == MembershipState.FLUSHING)
        {
            tryCompletePendingAccept();
        }
        deliverReady();
        return FRAME_HANDLED;
    }

    private void onSequencerAnnouncement(final long highest, final long stable)
    {
        highestKnownSeq = Math.max(highestKnownSeq, highest);
        if (stable > stableSeq)
        {
            stableSeq = Math.max(stableSeq, Math.min(stable, receivedSeq));
            deliverReady();
        }
    }

    private void advanceReceived()
    {
        while (log.isPresent(receivedSeq + 1))
        {
            final long seq = ++receivedSeq;
            receivedProgressNs = nowNs;
            if (log.originNode(seq) == nodeId && log.originIncarnation(seq) == incarnation)
            {
                final long originSeq = log.originSeq(seq);
                if (originSeq > ownSequencedOriginSeq)
                {
                    ownSequencedOriginSeq = originSeq;
                    ownProgressNs = nowNs;
                }
            }
        }
        installDeferredState();
    }

    private int onAck()
    {
        final AckDecoder d = ackDecoder;
        final int from = d.nodeId();
        final long inc = d.incarnation();
        if (from == nodeId || touch(from, inc) == null)
        {
            return FRAME_IGNORED;
        }
        if (!inPrimaryView() || d.viewId() != installedView.viewId())
        {
            counters.framesStale++;
            return FRAME_IGNORED;
        }
        final int index = installedView.indexOf(from, inc);
        if (index < 0)
        {
            return FRAME_IGNORED;
        }
        heardInView(index);
        if (sequencerActive)
        {
            onProgress(index, d.receivedSeq());
        }
        return FRAME_HANDLED;
    }

    private void onProgress(final int index, final long received)
    {
        if (received <= ackedSeqs[index])
        {
            return;
        }
        ackedSeqs[index] = Math.min(received, nextSeq - 1);
        recomputeStable();
    }

    private void recomputeStable()
    {
        long stable = receivedSeq;
        for (int i = 0; i < ackedSeqs.length; i++)
        {
            if (installedView.memberId(i) != nodeId)
            {
                stable = Math.min(stable, ackedSeqs[i]);
            }
        }
        if (stable > stableSeq)
        {
            stableSeq = stable;
            deliverReady();
        }
    }

    private int onRetransmitRequest()
    {
        final RetransmitRequestDecoder d = retransmitRequestDecoder;
        final int from = d.nodeId();
        if (from == nodeId || touch(from, d.incarnation()) == null)
        {
            return FRAME_IGNORED;
        }
        final int target = d.targetNode();
        if ((target != -1 && target != nodeId) || lastPrimary == null || d.viewId() != lastPrimary.viewId())
        {
            return FRAME_IGNORED;
        }
        long fromSeq = Math.max(d.fromSeq(), log.base());
        final long toSeq = Math.min(d.toSeq(), receivedSeq);
        int frames = 0;
        while (fromSeq <= toSeq && frames < MAX_RETRANSMIT_FRAMES)
        {
            final int sent = sendEntries(from, lastPrimary.viewId(), fromSeq, toSeq, sequencerActive ? stableSeq : -1);
            if (sent == 0)
            {
                break;
            }
            fromSeq += sent;
            frames++;
        }
        if (frames > 0)
        {
            counters.retransmitRequestsServed++;
        }
        return FRAME_HANDLED;
    }

    private int orderingTick()
    {
        if (state != MembershipState.OPERATIONAL)
        {
            return 0;
        }
        int work = 0;
        if (sequencerActive)
        {
            stampOwn();
            work += sequencerSend();
            work += installResendTick();
        }
        else
        {
            work += memberTick();
        }
        deliverReady();
        if (!hasState)
        {
            work += stateRequestTick();
        }
        return work;
    }

    private int sequencerSend()
    {
        int work = 0;
        while (batchStartSeq < nextSeq && work < MAX_SEQUENCED_FRAMES_PER_WORK)
        {
            final int sent = sendEntries(-1, installedView.viewId(), batchStartSeq, nextSeq - 1, stableSeq);
            if (sent == 0)
            {
                break;
            }
            batchStartSeq += sent;
            lastAnnounceNs = nowNs;
            lastAnnouncedStable = stableSeq;
            work++;
        }
        if (work == 0 && (stableSeq > lastAnnouncedStable ||
            (nextSeq - 1 > stableSeq && nowNs - lastAnnounceNs >= retransmitIntervalNs)))
        {
            lastAnnounceNs = nowNs;
            lastAnnouncedStable = stableSeq;
            sendEntries(-1, installedView.viewId(), nextSeq, nextSeq - 1, stableSeq);
            work++;
        }
        return work;
    }

    private int installResendTick()
    {
        if (nowNs - lastInstallResendNs < heartbeatIntervalNs)
        {
            return 0;
        }
        lastInstallResendNs = nowNs;
        int work = 0;
        for (int i = 0; i < heardSinceInstall.length; i++)
        {
            if (!heardSinceInstall[i])
            {
                sendViewInstall(installedView.memberId(i), installedView);
                work++;
            }
        }
        return work;
    }

    private int memberTick()
    {
        int work = 0;
        final int coordinator = installedView.coordinator();
        if (receivedSeq > lastAckedSeq && nowNs - lastAckNs >= ackIntervalNs)
        {
            lastAckNs = nowNs;
            lastAckedSeq = receivedSeq;
            sendAck(coordinator);
            work++;
        }
        // A gap is requested only once the contiguous prefix has stopped growing for a retransmit interval: the
        // sequencer's announcements (heartbeats on another stream, batch headers) run ahead of data still in flight
        // behind a back-pressured stream, and requesting that data again would only add to the congestion.
        if (highestKnownSeq > receivedSeq && nowNs - lastNakNs >= retransmitIntervalNs &&
            nowNs - receivedProgressNs >= retransmitIntervalNs)
        {
            lastNakNs = nowNs;
            sendRetransmitRequest(installedView.viewId(), receivedSeq + 1,
                Math.min(highestKnownSeq, receivedSeq + MAX_NAK_RANGE), coordinator);
            work++;
        }
        work += submitTick(coordinator);
        return work;
    }

    private int submitTick(final int coordinator)
    {
        if (ownSequencedOriginSeq + 1 < unsentOriginSeq && nowNs - ownProgressNs >= resubmitIntervalNs)
        {
            unsentOriginSeq = ownSequencedOriginSeq + 1;
            ownProgressNs = nowNs;
            counters.resubmissions++;
        }
        if (unsentOriginSeq < outbox.firstOriginSeq())
        {
            unsentOriginSeq = outbox.firstOriginSeq();
        }
        int frames = 0;
        while (outbox.contains(unsentOriginSeq) && frames < MAX_SUBMIT_FRAMES_PER_WORK &&
            unsentOriginSeq - ownSequencedOriginSeq <= window)
        {
            if (ownSequencedOriginSeq + 1 == unsentOriginSeq)
            {
                ownProgressNs = nowNs;
            }
            final int sent = sendSubmitBatch(coordinator, unsentOriginSeq);
            if (sent == 0)
            {
                break;
            }
            unsentOriginSeq += sent;
            frames++;
        }
        return frames;
    }

    private int stateRequestTick()
    {
        if (nowNs - lastStateRequestNs < stateRequestIntervalNs || installedView.size() < 2)
        {
            return 0;
        }
        lastStateRequestNs = nowNs;
        int target = installedView.memberId(stateRequestTarget % installedView.size());
        stateRequestTarget++;
        if (target == nodeId)
        {
            target = installedView.memberId(stateRequestTarget % installedView.size());
            stateRequestTarget++;
        }
        sendStateRequest(target);
        return 1;
    }

    private void deliverReady()
    {
        if (state == MembershipState.OPERATIONAL && hasState)
        {
            deliverUpTo(receivedSeq, false);
        }
        collectGarbage();
    }

    private void deliverUpTo(final long limit, final boolean force)
    {
        while (deliveredSeq < limit)
        {
            final long seq = deliveredSeq + 1;
            if (!log.isPresent(seq))
            {
                break;
            }
            final byte level = log.level(seq);
            final DeliveryLevel deliveryLevel = DeliveryLevel.fromCode(level);
            if (!force && deliveryLevel == DeliveryLevel.SAFE && seq > stableSeq)
            {
                break;
            }
            deliveredSeq = seq;
            final int origin = log.originNode(seq);
            final long inc = log.originIncarnation(seq);
            final long originSeq = log.originSeq(seq);
            originTable.update(origin, inc, originSeq);
            counters.delivered++;
            listener.onDeliver(log.viewId(seq), seq, origin, inc, originSeq, deliveryLevel, log.payload(seq), 0,
                log.payloadLength(seq));
        }
    }

    private void collectGarbage()
    {
        if (state != MembershipState.OPERATIONAL)
        {
            return;
        }
        final long stableLimit = Math.min(stableSeq, receivedSeq);
        if (snapshotReleaseSeq != NEVER && stableLimit >= snapshotReleaseSeq)
        {
            outbox.releaseUpTo(snapshotOwnOriginSeq);
            snapshotReleaseSeq = NEVER;
        }
        while (stableWalkedSeq < stableLimit)
        {
            final long seq = ++stableWalkedSeq;
            if (log.isPresent(seq) && log.originNode(seq) == nodeId && log.originIncarnation(seq) == incarnation)
            {
                outbox.releaseUpTo(log.originSeq(seq));
            }
        }
        final long limit = Math.min(stableSeq, deliveredSeq);
        if (limit >= log.base())
        {
            log.releaseUpTo(limit);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // State transfer
    // ------------------------------------------------------------------------------------------------------------

    private int onStateRequest()
    {
        final StateRequestDecoder d = stateRequestDecoder;
        final int from = d.nodeId();
        final long inc = d.incarnation();
        if (from == nodeId || d.targetNode() != nodeId)
        {
            return FRAME_IGNORED;
        }
        final Peer peer = touch(from, inc);
        if (peer == null || state != MembershipState.OPERATIONAL || !hasState ||
            d.viewId() != installedView.viewId() || !installedView.contains(from, inc))
        {
            return FRAME_IGNORED;
        }
        heardInView(installedView.indexOf(from, inc));
        if (nowNs - peer.lastStateSentNs < stateRequestIntervalNs / 2)
        {
            return FRAME_HANDLED;
        }
        peer.lastStateSentNs = nowNs;
        sendStateTransfer(from, inc);
        return FRAME_HANDLED;
    }

    private int onStateTransfer()
    {
        final StateTransferDecoder d = stateTransferDecoder;
        if (d.targetNode() != nodeId || d.targetIncarnation() != incarnation)
        {
            return FRAME_IGNORED;
        }
        final long viewId = d.viewId();
        final long asOfSeq = d.asOfSeq();
        if (hasState || state != MembershipState.OPERATIONAL || viewId != installedView.viewId() ||
            asOfSeq < installedView.endSeq())
        {
            counters.framesStale++;
            return FRAME_IGNORED;
        }
        final OriginTable table = new OriginTable();
        final StateTransferDecoder.OriginsDecoder origins = d.origins();
        while (origins.hasNext())
        {
            origins.next();
            table.update(origins.nodeId(), origins.incarnation(), origins.lastOriginSeq());
        }
        d.wrapState(payloadView);
        if (asOfSeq > receivedSeq)
        {
            // The sender's state holds messages this node has not received yet. Installed now, a view change could
            // end this view below asOfSeq (this node cannot report what it does not hold) and leave it with state
            // that no survivor delivers; so it waits until it holds them too (a join, so copying is fine).
            deferredStateTable = table;
            deferredState = new byte[payloadView.capacity()];
            payloadView.getBytes(0, deferredState);
            deferredStateSeq = asOfSeq;
            deferredStateFrom = d.nodeId();
            counters.stateTransfersDeferred++;
            return FRAME_HANDLED;
        }
        installState(d.nodeId(), asOfSeq, table, payloadView);
        return FRAME_HANDLED;
    }

    private void installDeferredState()
    {
        if (deferredStateSeq != NEVER && receivedSeq >= deferredStateSeq)
        {
            final long asOfSeq = deferredStateSeq;
            final OriginTable table = deferredStateTable;
            final UnsafeBuffer snapshot = new UnsafeBuffer(deferredState);
            final int from = deferredStateFrom;
            clearDeferredState();
            if (!hasState && state == MembershipState.OPERATIONAL)
            {
                installState(from, asOfSeq, table, snapshot);
            }
        }
    }

    private void clearDeferredState()
    {
        deferredStateSeq = NEVER;
        deferredStateTable = null;
        deferredState = null;
    }

    private void installState(final int from, final long asOfSeq, final OriginTable table, final DirectBuffer state)
    {
        stateHandler.installSnapshot(asOfSeq, state, 0, state.capacity());
        originTable.copyFrom(table);
        hasState = true;
        deliveredSeq = asOfSeq;
        counters.stateTransfersInstalled++;
        final long own = originTable.lastOriginSeq(nodeId, incarnation);
        if (own > ownSequencedOriginSeq)
        {
            ownSequencedOriginSeq = own;
            ownProgressNs = nowNs;
        }
        snapshotReleaseSeq = asOfSeq;
        snapshotOwnOriginSeq = own;
        unsentOriginSeq = Math.max(unsentOriginSeq, ownSequencedOriginSeq + 1);
        LOG.info("node {}: installed a state transfer from node {} as of sequence {}", nodeId, from, asOfSeq);
        if (installedView.coordinator() == nodeId && !sequencerActive)
        {
            activateSequencer();
        }
        deliverReady();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Time never goes backwards inside the state machine, whatever the caller passes.
     */
    private void advanceClock(final long nowNs)
    {
        if (nowNs > this.nowNs || startNs == NEVER)
        {
            this.nowNs = nowNs;
        }
    }

    private static boolean fits(final int decodedLength, final int available)
    {
        return decodedLength <= available;
    }

    private int malformed()
    {
        counters.framesMalformed++;
        return FRAME_MALFORMED;
    }

    private Peer touch(final int id, final long inc)
    {
        Peer peer = peers.get(id);
        if (peer == null)
        {
            peer = new Peer(id, inc);
            peers.put(id, peer);
        }
        else if (inc < peer.incarnation)
        {
            counters.framesStale++;
            return null;
        }
        else if (inc > peer.incarnation)
        {
            peer.reset(inc);
        }
        peer.lastHeardNs = nowNs;
        return peer;
    }

    private void heardInView(final int index)
    {
        if (index >= 0 && index < lastHeardInViewNs.length)
        {
            lastHeardInViewNs[index] = nowNs;
            heardSinceInstall[index] = true;
        }
    }

    private boolean isActiveCoordinator()
    {
        return state == MembershipState.OPERATIONAL && installedView.coordinator() == nodeId;
    }

    private long lastPrimaryViewId()
    {
        return lastPrimary == null ? View.NONE : lastPrimary.viewId();
    }

    private long lastPrimaryReceivedSeq()
    {
        return lastPrimary == null ? -1 : receivedSeq;
    }

    private void observeEpoch(final long viewIdOrBallot)
    {
        final long epoch = View.epoch(viewIdOrBallot);
        if (epoch > maxEpochSeen)
        {
            maxEpochSeen = epoch;
        }
    }

    private void setState(final MembershipState newState)
    {
        final MembershipState old = state;
        if (old != newState)
        {
            state = newState;
            listener.onStateChange(old, newState);
        }
    }

    private NodeStatus status()
    {
        switch (state)
        {
            case OPERATIONAL: return NodeStatus.OPERATIONAL;
            case FLUSHING: return NodeStatus.FLUSHING;
            case NON_PRIMARY: return NodeStatus.NON_PRIMARY;
            default: return NodeStatus.JOINING;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Sending (the publisher encodes)
    // ------------------------------------------------------------------------------------------------------------

    private void sendHeartbeat()
    {
        publisher.heartbeat(installedView.viewId(), status(), receivedSeq, deliveredSeq, stableSeq,
            sequencerActive ? nextSeq - 1 : highestKnownSeq, nowNs);
    }

    private void sendJoinRequest()
    {
        publisher.joinRequest(random.nextLong(), nowNs, installedView == null ? View.NONE : installedView.viewId(),
            lastPrimaryViewId(), status());
    }

    private void sendJoinRefused(final int target, final long targetIncarnation, final JoinRefusal reason)
    {
        publisher.joinRefused(target, targetIncarnation, reason);
    }

    private void sendLeave()
    {
        publisher.leave(installedView == null ? View.NONE : installedView.viewId());
    }

    private void sendViewInstall(final int destination, final View view)
    {
        publisher.viewInstall(destination, view);
    }

    private void sendFlushRequest(final FlushRound r)
    {
        publisher.flushRequest(r.ballot, r.ids, r.incarnations);
    }

    private void sendFlushState(final int proposer, final long ballot)
    {
        publisher.flushState(proposer, ballot, lastPrimaryViewId(), lastPrimaryReceivedSeq(), deliveredSeq, hasState,
            acceptedBallot, acceptedValue, lastPrimary == bootstrapView ? null : lastPrimary, readyToLeave());
    }

    private void sendFlushReject(final int proposer, final long ballot)
    {
        publisher.flushReject(proposer, ballot, promisedBallot);
    }

    private void sendFlushAccept(final FlushRound r)
    {
        publisher.flushAccept(r.ballot, r.value, r.sourceNode);
    }

    private void sendFlushAccepted(final int proposer, final long ballot)
    {
        publisher.flushAccepted(proposer, ballot);
    }

    private void sendAck(final int coordinator)
    {
        publisher.ack(coordinator, installedView.viewId(), receivedSeq, deliveredSeq);
    }

    private void sendRetransmitRequest(final long viewId, final long from, final long to, final int target)
    {
        publisher.retransmitRequest(viewId, from, to, target);
    }

    private void sendStateRequest(final int target)
    {
        publisher.stateRequest(target, installedView.viewId());
    }

    private void sendStateTransfer(final int target, final long targetIncarnation)
    {
        final int stateLength = stateHandler.takeSnapshot(deliveredSeq, snapshotBuffer, 0);
        publisher.stateTransfer(target, targetIncarnation, installedView.viewId(), deliveredSeq, originTable,
            snapshotBuffer, stateLength);
    }

    private int sendEntries(final int destination, final long viewId, final long from, final long to, final long stable)
    {
        return publisher.sequencedBatch(destination, viewId, log, from, to,
            sequencerActive ? nextSeq - 1 : Math.max(highestKnownSeq, receivedSeq), stable, maxBatchLength);
    }

    private int sendSubmitBatch(final int coordinator, final long from)
    {
        return publisher.submitBatch(coordinator, installedView.viewId(), outbox, from, maxBatchLength);
    }
}
