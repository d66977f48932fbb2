package org.omnibus.persistence;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.persistence.JournalTestSupport.appendRange;
import static org.omnibus.persistence.JournalTestSupport.context;
import static org.omnibus.persistence.JournalTestSupport.drain;
import static org.omnibus.persistence.JournalTestSupport.range;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalRetentionTest
{
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);
    private static final long START_MS = 1000 * HOUR_MS;
    private static final int PER_CYCLE = 100;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    /**
     * Six hourly cycles of 100 entries each: cycle k (0-based) holds sequences [100k, 100k + 99], and the clock
     * ends half-way through cycle 5.
     */
    private List<JournalFile> writeSixCycles()
    {
        clock.update(START_MS);
        try (Journal journal = Journal.open(hourly()))
        {
            for (int cycle = 0; cycle < 6; cycle++)
            {
                if (cycle > 0)
                {
                    clock.advance(HOUR_MS);
                }
                appendRange(journal, cycle * PER_CYCLE, cycle * PER_CYCLE + PER_CYCLE - 1, 0);
            }
            clock.advance(HOUR_MS / 2);
            final List<JournalFile> files = journal.files();
            assertThat(files).hasSize(6);
            for (final JournalFile file : files)
            {
                assertThat(file.usedBytes()).isPositive();
                assertThat(file.endMs() - file.startMs()).isEqualTo(HOUR_MS);
            }
            assertThat(files.get(0).startMs()).isEqualTo(START_MS);
            return files;
        }
    }

    @Test
    void shouldDeleteOnlyCyclesOlderThanTheMaximumAge()
    {
        final List<JournalFile> files = writeSixCycles();
        // now = start + 5.5 h; cycles 0..2 ended at start + 1, 2, 3 h; cycle 3 ends at start + 4 h.
        try (Journal journal = Journal.open(hourly().retentionMaxAgeMs(2 * HOUR_MS + HOUR_MS / 2)))
        {
            assertGone(files.subList(0, 3));
            assertKept(files.subList(3, 6));
            assertThat(journal.files()).extracting(JournalFile::cycle)
                .containsExactly(files.get(3).cycle(), files.get(4).cycle(), files.get(5).cycle());
            assertThat(journal.firstSequence()).isEqualTo(300);
            assertThat(journal.lastSequence()).isEqualTo(599);
            try (JournalTailer tailer = journal.tailer())
            {
                assertThat(drain(tailer).sequences()).isEqualTo(range(300, 599));
                assertThat(tailer.seekToSequence(299)).isFalse();
                assertThat(tailer.seekToSequence(300)).isTrue();
                assertThat(drain(tailer).sequences()).isEqualTo(range(300, 599));
            }
            assertThat(journal.applyRetention()).isZero();
        }
    }

    @Test
    void shouldDeleteOldestCyclesWhileOverTheMaximumSize()
    {
        final List<JournalFile> files = writeSixCycles();
        final long newestThree = files.get(3).usedBytes() + files.get(4).usedBytes() + files.get(5).usedBytes();
        try (Journal journal = Journal.open(hourly().retentionMaxBytes(newestThree + files.get(2).usedBytes() - 1)))
        {
            assertGone(files.subList(0, 3));
            assertKept(files.subList(3, 6));
            assertThat(journal.firstSequence()).isEqualTo(300);
            final long total = journal.files().stream().mapToLong(JournalFile::usedBytes).sum();
            assertThat(total).isEqualTo(newestThree);
        }
    }

    @Test
    void shouldNeverDeleteTheCurrentCycle()
    {
        final List<JournalFile> files = writeSixCycles();
        try (Journal journal = Journal.open(hourly().retentionMaxBytes(1).retentionMaxAgeMs(1)))
        {
            assertGone(files.subList(0, 5));
            assertKept(files.subList(5, 6));
            assertThat(journal.firstSequence()).isEqualTo(500);
            appendRange(journal, 600, 610, 0);
            try (JournalTailer tailer = journal.tailer())
            {
                assertThat(drain(tailer).sequences()).isEqualTo(range(500, 610));
            }
        }
    }

    @Test
    void shouldApplyRetentionWhenAppendsRollToANewCycle()
    {
        clock.update(START_MS);
        try (Journal journal = Journal.open(hourly().retentionMaxAgeMs(2 * HOUR_MS)))
        {
            try (JournalTailer tailer = journal.tailer())
            {
                for (int cycle = 0; cycle < 8; cycle++)
                {
                    if (cycle > 0)
                    {
                        clock.advance(HOUR_MS);
                    }
                    appendRange(journal, cycle * PER_CYCLE, cycle * PER_CYCLE + PER_CYCLE - 1, 0);
                    assertThat(journal.files().size()).isLessThanOrEqualTo(3);
                }
                // cycle 7 is current; cycles ending at least 2 h ago (cycle 4 and older) are gone
                assertThat(journal.files()).hasSize(3);
                assertThat(journal.firstSequence()).isEqualTo(500);
                assertThat(tailer.seekToSequence(500)).isTrue();
                assertThat(drain(tailer).sequences()).isEqualTo(range(500, 799));
            }
        }
    }

    @Test
    void shouldFollowLiveAppendsAcrossCycleRolls()
    {
        clock.update(START_MS);
        try (Journal journal = Journal.open(hourly()); JournalTailer tailer = journal.tailer())
        {
            final JournalTestSupport.Collector collector = new JournalTestSupport.Collector();
            for (int cycle = 0; cycle < 5; cycle++)
            {
                if (cycle > 0)
                {
                    clock.advance(HOUR_MS);
                }
                appendRange(journal, cycle * PER_CYCLE, cycle * PER_CYCLE + PER_CYCLE - 1, 0);
                final long target = cycle * PER_CYCLE + PER_CYCLE - 1;
                JournalTestSupport.await(() ->
                {
                    tailer.poll(collector, 64);
                    return tailer.lastDeliveredSequence() == target;
                }, 10_000, "tailer to reach " + target);
            }
            assertThat(collector.sequences()).isEqualTo(range(0, 5 * PER_CYCLE - 1));
            assertThat(journal.files()).hasSize(5);
        }
    }

    private JournalContext hourly()
    {
        return context(dir).rollCycle(JournalContext.rollCycleByName("FAST_HOURLY")).epochClock(clock);
    }

    private static void assertGone(final List<JournalFile> files)
    {
        for (final JournalFile file : files)
        {
            assertThat(Files.exists(file.path())).as("%s deleted", file.path()).isFalse();
        }
    }

    private static void assertKept(final List<JournalFile> files)
    {
        for (final JournalFile file : files)
        {
            assertThat(Files.exists(file.path())).as("%s kept", file.path()).isTrue();
        }
    }
}
