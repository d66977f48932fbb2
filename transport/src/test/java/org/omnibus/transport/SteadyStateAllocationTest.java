package org.omnibus.transport;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once warmed up, sending (offer and tryClaim) and polling allocate nothing per message on the calling thread.
 */
class SteadyStateAllocationTest
{
    private static final int WARM_UP_MESSAGES = 20_000;
    private static final int MEASURED_MESSAGES = 20_000;
    private static final long ALLOWED_BYTES = 16 * 1024;

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(value = ChannelMode.class, names = { "MULTICAST", "UNICAST" })
    @Timeout(90)
    void sendAndPollDoNotAllocate(final ChannelMode mode)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final int mcPort = TestNode.multicastPort();
        final List<TestNode> nodes = TestNode.launchAll(List.of(
            TestNode.context(0, tempDir.toFile(), mode, mcPort),
            TestNode.context(1, tempDir.toFile(), mode, mcPort)));
        try
        {
            TestNode.awaitMesh(nodes, TransportStream.ORDERED);
            exchange(nodes, WARM_UP_MESSAGES);

            final long before = threads.getCurrentThreadAllocatedBytes();
            exchange(nodes, WARM_UP_MESSAGES + MEASURED_MESSAGES);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            LoggerFactory.getLogger(SteadyStateAllocationTest.class)
                .info("{}: {} bytes allocated for {} messages", mode, allocated, MEASURED_MESSAGES);
            for (final TestNode node : nodes)
            {
                assertThat(node.errors).isEmpty();
            }
            assertThat(allocated).as("bytes allocated for %d messages", MEASURED_MESSAGES).isLessThan(ALLOWED_BYTES);
        }
        finally
        {
            TestNode.closeAll(nodes);
        }
    }

    /**
     * Both nodes send until each has sent {@code total} and every node received 2 x total; bounded by a deadline.
     */
    private static void exchange(final List<TestNode> nodes, final int total)
    {
        final int ordered = TransportStream.ORDERED.ordinal();
        final long deadlineNs = System.nanoTime() + TestNode.AWAIT.toNanos();
        final TestNode a = nodes.get(0);
        final TestNode b = nodes.get(1);
        while (a.dataReceived[ordered] < 2L * total || b.dataReceived[ordered] < 2L * total)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new AssertionError("exchange did not complete: " + a.dataReceived[ordered] + ", " +
                    b.dataReceived[ordered]);
            }
            send(a, total);
            send(b, total);
            if (0 == a.poll() + b.poll())
            {
                Thread.yield();
            }
        }
    }

    private static void send(final TestNode node, final int total)
    {
        final int ordered = TransportStream.ORDERED.ordinal();
        for (int i = 0; i < 20 && node.nextSendSeq[ordered] < total; i++)
        {
            if (node.sendData(TransportStream.ORDERED, 100, 0 == (i & 1)) < 0)
            {
                return;
            }
        }
    }
}
