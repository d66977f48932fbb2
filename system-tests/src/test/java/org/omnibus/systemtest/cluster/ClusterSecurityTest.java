package org.omnibus.systemtest.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.sbe.membership.HeartbeatEncoder;
import org.omnibus.codec.sbe.membership.MessageHeaderEncoder;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.View;
import org.omnibus.membership.aeron.BootstrapMode;
import org.omnibus.membership.aeron.Group;
import org.omnibus.membership.aeron.GroupContext;
import org.omnibus.membership.aeron.GroupCounters.Counter;
import org.omnibus.test.TestCluster;
import org.omnibus.test.TestClusterNode;
import org.omnibus.test.Tests;
import org.omnibus.transport.Transport;
import org.omnibus.transport.TransportStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node without the cluster secret cannot join (refused, counted); frames of a foreign schema or a newer schema
 * version are dropped and counted, and the cluster goes on ordering.
 */
class ClusterSecurityTest
{
    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path tempDir;

    @Test
    @Timeout(120)
    void aNodeWithoutTheSecretIsRefusedAndCounted()
    {
        try (TestCluster cluster = TestCluster.aCluster().withNodes(3).withBaseDir(tempDir.resolve("cluster"))
            .start())
        {
            cluster.awaitPrimaryView(AWAIT);
            final View before = cluster.node(1).group().view();
            final AtomicLong intruderDeliveries = new AtomicLong();
            final Group intruder = Group.launch(new GroupContext()
                .nodeId(4)
                .dataDir(tempDir.resolve("intruder").toFile())
                .clusterSecret("a guess")
                .initialMembers(1, 2, 3)
                .bootstrapMode(BootstrapMode.NEVER)
                .listener(new CountingListener(intruderDeliveries))
                .stateTransferHandler(NO_STATE)
                .transportContext(cluster.transportContext().nodeId(4)));
            try
            {
                for (final TestClusterNode node : cluster.nodes())
                {
                    node.group().addPeer(intruder.localPeer());
                    intruder.addPeer(node.group().localPeer());
                }
                Tests.await(() -> cluster.nodes().stream().allMatch((n) ->
                    n.group().counters().get(Counter.JOIN_REFUSED_BAD_AUTHENTICATION) >= 3),
                    AWAIT, () -> "every member refused the intruder three times: " + cluster.describe());

                for (final TestClusterNode node : cluster.nodes())
                {
                    for (int i = 0; i < 200; i++)
                    {
                        Tests.await(() -> node.submit(DeliveryLevel.AGREED, 64) == Group.ACCEPTED, AWAIT);
                    }
                }
                cluster.awaitQuiescent(AWAIT);

                assertThat(intruder.isPrimary()).isFalse();
                assertThat(intruder.view() == null || !intruder.view().isPrimary()).isTrue();
                assertThat(intruderDeliveries.get()).isZero();
                for (final TestClusterNode node : cluster.nodes())
                {
                    assertThat(node.group().view().viewId()).as("no view change for the intruder")
                        .isEqualTo(before.viewId());
                    assertThat(node.group().view().indexOf(4)).isNegative();
                }
                assertThat(cluster.check()).isEmpty();
            }
            finally
            {
                CloseHelper.close(intruder);
            }
        }
    }

    @Test
    @Timeout(120)
    void framesOfAForeignSchemaOrVersionAreDroppedAndCounted()
    {
        try (TestCluster cluster = TestCluster.aCluster().withNodes(3).withBaseDir(tempDir.resolve("cluster"))
            .start())
        {
            cluster.awaitPrimaryView(AWAIT);
            final View before = cluster.node(1).group().view();
            final long[] foreignBefore = new long[3];
            for (int i = 0; i < 3; i++)
            {
                foreignBefore[i] = cluster.node(i + 1).group().counters().get(Counter.FRAMES_FOREIGN);
            }

            final UnsafeBuffer newerVersion = new UnsafeBuffer(new byte[128]);
            final int newerLength = heartbeat(newerVersion, HeartbeatEncoder.SCHEMA_ID,
                HeartbeatEncoder.SCHEMA_VERSION + 1);
            final UnsafeBuffer otherSchema = new UnsafeBuffer(new byte[128]);
            final int otherLength = heartbeat(otherSchema, HeartbeatEncoder.SCHEMA_ID + 1,
                HeartbeatEncoder.SCHEMA_VERSION);

            try (Transport raw = Transport.launch(cluster.transportContext().nodeId(9)
                .dataDir(tempDir.resolve("raw").toFile())))
            {
                Tests.await(() ->
                {
                    raw.poll(10);
                    raw.offer(TransportStream.CONTROL, newerVersion, 0, newerLength);
                    raw.offer(TransportStream.ORDERED, otherSchema, 0, otherLength);
                    return 1;
                }, () ->
                {
                    for (int i = 0; i < 3; i++)
                    {
                        if (cluster.node(i + 1).group().counters().get(Counter.FRAMES_FOREIGN) < foreignBefore[i] + 2)
                        {
                            return false;
                        }
                    }
                    return true;
                }, AWAIT, () -> "foreign frames counted: " + cluster.describe());
            }

            for (final TestClusterNode node : cluster.nodes())
            {
                Tests.await(() -> node.submit(DeliveryLevel.SAFE, 64) == Group.ACCEPTED, AWAIT);
            }
            cluster.awaitQuiescent(AWAIT);
            for (final TestClusterNode node : cluster.nodes())
            {
                assertThat(node.group().view().viewId()).isEqualTo(before.viewId());
                assertThat(node.group().counters().get(Counter.FRAMES_MALFORMED)).isZero();
            }
            assertThat(cluster.check()).isEmpty();
        }
    }

    /**
     * A heartbeat from "node 9" whose header claims the given schema id and version.
     */
    private static int heartbeat(final MutableDirectBuffer buffer, final int schemaId, final int version)
    {
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
        heartbeat.wrapAndApplyHeader(buffer, 0, header).nodeId(9).incarnation(1).viewId(0);
        header.schemaId(schemaId).version(version);
        return MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
    }

    private static final StateTransferHandler NO_STATE = new StateTransferHandler()
    {
        public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
        {
            return 0;
        }

        public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
        {
        }
    };

    private static final class CountingListener implements MembershipListener
    {
        private final AtomicLong deliveries;

        CountingListener(final AtomicLong deliveries)
        {
            this.deliveries = deliveries;
        }

        public void onDeliver(
            final long viewId,
            final long globalSeq,
            final int originNode,
            final long originIncarnation,
            final long originSeq,
            final DeliveryLevel level,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            deliveries.incrementAndGet();
        }

        public void onViewChange(final View view)
        {
        }
    }
}
