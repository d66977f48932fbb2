package org.omnibus.node;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omnibus.api.BusConnection;
import org.omnibus.api.DurableSubscription;
import org.omnibus.api.PositionStore;
import org.omnibus.api.Reply;
import org.omnibus.test.Tests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several durable subscribers with different rules (arg0 filters, a sender key), each disconnected at random
 * points while a publisher sends a random mix: each one's union is exactly the published messages its rule
 * selects, in order, once. Seeded; a failure names its seed.
 */
@Timeout(180)
class DurableSubscriptionSeededTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FEED = "com.example.Feed";
    private static final String[] KEYS = {"a", "b", "c"};
    private static final int TOTAL = 2500;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11L, 4242L, 987654321L})
    void everySubscriberGetsExactlyItsSelection(final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final String[] keys = new String[TOTAL];
        for (int i = 0; i < TOTAL; i++)
        {
            keys[i] = KEYS[random.nextInt(KEYS.length)];
        }
        try (Node node = Node.launch(new NodeContext()
                .dataDir(dir.resolve("node"))
                .nodeId(1)
                .cluster(ClusterSettings.single(1)));
            BusConnection publisher = connectWhenPrimary(node))
        {
            final String[] rules = {
                "type='signal',interface='" + FEED + "',arg0='a'",
                "type='signal',interface='" + FEED + "',arg0='b'",
                "sender='" + publisher.uniqueName() + "',member='Tick'",
            };
            final List<List<Long>> values = new ArrayList<>();
            final List<List<Long>> sequences = new ArrayList<>();
            final List<DurableSubscription> subscriptions = new ArrayList<>();
            try
            {
                for (final String rule : rules)
                {
                    final List<Long> got = new CopyOnWriteArrayList<>();
                    final List<Long> seqs = new CopyOnWriteArrayList<>();
                    values.add(got);
                    sequences.add(seqs);
                    subscriptions.add(DurableSubscription.open(node.clientAddress(), rule, PositionStore.inMemory(),
                        (seq, m) ->
                        {
                            seqs.add(seq);
                            got.add((Long)Reply.bodyOf(m).get(1));
                        }));
                }
                final long[][] expected = new long[rules.length][];
                for (int s = 0; s < rules.length; s++)
                {
                    final String key = s == 2 ? null : KEYS[s];
                    expected[s] = java.util.stream.IntStream.range(0, TOTAL)
                        .filter(i -> key == null || key.equals(keys[i])).asLongStream().toArray();
                }

                final AtomicLong published = new AtomicLong();
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                final Thread emitter = new Thread(() ->
                {
                    try
                    {
                        for (int i = 0; i < TOTAL; i++)
                        {
                            publisher.emitSignal("/feed", FEED, "Tick", "st", keys[i], (long)i);
                            published.set(i + 1);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.set(ex);
                    }
                }, "publisher");
                emitter.start();
                try
                {
                    for (int step = 0; step < 4; step++)
                    {
                        final int s = random.nextInt(rules.length);
                        final List<Long> got = values.get(s);
                        final int threshold = Math.min(expected[s].length - 1,
                            got.size() + 1 + random.nextInt(Math.max(1, expected[s].length / 8)));
                        Tests.await(() -> got.size() >= threshold, WAIT,
                            () -> "seed " + seed + ": subscriber " + s + " at " + got.size() + " of " + threshold);
                        subscriptions.get(s).connection().close();
                        final long target = Math.min(TOTAL, published.get() + random.nextInt(300));
                        Tests.await(() -> published.get() >= target || failure.get() != null, WAIT,
                            () -> "seed " + seed + ": publisher at " + published.get());
                        subscriptions.get(s).reconnect();
                    }
                    for (int s = 0; s < rules.length; s++)
                    {
                        final int subscriber = s;
                        Tests.await(() -> values.get(subscriber).size() >= expected[subscriber].length ||
                            failure.get() != null, WAIT, () -> "seed " + seed + ": subscriber " + subscriber + " at " +
                            values.get(subscriber).size() + " of " + expected[subscriber].length);
                    }
                }
                finally
                {
                    emitter.join(WAIT.toMillis());
                }
                assertThat(failure.get()).as("seed %d", seed).isNull();
                for (int s = 0; s < rules.length; s++)
                {
                    assertThat(values.get(s)).as("seed %d, rule %s", seed, rules[s]).containsExactly(
                        java.util.Arrays.stream(expected[s]).boxed().toArray(Long[]::new));
                    final List<Long> seqs = sequences.get(s);
                    for (int i = 1; i < seqs.size(); i++)
                    {
                        assertThat(seqs.get(i)).as("seed %d, rule %s, sequence %d", seed, rules[s], i)
                            .isGreaterThan(seqs.get(i - 1));
                    }
                }
            }
            finally
            {
                subscriptions.forEach(DurableSubscription::close);
            }
        }
    }

    private static BusConnection connectWhenPrimary(final Node node) throws java.io.IOException
    {
        Tests.await(() -> node.group().isPrimary(), WAIT, () -> "primary view");
        return BusConnection.connect(node.clientAddress());
    }
}
