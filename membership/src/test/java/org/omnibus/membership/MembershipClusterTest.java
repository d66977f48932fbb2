package org.omnibus.membership;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.omnibus.codec.sbe.membership.RetransmitRequestDecoder;
import org.omnibus.codec.sbe.membership.SequencedBatchDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few state machines wired by hand ({@link ManualCluster}): failures, partitions, joins and leaves played step by
 * step, with the time they take measured on the test's clock.
 */
class MembershipClusterTest
{
    private static final long MS = 1_000_000L;
    private static final long SUSPICION = TestNode.SUSPICION_NS;

    private static ManualCluster formed(final int count)
    {
        final ManualCluster cluster = new ManualCluster(count);
        cluster.run(2 * SUSPICION);
        for (final TestNode node : cluster.nodes)
        {
            assertThat(node.membership.state()).isEqualTo(MembershipState.OPERATIONAL);
            assertThat(node.membership.view().size()).isEqualTo(count);
        }
        return cluster;
    }

    @Test
    void foundersFormOneViewAndDeliverOneOrder()
    {
        final ManualCluster cluster = formed(3);
        for (int i = 0; i < 10; i++)
        {
            cluster.node(1 + i % 3).submit(i % 2 == 0 ? DeliveryLevel.AGREED : DeliveryLevel.SAFE, i);
        }
        cluster.run(20 * MS);
        final List<Long> order = cluster.node(1).deliveredValues();
        assertThat(order).hasSize(10).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(cluster.node(2).deliveredValues()).isEqualTo(order);
        assertThat(cluster.node(3).deliveredValues()).isEqualTo(order);
        for (final TestNode node : cluster.nodes)
        {
            assertThat(node.membership.isOutboxEmpty()).isTrue();
        }
    }

    @Test
    void survivorsReplaceACrashedSequencerWithinTheSuspicionAndFlushTimeouts()
    {
        final ManualCluster cluster = formed(3);
        final View before = cluster.node(2).membership.view();
        assertThat(before.coordinator()).isEqualTo(1);
        cluster.crash(1);
        final long crashedAt = cluster.nowNs;
        cluster.node(2).submit(DeliveryLevel.SAFE, 20);
        cluster.node(3).submit(DeliveryLevel.AGREED, 30);
        long installedAt = -1;
        while (cluster.nowNs - crashedAt < 4 * SUSPICION)
        {
            cluster.run(MS);
            if (installedAt < 0 && cluster.node(2).membership.view().viewId() != before.viewId() &&
                cluster.node(3).membership.view().viewId() == cluster.node(2).membership.view().viewId())
            {
                installedAt = cluster.nowNs;
            }
        }
        assertThat(installedAt).isPositive();
        assertThat(installedAt - crashedAt).isLessThanOrEqualTo(2 * SUSPICION + TestNode.HEARTBEAT_NS);
        final View after = cluster.node(2).membership.view();
        assertThat(after.size()).isEqualTo(2);
        assertThat(after.coordinator()).isEqualTo(2);
        assertThat(cluster.node(2).deliveredValues()).containsExactlyInAnyOrder(20L, 30L);
        assertThat(cluster.node(3).deliveredValues()).isEqualTo(cluster.node(2).deliveredValues());
    }

    @Test
    void anUnreachableHintFromTheTransportSuspectsAMemberAtOnce()
    {
        final ManualCluster cluster = formed(3);
        cluster.crash(3);
        cluster.node(1).membership.onPeerUnreachable(3, cluster.nowNs);
        cluster.run(TestNode.SUSPICION_NS / 4);
        assertThat(cluster.node(1).membership.view().size()).isEqualTo(2);
        assertThat(cluster.node(2).membership.view().size()).isEqualTo(2);
    }

