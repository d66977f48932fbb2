package org.omnibus.membership;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.membership.AckDecoder;
import org.omnibus.codec.sbe.membership.FlushStateDecoder;
import org.omnibus.codec.sbe.membership.HeartbeatDecoder;
import org.omnibus.codec.sbe.membership.JoinRefusal;
import org.omnibus.codec.sbe.membership.JoinRefusedDecoder;
import org.omnibus.codec.sbe.membership.JoinRequestDecoder;
import org.omnibus.codec.sbe.membership.MessageHeaderDecoder;
import org.omnibus.codec.sbe.membership.NodeStatus;
import org.omnibus.codec.sbe.membership.SequencedBatchDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One state machine driven by hand: time advances only when the test says so, frames come in as bytes, and what the
 * machine sends, delivers and installs is asserted.
 */
class MembershipTest
{
    private static final long MS = 1_000_000L;

    private long now;

    private TestNode soloFounder()
    {
        final TestNode node = new TestNode(1).start(TestNode.context(1, 1, 1), now);
        assertThat(node.membership.state()).isEqualTo(MembershipState.JOINING);
        assertThat(node.sentOf(21)).hasSize(1);
        now += TestNode.SUSPICION_NS + MS;
        node.membership.doWork(now);
        return node;
    }

    @Test
    void soloFounderFormsTheFirstViewAndDeliversInSubmissionOrder()
    {
        final TestNode node = soloFounder();
        assertThat(node.membership.state()).isEqualTo(MembershipState.OPERATIONAL);
        assertThat(node.views).hasSize(1);
        final View view = node.views.get(0);
        assertThat(view.isPrimary()).isTrue();
        assertThat(view.predecessorViewId()).isEqualTo(View.BOOTSTRAP_VIEW_ID);
        assertThat(view.firstSeq()).isEqualTo(1);
        assertThat(view.coordinator()).isEqualTo(1);

        assertThat(node.submit(DeliveryLevel.AGREED, 10)).isEqualTo(1);
        assertThat(node.submit(DeliveryLevel.SAFE, 11)).isEqualTo(2);
        assertThat(node.submit(DeliveryLevel.AGREED, 12)).isEqualTo(3);
        assertThat(node.deliveries).isEmpty();
        node.membership.doWork(now);

        assertThat(node.deliveredValues()).containsExactly(10L, 11L, 12L);
        assertThat(node.deliveries.get(1).level).isEqualTo(DeliveryLevel.SAFE);
        assertThat(node.deliveries.get(2).seq).isEqualTo(3);
        assertThat(node.deliveries.get(2).originSeq).isEqualTo(3);
        assertThat(node.membership.isOutboxEmpty()).isTrue();
        assertThat(node.membership.stableSeq()).isEqualTo(3);
    }

    @Test
    void founderWaitsForTheJoinTimeoutBeforeBootstrapping()
    {
        final TestNode node = new TestNode(1).start(TestNode.context(1, 1, 1, 2, 3), now);
        now += TestNode.SUSPICION_NS / 2;
        node.membership.doWork(now);
        assertThat(node.membership.state()).isEqualTo(MembershipState.JOINING);
        now += TestNode.SUSPICION_NS;
        node.membership.doWork(now);
        // Alone, it is no majority of the three founders: it proposes, and ends in a non-primary view.
        assertThat(node.membership.state()).isEqualTo(MembershipState.NON_PRIMARY);
        assertThat(node.views).hasSize(1);
        assertThat(node.views.get(0).isPrimary()).isFalse();
    }

    @Test
    void submitPolicyRejectRefusesOutsideAPrimaryView()
    {
        final TestNode rejecting = new TestNode(1).start(
            TestNode.context(1, 2, 1).submitPolicy(SubmitPolicy.REJECT), now);
        assertThat(rejecting.submit(DeliveryLevel.AGREED, 1)).isEqualTo(Membership.NOT_PRIMARY);
        assertThat(rejecting.membership.counters().submitRejected()).isEqualTo(1);

        final TestNode waiting = new TestNode(2).start(TestNode.context(2, 2, 2), now);
        assertThat(waiting.submit(DeliveryLevel.AGREED, 1)).isEqualTo(1);
        assertThat(waiting.membership.isOutboxEmpty()).isFalse();
    }

