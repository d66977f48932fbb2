package org.omnibus.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Image availability callbacks: a peer's images appear when it starts and are reported unavailable when its driver
 * goes away.
 */
class ImageAvailabilityTest
{
    @TempDir
    Path tempDir;

    @Test
    @Timeout(60)
    void imageUnavailableWhenPeerDriverCloses()
    {
        final int mcPort = TestNode.multicastPort();
        final List<TestNode> nodes = TestNode.launchAll(List.of(
            TestNode.context(0, tempDir.toFile(), ChannelMode.MULTICAST, mcPort),
            TestNode.context(1, tempDir.toFile(), ChannelMode.MULTICAST, mcPort)));
        final TestNode survivor = nodes.get(0);
        final TestNode leaver = nodes.get(1);
        try
        {
            TestNode.awaitMesh(nodes, TransportStream.CONTROL);
            final Set<Integer> leaverSessions = new HashSet<>();
            for (final int sessionId : survivor.availableSessions)
            {
                if (leaver.transport.isLocalSession(sessionId))
                {
                    leaverSessions.add(sessionId);
                }
            }
            assertThat(leaverSessions).as("images of the leaver seen by the survivor").isNotEmpty();
            assertThat(survivor.transport.counters().imagesAvailable()).isGreaterThanOrEqualTo(leaverSessions.size());

            final long closedAtNs = System.nanoTime();
            leaver.close();
            Await.await(
                survivor::poll,
                () -> survivor.unavailableSessions.containsAll(leaverSessions),
                Duration.ofSeconds(20),
                () -> "unavailable images " + survivor.unavailableSessions + " should cover " + leaverSessions +
                    "; events " + survivor.imageEvents);
            final long elapsedMs = (System.nanoTime() - closedAtNs) / 1_000_000;
            assertThat(survivor.transport.counters().imagesUnavailable()).isGreaterThanOrEqualTo(leaverSessions.size());
            assertThat(elapsedMs).as("ms to report the leaver's images unavailable").isLessThan(10_000);
            assertThat(survivor.transport.isLocalSession(leaverSessions.iterator().next())).isFalse();
        }
        finally
        {
            TestNode.closeAll(nodes);
        }
    }
}
