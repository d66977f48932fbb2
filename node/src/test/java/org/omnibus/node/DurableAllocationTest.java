package org.omnibus.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.api.BusConnection;
import org.omnibus.api.DurableSubscription;
import org.omnibus.api.PositionStore;
import org.omnibus.api.Reply;
import org.omnibus.test.Tests;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durable deliveries allocate nothing per message on the node's agent thread in steady state: over a stream of
 * signals with a live durable subscriber, everything that thread does (edge, group, journal append, the durable
 * tailer, conversion, filter and send) allocates under a few bytes per message on average (one object per message
 * would be at least 16; the rest is the few driver calls of the test's markers).
 */
@Timeout(180)
class DurableAllocationTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FEED = "com.example.Feed";
    private static final int MESSAGES = 20_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DurableAllocationTest.class);

    @TempDir
    Path dir;

    @Test
    void durableDeliveryAllocatesNothingPerMessage() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (Node node = Node.launch(new NodeContext()
                .dataDir(dir.resolve("node"))
                .nodeId(1)
                .cluster(ClusterSettings.single(1)));
            BusConnection publisher = connectWhenPrimary(node))
        {
            final Thread agent = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("omnibus-durable")).findFirst().orElseThrow();

            // warm up both paths, then measure the stream alone, then with a durable subscriber at the live end
            final AtomicLong received = new AtomicLong();
            stream(publisher, 5_000);
            long before = threads.getThreadAllocatedBytes(agent.getId());
            stream(publisher, MESSAGES);
            final long without = threads.getThreadAllocatedBytes(agent.getId()) - before;

            try (DurableSubscription subscription = DurableSubscription.open(node.clientAddress(),
                "type='signal',interface='" + FEED + "'", PositionStore.inMemory(),
                (seq, m) -> received.incrementAndGet()))
            {
                final long start = received.get();
                stream(publisher, 5_000);
                Tests.await(() -> received.get() >= start + 5_000, WAIT, () -> "warm-up deliveries");
                before = threads.getThreadAllocatedBytes(agent.getId());
                final long measuredFrom = received.get();
                stream(publisher, MESSAGES);
                Tests.await(() -> received.get() >= measuredFrom + MESSAGES, WAIT, () -> "deliveries");
                final long with = threads.getThreadAllocatedBytes(agent.getId()) - before;
                final double perMessage = (double)with / MESSAGES;
                LOG.info("agent thread, {} messages: {} B without a durable subscriber (still warming up), {} B with " +
                    "one: {} B/message", MESSAGES, without, with, String.format("%.2f", perMessage));
                assertThat(perMessage).isLessThan(8.0);
            }
        }
    }

    /**
     * Emit signals and return once they are journaled (the publisher's own marker comes back after them).
     */
    private static void stream(final BusConnection publisher, final int count) throws Exception
    {
        for (long i = 0; i < count; i++)
        {
            publisher.emitSignal("/feed", FEED, "Tick", "t", i);
        }
        final String token = Long.toString(System.nanoTime());
        final AtomicBoolean seen = new AtomicBoolean();
        final org.omnibus.api.MessageHandler handler = m ->
        {
            if ("Marker".equals(m.member()) && token.equals(Reply.bodyOf(m).get(0)))
            {
                seen.set(true);
            }
        };
        publisher.addHandler(handler);
        final String rule = "type='signal',member='Marker',arg0='" + token + "'";
        publisher.addMatch(rule);
        publisher.emitSignal("/marker", "com.example.Marker", "Marker", "s", token);
        Tests.await(seen::get, WAIT, () -> "marker");
        publisher.removeHandler(handler);
        publisher.callDriver("RemoveMatch", "s", rule);
    }

    private static BusConnection connectWhenPrimary(final Node node) throws java.io.IOException
    {
        Tests.await(() -> node.group().isPrimary(), WAIT, () -> "primary view");
        return BusConnection.connect(node.clientAddress());
    }
}