    @Test
    void refusesAJoinRequestSignedWithoutTheClusterSecret()
    {
        final TestNode node = soloFounder();
        node.drain();
        final TestNode intruder = new TestNode(9).start(TestNode.context(9, 1, 9).clusterSecret("guess"), now);
        final TestNode.Frame request = intruder.sentOf(JoinRequestDecoder.TEMPLATE_ID).get(0);

        assertThat(node.membership.onFrame(request.buffer(), 0, request.bytes.length, now))
            .isEqualTo(Membership.FRAME_HANDLED);
        assertThat(node.membership.counters().joinRefusedBadAuthentication()).isEqualTo(1);
        final List<TestNode.Frame> refusals = node.sentOf(22);
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0).destination).isEqualTo(9);
        final JoinRefusedDecoder refused = new JoinRefusedDecoder()
            .wrapAndApplyHeader(refusals.get(0).buffer(), 0, new MessageHeaderDecoder());
        assertThat(refused.reason()).isEqualTo(JoinRefusal.BAD_AUTHENTICATION);
        assertThat(refused.targetNode()).isEqualTo(9);

        now += TestNode.SUSPICION_NS;
        node.membership.doWork(now);
        assertThat(node.membership.view().size()).isEqualTo(1);
        assertThat(node.membership.counters().roundsStarted()).isEqualTo(1);
    }

    @Test
    void aTamperedJoinRequestIsRefused()
    {
        final TestNode node = soloFounder();
        final TestNode joiner = new TestNode(2).start(TestNode.context(2, 1, 2), now);
        final TestNode.Frame request = joiner.sentOf(JoinRequestDecoder.TEMPLATE_ID).get(0);
        final UnsafeBuffer tampered = new UnsafeBuffer(request.bytes.clone());
        tampered.putLong(MessageHeaderDecoder.ENCODED_LENGTH + JoinRequestDecoder.incarnationEncodingOffset(), 7L,
            java.nio.ByteOrder.LITTLE_ENDIAN);
        node.membership.onFrame(tampered, 0, request.bytes.length, now);
        assertThat(node.membership.counters().joinRefusedBadAuthentication()).isEqualTo(1);
    }

    @Test
    void dropsAndCountsFramesOfAnotherSchemaAndTruncatedFrames()
    {
        final TestNode node = soloFounder();
        final UnsafeBuffer bus = new UnsafeBuffer(new byte[256]);
        final int length = MessageHeaderDecoder.ENCODED_LENGTH + new BusMessageEncoder()
            .wrapAndApplyHeader(bus, 0, new org.omnibus.codec.sbe.bus.MessageHeaderEncoder()).encodedLength();
        assertThat(node.membership.onFrame(bus, 0, length, now)).isEqualTo(Membership.FRAME_FOREIGN);
        assertThat(node.membership.onFrame(bus, 0, 5, now)).isEqualTo(Membership.FRAME_MALFORMED);

        final UnsafeBuffer batch = Frames.submitBatch(2, 1, node.membership.view().viewId(), new long[]{ 1 },
            new long[]{ 5 });
        assertThat(node.membership.onFrame(batch, 0, batch.capacity() - 3, now)).isEqualTo(Membership.FRAME_MALFORMED);
        assertThat(node.membership.counters().framesForeign()).isEqualTo(1);
        assertThat(node.membership.counters().framesMalformed()).isEqualTo(2);
    }

    @Test
    void heartbeatsAdvertiseProgressAtTheConfiguredInterval()
    {
        final TestNode node = soloFounder();
        node.submit(DeliveryLevel.AGREED, 1);
        node.membership.doWork(now);
        node.drain();
        now += TestNode.HEARTBEAT_NS - 1;
        node.membership.doWork(now);
        assertThat(node.sentOf(HeartbeatDecoder.TEMPLATE_ID)).isEmpty();
        now += 1;
        node.membership.doWork(now);
        final List<TestNode.Frame> heartbeats = node.sentOf(HeartbeatDecoder.TEMPLATE_ID);
        assertThat(heartbeats).hasSize(1);
        final HeartbeatDecoder hb = new HeartbeatDecoder()
            .wrapAndApplyHeader(heartbeats.get(0).buffer(), 0, new MessageHeaderDecoder());
        assertThat(hb.status()).isEqualTo(NodeStatus.OPERATIONAL);
        assertThat(hb.receivedSeq()).isEqualTo(1);
        assertThat(hb.deliveredSeq()).isEqualTo(1);
        assertThat(hb.viewId()).isEqualTo(node.membership.view().viewId());
    }

    @Test
    void sequencerStampsOnlyTheNextOriginSequenceOfEachMember()
    {
        final ManualCluster cluster = new ManualCluster(2);
        cluster.run(TestNode.SUSPICION_NS * 2);
        final TestNode sequencer = cluster.node(1);
        now = cluster.nowNs;
        assertThat(sequencer.membership.state()).isEqualTo(MembershipState.OPERATIONAL);
        assertThat(sequencer.membership.view().size()).isEqualTo(2);
        final long viewId = sequencer.membership.view().viewId();
        final long inc = cluster.node(2).incarnation;
        sequencer.drain();

        // 1 and 2 are stamped; 2 again is a duplicate; 4 leaves a gap and everything after it waits.
        feed(sequencer, Frames.submitBatch(2, inc, viewId, new long[]{ 1, 2, 2, 4, 5 }, new long[]{ 1, 2, 2, 4, 5 }));
        sequencer.membership.doWork(cluster.nowNs);
        assertThat(stamped(sequencer)).containsExactly(1L, 2L);

        // The origin resends from 3: 3 is stamped, the duplicate 1 ignored, then 4 and 5.
        feed(sequencer, Frames.submitBatch(2, inc, viewId, new long[]{ 1, 3, 4, 5 }, new long[]{ 1, 3, 4, 5 }));
        sequencer.membership.doWork(cluster.nowNs);
        assertThat(stamped(sequencer)).containsExactly(1L, 2L, 3L, 4L, 5L);

        // A stale incarnation and a non-member are ignored.
        feed(sequencer, Frames.submitBatch(2, inc - 1 + 100, viewId, new long[]{ 1 }, new long[]{ 9 }));
        feed(sequencer, Frames.submitBatch(7, 1, viewId, new long[]{ 1 }, new long[]{ 9 }));
        sequencer.membership.doWork(cluster.nowNs);
        assertThat(stamped(sequencer)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFrozenMemberNeitherDeliversNorAcknowledges()
    {
        final ManualCluster cluster = new ManualCluster(3);
        cluster.run(TestNode.SUSPICION_NS * 2);
        final TestNode member = cluster.node(2);
        now = cluster.nowNs;
        final View view = member.membership.view();
        assertThat(view.size()).isEqualTo(3);
        member.drain();

        // Node 3 proposes a round with a ballot above everything: node 2 promises and freezes.
        final long ballot = View.ballot(View.epoch(member.membership.promisedBallot()) + 5, 3);
        feed(member, Frames.flushRequest(3, cluster.node(3).incarnation, ballot,
            new int[]{ 2, 3 }, new long[]{ member.incarnation, cluster.node(3).incarnation }));
        assertThat(member.membership.state()).isEqualTo(MembershipState.FLUSHING);
        final List<TestNode.Frame> promises = member.sentOf(FlushStateDecoder.TEMPLATE_ID);
        assertThat(promises).hasSize(1);
        assertThat(promises.get(0).destination).isEqualTo(3);
        final FlushStateDecoder promise = new FlushStateDecoder()
            .wrapAndApplyHeader(promises.get(0).buffer(), 0, new MessageHeaderDecoder());
        assertThat(promise.ballot()).isEqualTo(ballot);
        assertThat(promise.lastPrimaryViewId()).isEqualTo(view.viewId());
        final long reported = promise.receivedSeq();

        // The old sequencer keeps stamping: node 2 stores the entries but delivers and acknowledges nothing.
        final TestNode sequencer = cluster.node(1);
        sequencer.submit(DeliveryLevel.AGREED, 77);
        sequencer.membership.doWork(cluster.nowNs);
        final List<TestNode.Frame> batches = sequencer.sentOf(SequencedBatchDecoder.TEMPLATE_ID);
        assertThat(batches).isNotEmpty();
        final int delivered = member.deliveries.size();
        member.drain();
        for (final TestNode.Frame batch : batches)
        {
            feed(member, batch.buffer());
        }
        now += TestNode.HEARTBEAT_NS;
        member.membership.doWork(now);
        assertThat(member.membership.receivedSeq()).isGreaterThan(reported);
        assertThat(member.deliveries).hasSize(delivered);
        assertThat(member.sentOf(AckDecoder.TEMPLATE_ID)).isEmpty();
        final List<TestNode.Frame> heartbeats = member.sentOf(HeartbeatDecoder.TEMPLATE_ID);
        assertThat(heartbeats).isNotEmpty();
        final HeartbeatDecoder hb = new HeartbeatDecoder()
            .wrapAndApplyHeader(heartbeats.get(0).buffer(), 0, new MessageHeaderDecoder());
        assertThat(hb.status()).isEqualTo(NodeStatus.FLUSHING);

        // A lower ballot is refused from now on.
        member.drain();
        feed(member, Frames.flushRequest(3, cluster.node(3).incarnation, ballot - (1 << 24),
            new int[]{ 2, 3 }, new long[]{ member.incarnation, cluster.node(3).incarnation }));
        assertThat(member.sentOf(62)).hasSize(1);
    }

    private void feed(final TestNode node, final UnsafeBuffer frame)
    {
        node.membership.onFrame(frame, 0, frame.capacity(), now);
    }

    private static List<Long> stamped(final TestNode sequencer)
    {
        final List<Long> values = new java.util.ArrayList<>();
        for (final TestNode.Delivery d : sequencer.deliveries)
        {
            if (d.origin == 2)
            {
                values.add(d.value);
            }
        }
        return values;
    }
}
