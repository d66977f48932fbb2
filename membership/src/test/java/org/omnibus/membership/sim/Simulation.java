package org.omnibus.membership.sim;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.sbe.membership.FlushAcceptDecoder;
import org.omnibus.codec.sbe.membership.MessageHeaderDecoder;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.Membership;
import org.omnibus.membership.MembershipContext;
import org.omnibus.membership.MembershipOutbound;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.View;

/**
 * A deterministic simulation of a cluster: N {@link Membership} state machines, a seeded network that drops, delays,
 * duplicates and reorders frames, partitions and heals, nodes that crash and restart with a new incarnation, a
 * simulated clock, and a workload of AGREED and SAFE submissions. After the fault phase the network heals and
 * every crashed node restarts; the run ends when the cluster has converged (one primary view of every node, every
 * submission delivered everywhere) or at a deadline (a liveness failure). The {@link Checker} judges the run.
 * <p>
 * Everything is driven by one event queue ordered by (time, insertion order) and by random streams split from the
 * seed, so a seed replays exactly.
 */
final class Simulation
{
    private static final int FRAME = 0;
    private static final int TICK = 1;
    private static final int WORK = 2;
    private static final int SUBMIT = 3;
    private static final int CRASH = 4;
    private static final int RESTART = 5;
    private static final int PARTITION = 6;
    private static final int HEAL = 7;
    private static final int QUIET = 8;
    private static final int CHECK = 9;
    private static final int START = 10;
    private static final int LINK_CUT = 11;
    private static final int LINK_HEAL = 12;
    private static final int PAUSE = 13;
    private static final int LEAVE = 14;
    private static final String SECRET = "omnibus-simulated-cluster";

    private static final class Event
    {
        long time;
        long order;
        int type;
        int node;
        int from;
        long token;
        byte[] bytes;
    }

    final class Node implements MembershipOutbound
    {
        final int nodeId;
        final boolean initialMember;
        long incarnation;
        boolean up;
        boolean started;
        long token;
        boolean workPending;
        long nextOriginSeq = 1;
        long pausedUntilNs;
        boolean leaving;
        Membership membership;
        SimApp app;

        Node(final int nodeId, final boolean initialMember)
        {
            this.nodeId = nodeId;
            this.initialMember = initialMember;
        }

        /** {@inheritDoc} */
        public void sendToAll(final DirectBuffer buffer, final int offset, final int length)
        {
            observeProposal(buffer, offset);
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            for (final Node to : nodes)
            {
                if (to != this)
                {
                    transmit(this, to, bytes);
                }
            }
        }

        /** {@inheritDoc} */
        public void sendTo(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (nodeId < 1 || nodeId > nodes.length || nodeId == this.nodeId)
            {
                return;
            }
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            transmit(this, nodes[nodeId - 1], bytes);
        }
    }