    @Test
    void aCutOffSequencerDeliversAgreedAloneNeverSafeAndIsRepairedByAStateTransfer()
    {
        final ManualCluster cluster = formed(3);
        cluster.node(2).submit(DeliveryLevel.AGREED, 1);
        cluster.run(10 * MS);
        cluster.isolate(1, true);
        cluster.node(1).submit(DeliveryLevel.AGREED, 100);
        cluster.node(1).submit(DeliveryLevel.SAFE, 101);
        cluster.node(2).submit(DeliveryLevel.AGREED, 200);
        cluster.run(10 * MS);
        // Alone, the old sequencer delivers its own AGREED message (the others will never see it there) but holds
        // the SAFE one, which cannot become stable.
        assertThat(cluster.node(1).deliveredValues()).containsExactly(1L, 100L);
        cluster.run(3 * SUSPICION);
        assertThat(cluster.node(1).membership.state()).isEqualTo(MembershipState.NON_PRIMARY);
        assertThat(cluster.node(2).membership.view().size()).isEqualTo(2);
        assertThat(cluster.node(2).deliveredValues()).containsExactly(1L, 200L);

        cluster.isolate(1, false);
        cluster.run(3 * SUSPICION);
        for (final TestNode node : cluster.nodes)
        {
            assertThat(node.membership.state()).isEqualTo(MembershipState.OPERATIONAL);
            assertThat(node.membership.view().size()).isEqualTo(3);
        }
        assertThat(cluster.node(1).snapshotsInstalled).isEqualTo(1);
        // After the transfer node 1 holds exactly what the others hold, its own messages ordered in the new view.
        assertThat(cluster.node(2).state).containsExactly(1L, 200L, 100L, 101L);
        assertThat(cluster.node(1).state).isEqualTo(cluster.node(2).state);
        assertThat(cluster.node(3).state).isEqualTo(cluster.node(2).state);
    }

    @Test
    void aMinorityStopsDeliveringAndCatchesUpWhenHealed()
    {
        final ManualCluster cluster = formed(3);
        cluster.isolate(3, true);
        cluster.run(3 * SUSPICION);
        assertThat(cluster.node(3).membership.state()).isEqualTo(MembershipState.NON_PRIMARY);
        assertThat(cluster.node(3).views.get(cluster.node(3).views.size() - 1).isPrimary()).isFalse();
        assertThat(cluster.node(1).membership.view().size()).isEqualTo(2);

        assertThat(cluster.node(3).submit(DeliveryLevel.AGREED, 3)).isEqualTo(1);
        cluster.node(1).submit(DeliveryLevel.AGREED, 1);
        cluster.run(50 * MS);
        assertThat(cluster.node(3).deliveries).isEmpty();
        assertThat(cluster.node(1).deliveredValues()).containsExactly(1L);

        cluster.isolate(3, false);
        cluster.run(3 * SUSPICION);
        assertThat(cluster.node(3).membership.state()).isEqualTo(MembershipState.OPERATIONAL);
        assertThat(cluster.node(3).membership.view().size()).isEqualTo(3);
        assertThat(cluster.node(1).state).containsExactly(1L, 3L);
        assertThat(cluster.node(3).state).isEqualTo(cluster.node(1).state);
    }

    @Test
    void aLeavingMemberIsExcludedAfterItsMessagesAreStable()
    {
        final ManualCluster cluster = formed(3);
        cluster.node(3).submit(DeliveryLevel.SAFE, 7);
        cluster.node(3).membership.leave(cluster.nowNs);
        assertThat(cluster.node(3).submit(DeliveryLevel.AGREED, 8)).isEqualTo(Membership.CLOSED);
        cluster.run(2 * SUSPICION);
        assertThat(cluster.node(3).membership.state()).isEqualTo(MembershipState.LEFT);
        assertThat(cluster.node(1).membership.view().size()).isEqualTo(2);
        assertThat(cluster.node(1).membership.view().indexOf(3)).isEqualTo(-1);
        assertThat(cluster.node(1).deliveredValues()).containsExactly(7L);
        assertThat(cluster.node(2).deliveredValues()).containsExactly(7L);
    }

    @Test
    void aLeavingMemberCutOffFromTheOthersGivesUpAfterTheLeaveTimeout()
    {
        final ManualCluster cluster = formed(3);
        cluster.isolate(3, true);
        cluster.node(3).membership.leave(cluster.nowNs);
        cluster.run(3 * SUSPICION);
        // Outside the primary view, but still a member of the last one as far as it knows: it waits.
        assertThat(cluster.node(3).membership.state()).isIn(MembershipState.FLUSHING, MembershipState.NON_PRIMARY);
        assertThat(cluster.node(1).membership.view().size()).isEqualTo(2);
        cluster.run(MembershipConfiguration.LEAVE_TIMEOUT_DEFAULT_NS);
        assertThat(cluster.node(3).membership.state()).isEqualTo(MembershipState.LEFT);
        assertThat(cluster.node(1).membership.view().size()).isEqualTo(2);
    }

