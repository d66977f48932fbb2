package org.omnibus.systemtest.cluster;

import java.nio.file.Path;
import java.time.Duration;

import io.aeron.driver.status.SystemCounterDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.aeron.Group;
import org.omnibus.test.TestCluster;
import org.omnibus.test.TestClusterNode;
import org.omnibus.test.Tests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real nodes in one JVM (each with its own embedded media driver, SHARED threading, and a group agent
 * thread) over UDP multicast on loopback: 100,000 messages submitted from all three, then the membership
 * simulator's checker over what every node delivered: no loss, no duplicate, one order, per-origin FIFO, SAFE
 * all-or-nothing.
 */
class InJvmClusterTest
{
    private static final Logger LOG = LoggerFactory.getLogger(InJvmClusterTest.class);
    private static final int MESSAGES = 100_000;
    private static final int PAYLOAD = 100;

    @TempDir
    Path tempDir;

    @Test
    @Timeout(180)
    void hundredThousandMessagesFromThreeNodes()
    {
        try (TestCluster cluster = TestCluster.aCluster().withNodes(3).withBaseDir(tempDir).start())
        {
            run(cluster);
        }
    }

    @Test
    @Timeout(240)
    void hundredThousandMessagesWithFivePercentPacketLoss()
    {
        try (TestCluster cluster = TestCluster.aCluster().withNodes(3).withBaseDir(tempDir).withLoss(0, 7).start())
        {
            cluster.awaitPrimaryView(Duration.ofSeconds(30));
            cluster.lossRate(0.05);
            run(cluster);
            assertThat(cluster.droppedFrames()).as("frames dropped by the loss generators").isPositive();
            long naks = 0;
            long retransmits = 0;
            for (final TestClusterNode node : cluster.nodes())
            {
                naks += node.group().systemCounter(SystemCounterDescriptor.NAK_MESSAGES_SENT);
                retransmits += node.group().systemCounter(SystemCounterDescriptor.RETRANSMITS_SENT);
            }
            LOG.info("5% loss: frames dropped={} NAKs sent={} retransmits sent={}", cluster.droppedFrames(), naks,
                retransmits);
            assertThat(naks).as("NAKs sent").isPositive();
            assertThat(retransmits).as("retransmits sent").isPositive();
        }
    }

    private static void run(final TestCluster cluster)
    {
        cluster.awaitPrimaryView(Duration.ofSeconds(30));
        final long startNs = System.nanoTime();
        final TestClusterNode[] nodes = cluster.nodes().toArray(new TestClusterNode[0]);
        final int perNode = MESSAGES / nodes.length + 1;
        final int[] sent = new int[nodes.length];
        Tests.await(() ->
        {
            int work = 0;
            for (int i = 0; i < nodes.length; i++)
            {
                for (int k = 0; k < 64 && sent[i] < perNode; k++)
                {
                    final DeliveryLevel level = sent[i] % 10 == 9 ? DeliveryLevel.SAFE : DeliveryLevel.AGREED;
                    final int result = nodes[i].submit(level, PAYLOAD);
                    if (result != Group.ACCEPTED)
                    {
                        assertThat(result).as("submit result").isEqualTo(Group.BACK_PRESSURED);
                        break;
                    }
                    sent[i]++;
                    work++;
                }
            }
            return work;
        }, () -> sent[0] == perNode && sent[1] == perNode && sent[2] == perNode, Duration.ofSeconds(120),
            () -> "all submitted: " + cluster.describe());
        cluster.awaitQuiescent(Duration.ofSeconds(60));
        final long elapsedNs = System.nanoTime() - startNs;
        LOG.info("{} messages ordered and delivered on 3 nodes in {} ms: {}", 3 * perNode, elapsedNs / 1_000_000,
            cluster.describe());

        assertThat(cluster.check()).as("checker").isEmpty();
        for (final TestClusterNode node : nodes)
        {
            assertThat(node.app().lastSeq()).isEqualTo(3L * perNode);
        }
    }
}