    final SimScenario scenario;
    final Checker checker = new Checker();
    final Node[] nodes;
    private final PriorityQueue<Event> queue = new PriorityQueue<>(
        (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
    private final SplittableRandom networkRandom;
    private final SplittableRandom faultRandom;
    private final SplittableRandom loadRandom;
    private final SplittableRandom nodeSeeds;
    private final UnsafeBuffer frameBuffer = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer payloadBuffer = new UnsafeBuffer(new byte[4096]);
    private final List<View> proposedValues = new ArrayList<>();
    private final int[] group;
    private final boolean[][] cut;
    private final boolean trace;
    private long order;
    private long now;
    private boolean quiet;
    private boolean converged;
    private long convergedAtNs = -1;
    private long firstPrimaryAtNs = -1;
    private long events;
    private long framesSent;
    private long crashes;
    private long partitions;
    private long linkCuts;
    private long pauses;
    private long leaves;

    Simulation(final SimScenario scenario, final boolean trace)
    {
        this.scenario = scenario;
        this.trace = trace;
        final SplittableRandom root = new SplittableRandom(scenario.seed);
        networkRandom = root.split();
        faultRandom = root.split();
        loadRandom = root.split();
        nodeSeeds = root.split();
        nodes = new Node[scenario.nodeCount];
        group = new int[scenario.nodeCount];
        cut = new boolean[scenario.nodeCount][scenario.nodeCount];
        for (int i = 0; i < nodes.length; i++)
        {
            nodes[i] = new Node(i + 1, !(scenario.lateJoiner && i == nodes.length - 1));
        }
    }

    /**
     * Run to convergence or the deadline, then check.
     *
     * @return the checker's violations (empty when the run is correct), with a liveness failure if it did not
     * converge.
     */
    List<String> run()
    {
        for (final Node node : nodes)
        {
            final long startAt = node.initialMember ? faultRandom.nextLong(SimScenario.ms(50)) :
                SimScenario.ms(300) + faultRandom.nextLong(scenario.faultEndNs);
            schedule(startAt, START, node.nodeId, 0, null, 0);
            schedule(startAt + loadRandom.nextLong(SimScenario.ms(100)), SUBMIT, node.nodeId, 0, null, 0);
        }
        if (scenario.meanPartitionGapNs > 0)
        {
            schedule(exponential(faultRandom, scenario.meanPartitionGapNs), PARTITION, 0, 0, null, 0);
        }
        if (scenario.meanCrashGapNs > 0)
        {
            schedule(exponential(faultRandom, scenario.meanCrashGapNs), CRASH, 0, 0, null, 0);
        }
        if (scenario.meanLinkCutGapNs > 0)
        {
            schedule(exponential(faultRandom, scenario.meanLinkCutGapNs), LINK_CUT, 0, 0, null, 0);
        }
        if (scenario.meanLeaveGapNs > 0)
        {
            schedule(exponential(faultRandom, scenario.meanLeaveGapNs), LEAVE, 0, 0, null, 0);
        }
        if (scenario.meanPauseGapNs > 0)
        {
            schedule(exponential(faultRandom, scenario.meanPauseGapNs), PAUSE, 0, 0, null, 0);
        }
        schedule(scenario.faultEndNs, QUIET, 0, 0, null, 0);
        while (!queue.isEmpty() && !converged)
        {
            final Event e = queue.poll();
            now = e.time;
            if (now > scenario.deadlineNs)
            {
                break;
            }
            events++;
            handle(e);
        }
        final List<String> result = new ArrayList<>(checker.violations);
        if (!converged)
        {
            final StringBuilder sb = new StringBuilder("liveness: no convergence " +
                (scenario.deadlineNs - scenario.faultEndNs) / 1_000_000 + " ms after the faults stopped;");
            for (final Node node : nodes)
            {
                sb.append("\n    ").append(node.up ? String.valueOf(node.membership) : "node " + node.nodeId + " down")
                    .append(node.up ? " outboxEmpty=" + node.membership.isOutboxEmpty() : "");
            }
            result.add(sb.toString());
        }
        else
        {
            final List<SimApp> live = new ArrayList<>();
            for (final Node node : nodes)
            {
                node.app.alive = true;
                live.add(node.app);
            }
            checker.finalCheck(live);
            result.addAll(checker.violations.subList(Math.min(result.size(), checker.violations.size()),
                checker.violations.size()));
        }
        return result;
    }

    String summary()
    {
        return scenario + " events=" + events + " frames=" + framesSent + " crashes=" + crashes + " partitions=" +
            partitions + " linkCuts=" + linkCuts + " pauses=" + pauses + " leaves=" + leaves + " deliveries=" +
            checker.deliveries + " submitted=" + checker.submitted.size() +
            " " + checker.statistics() + " firstPrimary=" + firstPrimaryAtNs / 1_000_000 + "ms converged=" +
            (convergedAtNs < 0 ? "no" : (convergedAtNs - scenario.faultEndNs) / 1_000_000 + "ms after faults");
    }

    private void handle(final Event e)
    {
        if ((e.type == FRAME || e.type == TICK || e.type == WORK) && nodes[e.node - 1].pausedUntilNs > now)
        {
            e.time = nodes[e.node - 1].pausedUntilNs;
            queue.add(e);
            return;
        }
        switch (e.type)
        {
            case FRAME:
                onFrame(e);
                break;
            case TICK:
            {
                final Node node = nodes[e.node - 1];
                if (node.up && node.token == e.token)
                {
                    work(node);
                    schedule(now + scenario.tickIntervalNs, TICK, node.nodeId, 0, null, node.token);
                }
                break;
            }
            case WORK:
            {
                final Node node = nodes[e.node - 1];
                node.workPending = false;
                if (node.up && node.token == e.token)
                {
                    work(node);
                }
                break;
            }
            case SUBMIT:
                onSubmit(nodes[e.node - 1]);
                break;
            case START:
                startNode(nodes[e.node - 1], nodes[e.node - 1].initialMember);
                break;
            case CRASH:
                onCrash();
                break;
            case RESTART:
            {
                final Node node = nodes[e.node - 1];
                if (!node.up)
                {
                    startNode(node, false);
                }
                break;
            }
            case PARTITION:
                onPartition();
                break;
            case HEAL:
                if (e.token == partitions)
                {
                    heal();
                }
                break;
            case QUIET:
                onQuiet();
                break;
            case LINK_CUT:
                onLinkCut();
                break;
            case LINK_HEAL:
                cut[e.from - 1][e.node - 1] = false;
                break;
            case PAUSE:
                onPause();
                break;
            case LEAVE:
                onLeave();
                break;
            case CHECK:
                if (isConverged())
                {
                    converged = true;
                    convergedAtNs = now;
                }
                else
                {
                    schedule(now + SimScenario.ms(20), CHECK, 0, 0, null, 0);
                }
                break;
            default:
                throw new IllegalStateException("unknown event " + e.type);
        }
    }

    private void work(final Node node)
    {
        node.membership.doWork(now);
        node.app.endOfEvent();
        if (node.leaving && node.membership.state() == MembershipState.LEFT)
        {
            node.leaving = false;
            node.up = false;
            node.token++;
            node.app.alive = false;
            node.app.leftCleanly = node.membership.isOutboxEmpty();
            if (trace)
            {
                trace("node " + node.nodeId + "/" + node.incarnation + " left" +
                    (node.app.leftCleanly ? " cleanly" : " with submissions not stable"));
            }
            schedule(now + exponential(faultRandom, scenario.meanDowntimeNs), RESTART, node.nodeId, 0, null, 0);
        }
        if (firstPrimaryAtNs < 0 && node.membership.state() == MembershipState.OPERATIONAL)
        {
            firstPrimaryAtNs = now;
        }
    }

    private void startNode(final Node node, final boolean founder)
    {
        node.incarnation++;
        node.token++;
        node.up = true;
        node.started = true;
        node.nextOriginSeq = 1;
        node.workPending = false;
        final SimApp app = new SimApp(node.nodeId, node.incarnation, founder, checker);
        checker.register(app);
        final int[] initial = new int[nodes.length - (scenario.lateJoiner ? 1 : 0)];
        for (int i = 0; i < initial.length; i++)
        {
            initial[i] = i + 1;
        }
        final MembershipContext ctx = new MembershipContext()
            .nodeId(node.nodeId)
            .incarnation(node.incarnation)
            .bootstrap(founder)
            .initialMembers(initial)
            .clusterSecret(SECRET)
            .randomSeed(nodeSeeds.nextLong())
            .heartbeatIntervalNs(scenario.heartbeatIntervalNs)
            .suspicionTimeoutNs(scenario.suspicionTimeoutNs)
            .flushTimeoutNs(scenario.flushTimeoutNs)
            .joinTimeoutNs(scenario.suspicionTimeoutNs)
            .joinDelayNs(scenario.heartbeatIntervalNs / 2)
            .retransmitIntervalNs(SimScenario.ms(10))
            .resubmitIntervalNs(SimScenario.ms(60))
            .ackIntervalNs(SimScenario.ms(1))
            .stateRequestIntervalNs(SimScenario.ms(100))
            .leaveTimeoutNs(scenario.faultEndNs + SimScenario.ms(5000))
            .logCapacity(scenario.logCapacity)
            .window(scenario.window)
            .outboxCapacity(scenario.outboxCapacity)
            .maxBatchLength(scenario.maxBatchLength)
            .outbound(node)
            .listener(app)
            .stateTransferHandler(app);
        node.membership = new Membership(ctx);
        node.app = app;
        app.membership = node.membership;
        if (trace)
        {
            trace("start node " + node.nodeId + "/" + node.incarnation + (founder ? " (founder)" : ""));
        }
        node.membership.start(now);
        app.endOfEvent();
        schedule(now + faultRandom.nextLong(scenario.tickIntervalNs), TICK, node.nodeId, 0, null, node.token);
    }

    private void transmit(final Node from, final Node to, final byte[] bytes)
    {
        framesSent++;
        if (networkRandom.nextDouble() < (quiet ? 0 : scenario.dropRate))
        {
            return;
        }
        final int copies = networkRandom.nextDouble() < (quiet ? 0 : scenario.duplicateRate) ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            final long delay = scenario.minDelayNs + networkRandom.nextLong(scenario.jitterNs + 1);
            schedule(now + delay, FRAME, to.nodeId, from.nodeId, bytes, 0);
        }
    }

    private void onFrame(final Event e)
    {
        final Node to = nodes[e.node - 1];
        if (!to.up || group[e.from - 1] != group[e.node - 1] || cut[e.from - 1][e.node - 1])
        {
            return;
        }
        frameBuffer.wrap(e.bytes);
        if (trace)
        {
            trace("frame " + e.from + " -> " + to.nodeId + " template " + (frameBuffer.getShort(2,
                ByteOrder.LITTLE_ENDIAN) & 0xFFFF) + " length " + e.bytes.length);
        }
        to.membership.onFrame(frameBuffer, 0, e.bytes.length, now);
        to.app.endOfEvent();
        if (!to.workPending)
        {
            to.workPending = true;
            schedule(now + networkRandom.nextLong(SimScenario.ms(1) / 10 + 1), WORK, to.nodeId, 0, null, to.token);
        }
    }

    private void onSubmit(final Node node)
    {
        if (now >= scenario.loadEndNs)
        {
            return;
        }
        if (node.up && node.pausedUntilNs <= now)
        {
            final boolean safe = loadRandom.nextDouble() < scenario.safeFraction;
            final long key = Checker.key(node.nodeId, node.incarnation, node.nextOriginSeq);
            final int length = 8 + loadRandom.nextInt(scenario.maxExtraPayload + 1);
            payloadBuffer.putLong(0, key, ByteOrder.LITTLE_ENDIAN);
            for (int i = 8; i < length; i++)
            {
                payloadBuffer.putByte(i, (byte)i);
            }
            final long result = node.membership.submit(
                safe ? DeliveryLevel.SAFE : DeliveryLevel.AGREED, payloadBuffer, 0, length);
            node.app.endOfEvent();
            if (result > 0)
            {
                if (result != node.nextOriginSeq)
                {
                    checker.violation("node " + node.nodeId + " submit returned origin seq " + result +
                        " instead of " + node.nextOriginSeq);
                }
                node.nextOriginSeq++;
                checker.onSubmitted(node.app, key, safe);
            }
            if (trace)
            {
                trace("submit at node " + node.nodeId + " " + Checker.describeKey(key) + (safe ? " SAFE" : "") +
                    " -> " + result);
            }
        }
        schedule(now + exponential(loadRandom, (long)(1e9 / scenario.submitsPerSecondPerNode)), SUBMIT,
            node.nodeId, 0, null, 0);
    }

    private void onCrash()
    {
        if (quiet)
        {
            return;
        }
        final int index = faultRandom.nextInt(nodes.length);
        final Node node = nodes[index];
        if (node.up && crashKeepsLiveness(node))
        {
            crashes++;
            node.leaving = false;
            node.up = false;
            node.token++;
            node.app.alive = false;
            if (trace)
            {
                trace("crash node " + node.nodeId + "/" + node.incarnation);
            }
            schedule(now + exponential(faultRandom, scenario.meanDowntimeNs), RESTART, node.nodeId, 0, null, 0);
        }
        schedule(now + exponential(faultRandom, scenario.meanCrashGapNs), CRASH, 0, 0, null, 0);
    }

    /**
     * A crash is allowed only if a primary view can still form afterwards: for every live node's last primary view
     * and accepted value, and every value proposed for a successor not yet decided, a majority of its members stays
     * up (with the same incarnation) and one of them holds the state. Before any primary view exists, nothing may
     * crash (the founders' majority is needed). Without persistent acceptor state (a restart is a new incarnation),
     * losing such a majority halts the primary component for good: see docs/ARCHITECTURE.md, "Not handled yet".
     */
    private boolean crashKeepsLiveness(final Node victim)
    {
        boolean anyPrimary = false;
        for (final Node node : nodes)
        {
            if (!node.up)
            {
                continue;
            }
            final View lastPrimary = node.membership.lastPrimaryView();
            if (lastPrimary != null && lastPrimary.viewId() > View.BOOTSTRAP_VIEW_ID)
            {
                anyPrimary = true;
                if (!survives(lastPrimary, victim))
                {
                    return false;
                }
            }
            final View accepted = node.membership.acceptedValue();
            if (accepted != null && !survives(accepted, victim))
            {
                return false;
            }
        }
        for (final View proposed : proposedValues)
        {
            if (!checker.successors.containsKey(proposed.predecessorViewId()) && !survives(proposed, victim))
            {
                return false;
            }
        }
        return anyPrimary;
    }

    private boolean survives(final View view, final Node victim)
    {
        int up = 0;
        boolean state = false;
        for (int i = 0; i < view.size(); i++)
        {
            final int id = view.memberId(i);
            if (id < 1 || id > nodes.length)
            {
                continue;
            }
            final Node node = nodes[id - 1];
            if (node != victim && node.up && !node.leaving && node.incarnation == view.memberIncarnation(i))
            {
                up++;
                state |= node.membership.hasState();
            }
        }
        return view.isMajority(up) && state;
    }

    private void onPartition()
    {
        if (quiet)
        {
            return;
        }
        partitions++;
        final View target = currentPrimaryView();
        if (target != null && faultRandom.nextBoolean())
        {
            // Isolate the sequencer, alone or with one follower, from the rest.
            java.util.Arrays.fill(group, 0);
            group[target.coordinator() - 1] = 1;
            if (target.size() > 2 && faultRandom.nextBoolean())
            {
                group[target.memberId(1 + faultRandom.nextInt(target.size() - 1)) - 1] = 1;
            }
        }
        else
        {
            final int groups = 2 + (nodes.length > 3 ? faultRandom.nextInt(2) : 0);
            for (int i = 0; i < group.length; i++)
            {
                group[i] = faultRandom.nextInt(groups);
            }
        }
        if (trace)
        {
            trace("partition " + java.util.Arrays.toString(group));
        }
        final long duration = exponential(faultRandom, scenario.meanPartitionGapNs);
        schedule(now + duration, HEAL, 0, 0, null, partitions);
        schedule(now + duration + exponential(faultRandom, scenario.meanPartitionGapNs), PARTITION, 0, 0, null, 0);
    }

    private void onLinkCut()
    {
        if (quiet)
        {
            return;
        }
        if (nodes.length > 1)
        {
            linkCuts++;
            final View target = currentPrimaryView();
            final boolean targeted = target != null && target.size() > 2 && faultRandom.nextBoolean();
            final int links = targeted ? 1 : 1 + faultRandom.nextInt(nodes.length);
            for (int i = 0; i < links; i++)
            {
                // Targeted: the sequencer cannot reach the next oldest member, which excludes it, while the others
                // still hear it.
                final int from = targeted ? target.coordinator() - 1 : faultRandom.nextInt(nodes.length);
                final int to = targeted ? target.memberId(1) - 1 : faultRandom.nextInt(nodes.length);
                if (from != to && !cut[from][to])
                {
                    cut[from][to] = true;
                    if (trace)
                    {
                        trace("cut link " + (from + 1) + " -> " + (to + 1));
                    }
                    schedule(now + exponential(faultRandom, scenario.meanLinkCutGapNs), LINK_HEAL, to + 1, from + 1,
                        null, 0);
                }
            }
        }
        schedule(now + exponential(faultRandom, scenario.meanLinkCutGapNs), LINK_CUT, 0, 0, null, 0);
    }

    /**
     * Remember every value proposed in a round (FlushAccept): until its instance is decided it may be chosen, so the
     * crash rule must keep a majority of it alive too.
     */
    private void observeProposal(final DirectBuffer buffer, final int offset)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        if (header.templateId() != FlushAcceptDecoder.TEMPLATE_ID)
        {
            return;
        }
        final FlushAcceptDecoder d = new FlushAcceptDecoder().wrapAndApplyHeader(buffer, offset, header);
        final long viewId = d.viewId();
        final long predecessor = d.predecessorViewId();
        final long endSeq = d.endSeq();
        final FlushAcceptDecoder.MembersDecoder members = d.members();
        final int[] ids = new int[members.count()];
        final long[] incs = new long[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            members.next();
            ids[i] = members.nodeId();
            incs[i] = members.incarnation();
        }
        proposedValues.add(new View(viewId, predecessor, endSeq, true, ids, incs));
    }

