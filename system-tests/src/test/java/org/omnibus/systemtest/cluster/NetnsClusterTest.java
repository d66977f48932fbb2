package org.omnibus.systemtest.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.test.Tests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three hosts made of network namespaces the test creates (veth pairs on a bridge, real multicast between them on
 * {@code 10.77.0.0/24}, the interface named), one member process per host. Cutting one host off (its link down):
 * the other two go on in a primary view, the cut host stops delivering (non-primary). Healing: it rejoins, catches up
 * by state transfer, and what it submitted meanwhile is ordered. The checker judges every history.
 */
class NetnsClusterTest
{
    private static final Logger LOG = LoggerFactory.getLogger(NetnsClusterTest.class);
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final int PORT = 40457;

    @TempDir
    Path tempDir;

    private NetworkNamespaces namespaces;
    private ProcessCluster cluster;

    @BeforeEach
    void namespaces() throws IOException
    {
        final String reason = NetworkNamespaces.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        namespaces = NetworkNamespaces.create(3);
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        if (cluster != null)
        {
            cluster.close();
        }
        if (namespaces != null)
        {
            namespaces.close();
            assertThat(namespaces.remaining()).as("namespaces left behind").isEmpty();
        }
    }

    @Test
    @Timeout(300)
    void aCutHostStopsDeliveringAndCatchesUpWhenHealed() throws IOException
    {
        final ProcessCluster.Network network = new ProcessCluster.Network()
        {
            public List<String> prefix(final int id)
            {
                return namespaces.exec(id);
            }

            public String host(final int id)
            {
                return NetworkNamespaces.address(id);
            }

            public int port(final int id)
            {
                return PORT;
            }

            public String multicast()
            {
                return "224.0.1.77:40456";
            }

            public int ttl()
            {
                return 1;
            }
        };
        cluster = new ProcessCluster(tempDir, "netns-cut", 3, network,
            Map.of("suspicion-ms", "1000", "heartbeat-ms", "100"));
        for (int id = 1; id <= 3; id++)
        {
            cluster.start(id);
        }
        cluster.awaitPrimaryView(START, 1, 2, 3);
        for (int id = 1; id <= 3; id++)
        {
            cluster.member(id).send("submit 15000 2500 10");
        }
        Tests.await(() -> cluster.lastSeq(1) >= 3_000, AWAIT, () -> "progress;" + cluster.describe(1, 2, 3));

        namespaces.cut(3);
        LOG.info("host 3 cut off");
        cluster.awaitPrimaryView(AWAIT, 1, 2);
        Tests.await(() -> !"OPERATIONAL".equals(cluster.member(3).status(AWAIT).get("state")) &&
            !Boolean.parseBoolean(cluster.member(3).status(AWAIT).get("primary")), AWAIT,
            () -> "host 3 outside the primary component;" + cluster.describe(3));
        final Map<String, String> cutStatus = cluster.member(3).status(AWAIT);
        final long cutSeq = Long.parseLong(cutStatus.get("lastSeq"));
        LOG.info("host 3 is {} at sequence {}", cutStatus.get("state"), cutSeq);
        Tests.await(() -> cluster.lastSeq(1) > cutSeq + 2_000 && cluster.lastSeq(2) > cutSeq + 2_000, AWAIT,
            () -> "hosts 1 and 2 go on;" + cluster.describe(1, 2));
        final Map<String, String> stillCut = cluster.member(3).status(AWAIT);
        assertThat(Long.parseLong(stillCut.get("lastSeq"))).as("the cut host delivers nothing").isEqualTo(cutSeq);
        assertThat(stillCut.get("primary")).isEqualTo("false");

        namespaces.heal(3);
        LOG.info("host 3 healed");
        cluster.awaitPrimaryView(AWAIT, 1, 2, 3);
        cluster.awaitQuiescent(Duration.ofSeconds(120), 1, 2, 3);
        final long total = cluster.lastSeq(3);
        LOG.info("quiescent at sequence {}", total);
        assertThat(total).isEqualTo(3L * 15_000);

        final List<String> violations = cluster.exitAndCheck();
        assertThat(violations).as("checker").isEmpty();
    }
}
