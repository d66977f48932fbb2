package org.omnibus.persistence;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.persistence.JournalTestSupport.Collector;
import static org.omnibus.persistence.JournalTestSupport.context;
import static org.omnibus.persistence.JournalTestSupport.drain;
import static org.omnibus.persistence.JournalTestSupport.fill;
import static org.omnibus.persistence.JournalTestSupport.frameMatches;

/**
 * Random sequences of appends, truncations, restarts, cycle rolls and reopenings, checked against a model (a
 * sorted map from sequence to the salt its frame was written with).
 */
class JournalModelTest
{
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    @TempDir
    Path dir;

    static LongStream seeds()
    {
        return LongStream.range(0, 12).map((i) -> 0x9E3779B97F4A7C15L * (i + 1));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldMatchTheModel(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(500 * HOUR_MS);
        final JournalContext ctx = context(dir).rollCycle(JournalContext.rollCycleByName("FAST_HOURLY"))
            .epochClock(clock);
        final TreeMap<Long, Long> model = new TreeMap<>();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        long next = random.nextInt(1000);
        boolean constrained = false;
        long salt = 1;
        Journal journal = Journal.open(ctx.clone());
        try
        {
            for (int step = 0; step < 60; step++)
            {
                final int op = random.nextInt(100);
                if (op < 60)
                {
                    final int n = 1 + random.nextInt(200);
                    for (int i = 0; i < n; i++, next++)
                    {
                        final int length = random.nextInt(200);
                        fill(frame, next, salt, length);
                        assertThat(journal.append(next, 1, 1, next, next, frame, 0, length))
                            .as("seed %d step %d append %d", seed, step, next).isEqualTo(next);
                        model.put(next, salt * 1000 + length);
                    }
                    constrained = true;
                }
                else if (op < 75)
                {
                    final long from = model.isEmpty() ? random.nextInt(1000) :
                        model.firstKey() + random.nextLong(model.lastKey() - model.firstKey() + 2);
                    journal.truncateFrom(from, step);
                    model.tailMap(from, true).clear();
                    next = from;
                    constrained = true;
                    salt++;
                }
                else if (op < 80)
                {
                    next = (model.isEmpty() ? next : model.lastKey() + 1) + 1 + random.nextInt(50);
                    journal.restartAt(next, step);
                    constrained = true;
                }
                else if (op < 90)
                {
                    clock.advance(HOUR_MS / 2 + random.nextInt((int)HOUR_MS));
                }
                else
                {
                    journal.close();
                    journal = Journal.open(ctx.clone());
                    assertThat(journal.nextSequence()).as("seed %d step %d", seed, step)
                        .isEqualTo(constrained ? next : Journal.NULL_SEQUENCE);
                }
                check(journal, model, seed, step, random);
            }
        }
        finally
        {
            journal.close();
        }
    }

    private static void check(
        final Journal journal, final TreeMap<Long, Long> model, final long seed, final int step,
        final SplittableRandom random)
    {
        final String as = "seed " + seed + " step " + step;
        assertThat(journal.lastSequence()).as(as).isEqualTo(model.isEmpty() ? -1 : model.lastKey());
        assertThat(journal.firstSequence()).as(as).isEqualTo(model.isEmpty() ? -1 : model.firstKey());
        assertThat(journal.entryCount()).as(as).isEqualTo(model.size());
        try (JournalTailer tailer = journal.tailer())
        {
            final Collector all = drain(tailer);
            assertThat(all.sequences()).as(as).isEqualTo(new ArrayList<>(model.keySet()));
            for (final JournalTestSupport.Delivered d : all.messages)
            {
                final long saltAndLength = model.get(d.seq());
                assertThat(d.frame().length).as(as).isEqualTo((int)(saltAndLength % 1000));
                assertThat(frameMatches(new UnsafeBuffer(d.frame()), 0, d.seq(), saltAndLength / 1000,
                    d.frame().length)).as(as + " seq " + d.seq()).isTrue();
            }
            if (!model.isEmpty())
            {
                final List<Long> keys = new ArrayList<>(model.keySet());
                final long from = keys.get(random.nextInt(keys.size()));
                assertThat(tailer.seekToSequence(from)).as(as).isTrue();
                assertThat(drain(tailer).sequences()).as(as).isEqualTo(new ArrayList<>(model.tailMap(from).keySet()));
                final long absent = model.lastKey() + 2;
                assertThat(tailer.seekToSequence(absent)).as(as).isFalse();
                final long time = from;
                assertThat(tailer.seekToTime(time)).as(as).isEqualTo(model.ceilingKey(from));
            }
        }
    }
}