    private View currentPrimaryView()
    {
        View best = null;
        for (final Node node : nodes)
        {
            if (node.up && node.membership.inPrimaryView() &&
                (best == null || node.membership.view().viewId() > best.viewId()))
            {
                best = node.membership.view();
            }
        }
        return best;
    }

    private void onLeave()
    {
        if (quiet)
        {
            return;
        }
        final Node node = nodes[faultRandom.nextInt(nodes.length)];
        if (node.up && !node.leaving && node.membership.inPrimaryView() && crashKeepsLiveness(node))
        {
            leaves++;
            node.leaving = true;
            if (trace)
            {
                trace("node " + node.nodeId + "/" + node.incarnation + " leaves");
            }
            node.membership.leave(now);
        }
        schedule(now + exponential(faultRandom, scenario.meanLeaveGapNs), LEAVE, 0, 0, null, 0);
    }

    private void onPause()
    {
        if (quiet)
        {
            return;
        }
        final Node node = nodes[faultRandom.nextInt(nodes.length)];
        if (node.up)
        {
            pauses++;
            node.pausedUntilNs = now + exponential(faultRandom, scenario.suspicionTimeoutNs * 2);
            if (trace)
            {
                trace("pause node " + node.nodeId + " until " + node.pausedUntilNs / 1_000_000 + " ms");
            }
        }
        schedule(now + exponential(faultRandom, scenario.meanPauseGapNs), PAUSE, 0, 0, null, 0);
    }

