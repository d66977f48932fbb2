package org.omnibus.persistence;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.omnibus.persistence.JournalTestSupport.Collector;
import static org.omnibus.persistence.JournalTestSupport.append;
import static org.omnibus.persistence.JournalTestSupport.appendRange;
import static org.omnibus.persistence.JournalTestSupport.context;
import static org.omnibus.persistence.JournalTestSupport.drain;
import static org.omnibus.persistence.JournalTestSupport.frameMatches;
import static org.omnibus.persistence.JournalTestSupport.range;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JournalRecoveryTest
{
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    @TempDir
    Path dir;

    @Test
    void shouldRecoverAfterKillDashNineDuringHeavyAppends() throws Exception
    {
        final long ready;
        try (ChildProcess child = new ChildProcess(JournalWriterMain.class, "heavy", dir.toString(), "20000"))
        {
            ready = Long.parseLong(child.awaitLine("READY", 60_000).substring(6));
            child.kill();
        }

        try (Journal journal = Journal.open(context(dir)))
        {
            final long last = journal.lastSequence();
            assertThat(last).isGreaterThanOrEqualTo(ready);
            assertThat(journal.nextSequence()).isEqualTo(last + 1);
            try (JournalTailer tailer = journal.tailer())
            {
                final long[] expected = {0};
                final boolean[] ok = {true};
                while (tailer.poll((seq, viewId, node, originSeq, ts, buffer, offset, length) ->
                {
                    ok[0] &= seq == expected[0]++ && frameMatches(buffer, offset, seq, 0, length);
                }, 1000) > 0)
                {
                    Thread.onSpinWait();
                }
                assertThat(ok[0]).as("every entry whole and in order").isTrue();
                assertThat(expected[0]).isEqualTo(last + 1);
            }
            assertThat(append(journal, last + 1, 5, 30)).isEqualTo(last + 1);
            try (JournalTailer tailer = journal.tailer())
            {
                assertThat(tailer.seekToSequence(last)).isTrue();
                assertThat(drain(tailer).sequences()).containsExactly(last, last + 1);
            }
        }
    }

    @Test
    void shouldIgnoreAnEntryLeftIncompleteByAKilledWriter() throws Exception
    {
        try (ChildProcess child = new ChildProcess(JournalWriterMain.class, "torn", dir.toString(), "500"))
        {
            child.awaitLine("TORN", 60_000);
            child.kill();
        }
        final EntryLocator.Location last = EntryLocator.locate(dir, 499);
        // Chronicle 5.27 writes a document's header only when the document is complete: the killed writer left
        // half an entry after a zero header, which readers take for the end of the queue.
        final long next = (last.entryPosition() + last.length() + 3) & ~3L;
        assertThat(EntryLocator.readIntLe(last.file(), next)).as("header of the cut-short entry").isZero();
        assertThat(EntryLocator.readIntLe(last.file(), next + 4)).as("its partial content").isEqualTo(0x5A5A5A5A);

        try (Journal journal = Journal.open(context(dir)))
        {
            assertThat(journal.lastSequence()).isEqualTo(499);
            try (JournalTailer tailer = journal.tailer())
            {
                final Collector before = drain(tailer);
                assertThat(before.sequences()).isEqualTo(range(0, 499));
                appendRange(journal, 500, 509, 0);
                assertThat(drain(tailer).sequences()).isEqualTo(range(500, 509));
            }
        }
        try (Journal journal = Journal.open(context(dir)); JournalTailer tailer = journal.tailer())
        {
            assertThat(journal.lastSequence()).isEqualTo(509);
            assertThat(drain(tailer).sequences()).isEqualTo(range(0, 509));
        }
    }

    @Test
    void shouldDiscardALastEntryThatFailsItsCheck() throws Exception
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 0, 99, 0);
        }
        final EntryLocator.Location last = EntryLocator.locate(dir, 99);
        EntryLocator.flipByte(last.file(), last.entryPosition() + JournalEntry.HEADER_LENGTH + 3);

        try (Journal journal = Journal.open(context(dir)))
        {
            assertThat(journal.recoveryReport().tornTailDiscarded()).isTrue();
            assertThat(journal.lastSequence()).isEqualTo(98);
            assertThat(journal.nextSequence()).isEqualTo(99);
            appendRange(journal, 99, 120, 4);
            try (JournalTailer tailer = journal.tailer())
            {
                final Collector all = drain(tailer);
                assertThat(all.sequences()).isEqualTo(range(0, 120));
                final JournalTestSupport.Delivered d = all.messages.get(99);
                assertThat(frameMatches(new UnsafeBuffer(d.frame()), 0, 99, 4, d.frame().length)).isTrue();
            }
        }
        try (Journal journal = Journal.open(context(dir)))
        {
            assertThat(journal.recoveryReport().tornTailDiscarded()).isFalse();
            assertThat(journal.lastSequence()).isEqualTo(120);
        }
    }

    @Test
    void shouldRefuseACorruptEntryInTheMiddleUnlessToldToTruncate() throws Exception
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 0, 199, 0);
        }
        final EntryLocator.Location bad = EntryLocator.locate(dir, 120);
        EntryLocator.flipByte(bad.file(), bad.entryPosition() + JournalEntry.GLOBAL_SEQ_OFFSET + 1);

        final JournalCorruptionException ex = catchThrowableOfType(JournalCorruptionException.class,
            () -> Journal.open(context(dir)));
        assertThat(ex).isNotNull();
        assertThat(ex.file()).isEqualTo(bad.file().toString());
        assertThat(ex.position()).isEqualTo(bad.headerPosition());
        assertThat(ex.chronicleIndex()).isEqualTo(bad.index());
        assertThat(ex.getMessage())
            .contains(bad.file().getFileName().toString())
            .contains("position " + bad.headerPosition())
            .contains("CRC")
            .contains(JournalConfiguration.TRUNCATE_ON_CORRUPTION_PROP_NAME);

        try (Journal journal = Journal.open(context(dir).truncateOnCorruption(true)))
        {
            assertThat(journal.recoveryReport().truncatedAtIndex()).isEqualTo(bad.index());
            assertThat(journal.recoveryReport().truncationReason()).contains("CRC");
            assertThat(journal.lastSequence()).isEqualTo(119);
            appendRange(journal, 120, 130, 6);
        }
        try (Journal journal = Journal.open(context(dir)); JournalTailer tailer = journal.tailer())
        {
            assertThat(journal.lastSequence()).isEqualTo(130);
            final Collector all = drain(tailer);
            assertThat(all.sequences()).isEqualTo(range(0, 130));
            for (final JournalTestSupport.Delivered d : all.messages)
            {
                final long salt = d.seq() >= 120 ? 6 : 0;
                assertThat(frameMatches(new UnsafeBuffer(d.frame()), 0, d.seq(), salt, d.frame().length)).isTrue();
            }
        }
    }

    @Test
    void shouldNeverServeAnEntryDamagedWhileTheJournalIsOpen() throws Exception
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 0, 49, 0);
            final EntryLocator.Location bad = locateWhileOpen(journal, 30);
            EntryLocator.flipByte(bad.file(), bad.entryPosition() + JournalEntry.HEADER_LENGTH);
            try (JournalTailer tailer = journal.tailer())
            {
                final Collector collector = new Collector();
                assertThatThrownBy(() ->
                {
                    while (tailer.poll(collector, 7) > 0)
                    {
                        Thread.onSpinWait();
                    }
                }).isInstanceOf(JournalCorruptionException.class)
                    .hasMessageContaining(bad.file().getFileName().toString())
                    .hasMessageContaining("position " + bad.headerPosition());
                assertThat(collector.sequences()).isEqualTo(range(0, 29));
                assertThatThrownBy(() -> tailer.poll(collector, 7)).isInstanceOf(JournalCorruptionException.class);
                assertThat(collector.sequences()).isEqualTo(range(0, 29));
                assertThat(tailer.seekToSequence(31)).isTrue();
                assertThat(drain(tailer).sequences()).isEqualTo(range(31, 49));
            }
        }
    }

    @Test
    void shouldRefuseAGapLeftByAMissingFileUnlessToldToTruncate() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(100 * HOUR_MS);
        try (Journal journal = Journal.open(hourly(clock)))
        {
            appendRange(journal, 0, 99, 0);
            clock.advance(HOUR_MS);
            appendRange(journal, 100, 199, 0);
            clock.advance(HOUR_MS);
            appendRange(journal, 200, 299, 0);
            assertThat(journal.files()).hasSize(3);
        }
        final Path middle = EntryLocator.locate(dir, 150).file();
        final EntryLocator.Location afterGap = EntryLocator.locate(dir, 200);
        Files.delete(middle);

        final JournalCorruptionException ex = catchThrowableOfType(JournalCorruptionException.class,
            () -> Journal.open(hourly(clock)));
        assertThat(ex).isNotNull();
        assertThat(ex.getMessage()).contains("sequence gap: expected 100, found 200")
            .contains(afterGap.file().getFileName().toString())
            .contains("position " + afterGap.headerPosition());

        try (Journal journal = Journal.open(hourly(clock).truncateOnCorruption(true)))
        {
            assertThat(journal.lastSequence()).isEqualTo(99);
            appendRange(journal, 100, 110, 0);
        }
        try (Journal journal = Journal.open(hourly(clock)); JournalTailer tailer = journal.tailer())
        {
            assertThat(drain(tailer).sequences()).isEqualTo(range(0, 110));
        }
    }

    @Test
    void shouldRefuseAFileCutShortInTheMiddleUnlessToldToTruncate() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(100 * HOUR_MS);
        try (Journal journal = Journal.open(hourly(clock)))
        {
            appendRange(journal, 0, 99, 0);
            clock.advance(HOUR_MS);
            appendRange(journal, 100, 199, 0);
            clock.advance(HOUR_MS);
            appendRange(journal, 200, 299, 0);
        }
        final EntryLocator.Location cut = EntryLocator.locate(dir, 150);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(cut.file().toFile(), "rw"))
        {
            raf.setLength(cut.entryPosition() + 20);
        }

        final JournalCorruptionException ex = catchThrowableOfType(JournalCorruptionException.class,
            () -> Journal.open(hourly(clock)));
        assertThat(ex).isNotNull();
        assertThat(ex.file()).isNotNull();

        try (Journal journal = Journal.open(hourly(clock).truncateOnCorruption(true)))
        {
            final long last = journal.lastSequence();
            assertThat(last).isBetween(99L, 149L);
            appendRange(journal, last + 1, last + 10, 0);
        }
        try (Journal journal = Journal.open(hourly(clock)); JournalTailer tailer = journal.tailer())
        {
            assertThat(drain(tailer).sequences()).isEqualTo(range(0, journal.lastSequence()));
        }
    }

    @Test
    void shouldRefuseAnUnreadableHeaderAndMoveFilesAsideWhenToldToTruncate() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(100 * HOUR_MS);
        try (Journal journal = Journal.open(hourly(clock)))
        {
            appendRange(journal, 0, 99, 0);
            clock.advance(HOUR_MS);
            appendRange(journal, 100, 199, 0);
            clock.advance(HOUR_MS);
            appendRange(journal, 200, 299, 0);
        }
        final EntryLocator.Location bad = EntryLocator.locate(dir, 150);
        final int header = EntryLocator.readIntLe(bad.file(), bad.headerPosition());
        EntryLocator.writeIntLe(bad.file(), bad.headerPosition(), header | 0x80000000);

        final JournalCorruptionException ex = catchThrowableOfType(JournalCorruptionException.class,
            () -> Journal.open(hourly(clock)));
        assertThat(ex).isNotNull();
        assertThat(ex.getMessage()).contains(bad.file().getFileName().toString());

        try (Journal journal = Journal.open(hourly(clock).truncateOnCorruption(true)))
        {
            final List<Path> moved = journal.recoveryReport().quarantinedFiles();
            assertThat(moved).hasSize(2);
            assertThat(moved.get(0).getFileName()).isEqualTo(bad.file().getFileName());
            assertThat(journal.lastSequence()).isEqualTo(99);
            appendRange(journal, 100, 105, 0);
        }
        try (Journal journal = Journal.open(hourly(clock)); JournalTailer tailer = journal.tailer())
        {
            assertThat(drain(tailer).sequences()).isEqualTo(range(0, 105));
        }
        try (Stream<Path> list = Files.list(dir))
        {
            assertThat(list.filter((p) -> p.getFileName().toString().startsWith("quarantine-")).count()).isOne();
        }
    }

    private JournalContext hourly(final CachedEpochClock clock)
    {
        return context(dir).rollCycle(JournalContext.rollCycleByName("FAST_HOURLY")).epochClock(clock);
    }

    private static EntryLocator.Location locateWhileOpen(final Journal journal, final long seq)
    {
        final long index = journal.snapshot().indexOf(seq, journal.lastSequence());
        try (net.openhft.chronicle.queue.ExcerptTailer tailer = journal.queue().createTailer())
        {
            assertThat(tailer.moveToIndex(index)).isTrue();
            try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
            {
                final long position = dc.wire().bytes().readPosition();
                return new EntryLocator.Location(tailer.currentFile().toPath(), position - 4,
                    (int)dc.wire().bytes().readRemaining(), index);
            }
        }
    }
}
