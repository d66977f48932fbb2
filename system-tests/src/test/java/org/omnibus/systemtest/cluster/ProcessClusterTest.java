package org.omnibus.systemtest.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omnibus.test.TestCluster;
import org.omnibus.test.Tests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three group members as separate processes on loopback multicast. Mid-stream one is killed with SIGKILL (the
 * sequencer in one run, a follower in the other): the survivors form a new primary view within 2 s of the suspicion
 * timeout and keep ordering; the killed node restarts from its data directory with a higher incarnation, rejoins
 * (state transfer) and submits again; the checker judges every incarnation's history.
 */
class ProcessClusterTest
{
    private static final Logger LOG = LoggerFactory.getLogger(ProcessClusterTest.class);
    private static final long SUSPICION_MS = 1_000;
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration AWAIT = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "kill -9 the {0}")
    @ValueSource(strings = { "sequencer", "follower" })
    @Timeout(300)
    void survivorsGoOnAndTheKilledNodeRejoins(final String victimRole) throws IOException
    {
        final int[] ports = { 0, freePort(), freePort(), freePort() };
        final String multicast = TestCluster.randomMulticastEndpoint();
        final ProcessCluster.Network loopback = new ProcessCluster.Network()
        {
            public List<String> prefix(final int id)
            {
                return List.of();
            }

            public String host(final int id)
            {
                return "127.0.0.1";
            }

            public int port(final int id)
            {
                return ports[id];
            }

            public String multicast()
            {
                return multicast;
            }

            public int ttl()
            {
                return 0;
            }
        };

        try (ProcessCluster cluster = new ProcessCluster(tempDir, "kill-" + victimRole, 3, loopback,
            Map.of("suspicion-ms", String.valueOf(SUSPICION_MS), "heartbeat-ms", "100")))
        {
            for (int id = 1; id <= 3; id++)
            {
                cluster.start(id);
            }
            cluster.awaitPrimaryView(START, 1, 2, 3);
            for (int id = 1; id <= 3; id++)
            {
                cluster.member(id).send("submit 12000 4000 10");
            }
            Tests.await(() -> cluster.lastSeq(1) >= 6_000, AWAIT,
                () -> "progress before the kill;" + cluster.describe(1, 2, 3));

            // The sequencer is the coordinator of the view installed now (false suspicions on a loaded machine may
            // have changed it since the start).
            final ProcessCluster.ViewLine current = cluster.awaitPrimaryView(AWAIT, 1, 2, 3);
            final int sequencer = current.coordinator();
            final int victim = "sequencer".equals(victimRole) ? sequencer : current.members()[1];
            final int[] survivors = victim == 1 ? new int[]{ 2, 3 } : victim == 2 ? new int[]{ 1, 3 } :
                new int[]{ 1, 2 };
            LOG.info("view {} sequencer {}; the victim is node {} ({})", current.id(), sequencer, victim, victimRole);

            final long killNs = System.nanoTime();
            cluster.member(victim).kill();
            final ProcessCluster.ViewLine after = cluster.awaitPrimaryView(AWAIT, survivors);
            final long viewChangeMs = TimeUnit.NANOSECONDS.toMillis(after.nanos() - killNs);
            LOG.info("survivors {} installed view {} {} ms after the kill (suspicion timeout {} ms)",
                survivors, after.id(), viewChangeMs, SUSPICION_MS);
            assertThat(viewChangeMs).as("new view after the kill, ms").isLessThanOrEqualTo(SUSPICION_MS + 2_000);
            final long seqAfterViewChange = cluster.lastSeq(survivors[0]);
            Tests.await(() -> cluster.lastSeq(survivors[0]) > seqAfterViewChange + 1_000, AWAIT,
                () -> "survivors go on ordering;" + cluster.describe(survivors));

            final MemberProcess restarted = cluster.start(victim);
            final String ready = restarted.awaitLine(0, (l) -> l.startsWith("ready "), START);
            assertThat(Long.parseLong(MemberProcess.parse(ready).get("incarnation"))).as("incarnation after restart")
                .isEqualTo(2);
            cluster.awaitPrimaryView(AWAIT, 1, 2, 3);
            restarted.send("submit 2000 2000 10");

            cluster.awaitQuiescent(Duration.ofSeconds(120), 1, 2, 3);
            final long total = cluster.lastSeq(1);
            LOG.info("quiescent at sequence {}", total);
            assertThat(total).isGreaterThan(2 * 12_000 + 2_000);

            final List<String> violations = cluster.exitAndCheck();
            assertThat(violations).as("checker").isEmpty();
        }
    }

    static int freePort() throws SocketException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