    private void heal()
    {
        for (final boolean[] row : cut)
        {
            java.util.Arrays.fill(row, false);
        }
        java.util.Arrays.fill(group, 0);
        if (trace)
        {
            trace("heal");
        }
    }

    private void onQuiet()
    {
        quiet = true;
        heal();
        if (trace)
        {
            trace("faults stop");
        }
        for (final Node node : nodes)
        {
            if (node.started && !node.up)
            {
                schedule(now + faultRandom.nextLong(SimScenario.ms(200)), RESTART, node.nodeId, 0, null, 0);
            }
        }
        schedule(now + SimScenario.ms(20), CHECK, 0, 0, null, 0);
    }

    private boolean isConverged()
    {
        if (now < scenario.loadEndNs)
        {
            return false;
        }
        View view = null;
        long delivered = -1;
        for (final Node node : nodes)
        {
            if (!node.up)
            {
                return false;
            }
            final Membership m = node.membership;
            if (m.state() != MembershipState.OPERATIONAL || !m.hasState() || !m.isOutboxEmpty())
            {
                return false;
            }
            if (view == null)
            {
                view = m.view();
                delivered = m.deliveredSeq();
            }
            else if (m.view().viewId() != view.viewId() || m.deliveredSeq() != delivered)
            {
                return false;
            }
            if (m.receivedSeq() != m.deliveredSeq())
            {
                return false;
            }
        }
        if (view == null || view.size() != nodes.length)
        {
            return false;
        }
        for (final Node node : nodes)
        {
            if (!view.contains(node.nodeId, node.incarnation))
            {
                return false;
            }
        }
        return true;
    }

    private void schedule(final long time, final int type, final int node, final int from, final byte[] bytes,
        final long token)
    {
        final Event e = new Event();
        e.time = time;
        e.order = order++;
        e.type = type;
        e.node = node;
        e.from = from;
        e.bytes = bytes;
        e.token = token;
        queue.add(e);
    }

    private static long exponential(final SplittableRandom random, final long mean)
    {
        return (long)(-Math.log(1 - random.nextDouble()) * mean) + 1;
    }

    private void trace(final String line)
    {
        System.out.println(String.format("%9.3f ms  %s", now / 1e6, line));
    }
}