    @Test
    void aLeavingCoordinatorHandsOver()
    {
        final ManualCluster cluster = formed(3);
        cluster.node(1).membership.leave(cluster.nowNs);
        cluster.run(2 * SUSPICION);
        assertThat(cluster.node(1).membership.state()).isEqualTo(MembershipState.LEFT);
        assertThat(cluster.node(2).membership.view().coordinator()).isEqualTo(2);
        cluster.node(3).submit(DeliveryLevel.SAFE, 5);
        cluster.run(20 * MS);
        assertThat(cluster.node(2).deliveredValues()).containsExactly(5L);
    }

    @Test
    void aRestartedNodeWithAHigherIncarnationReplacesTheOldOneAndReceivesTheState()
    {
        final ManualCluster cluster = formed(3);
        cluster.node(1).submit(DeliveryLevel.AGREED, 1);
        cluster.run(10 * MS);
        cluster.crash(3);
        final TestNode restarted = cluster.restart(3, 2);
        cluster.run(SUSPICION);
        final View view = cluster.node(1).membership.view();
        assertThat(view.size()).isEqualTo(3);
        assertThat(view.contains(3, 2)).isTrue();
        assertThat(restarted.membership.state()).isEqualTo(MembershipState.OPERATIONAL);
        assertThat(restarted.membership.hasState()).isTrue();
        assertThat(restarted.snapshotsInstalled).isEqualTo(1);
        assertThat(restarted.state).containsExactly(1L);
        restarted.submit(DeliveryLevel.SAFE, 2);
        cluster.run(20 * MS);
        assertThat(cluster.node(1).state).containsExactly(1L, 2L);
        assertThat(restarted.state).containsExactly(1L, 2L);
        assertThat(restarted.deliveries.get(0).originSeq).isEqualTo(1);
    }

    @Test
    void aLostBatchIsRequestedAgainAndRetransmitted()
    {
        final ManualCluster cluster = formed(3);
        final boolean[] dropped = { false };
        cluster.dropFilter = frame -> frame.templateId() == SequencedBatchDecoder.TEMPLATE_ID && !dropped[0] &&
            frame.bytes.length > 60 && (dropped[0] = true);
        cluster.node(1).submit(DeliveryLevel.AGREED, 1);
        cluster.run(MS);
        cluster.dropFilter = frame -> false;
        assertThat(cluster.node(2).deliveries).isEmpty();
        cluster.node(2).sent.clear();
        cluster.run(20 * MS);
        assertThat(cluster.node(2).deliveredValues()).containsExactly(1L);
        assertThat(cluster.node(2).membership.counters().retransmitRequestsSent()).isPositive();
        assertThat(cluster.node(1).membership.counters().retransmitRequestsServed()).isPositive();
        assertThat(RetransmitRequestDecoder.TEMPLATE_ID).isEqualTo(43);
    }

    @Test
    void safeWaitsUntilEveryMemberHoldsTheMessage()
    {
        final ManualCluster cluster = formed(3);
        cluster.cut[3][1] = true;
        cluster.node(2).submit(DeliveryLevel.SAFE, 9);
        cluster.node(2).submit(DeliveryLevel.AGREED, 10);
        cluster.run(30 * MS);
        // Node 3 holds both but its acknowledgements do not reach the sequencer: nobody may deliver the SAFE
        // message, and the AGREED one ordered after it waits behind it.
        assertThat(cluster.node(3).membership.receivedSeq()).isEqualTo(2);
        for (final TestNode node : cluster.nodes)
        {
            assertThat(node.deliveries).isEmpty();
        }
        cluster.cut[3][1] = false;
        cluster.run(30 * MS);
        for (final TestNode node : cluster.nodes)
        {
            assertThat(node.deliveredValues()).containsExactly(9L, 10L);
        }
    }
}
