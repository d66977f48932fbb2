package org.omnibus.persistence;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omnibus.persistence.JournalTestSupport.Collector;
import static org.omnibus.persistence.JournalTestSupport.appendRange;
import static org.omnibus.persistence.JournalTestSupport.context;
import static org.omnibus.persistence.JournalTestSupport.drain;
import static org.omnibus.persistence.JournalTestSupport.frameMatches;
import static org.omnibus.persistence.JournalTestSupport.range;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalExportTest
{
    @TempDir
    Path dir;

    @Test
    void shouldExportARangeAndReplayAndImportIt()
    {
        final Path file = dir.resolve("export.ojx");
        try (Journal journal = Journal.open(context(dir.resolve("a"))))
        {
            appendRange(journal, 0, 2999, 0);
            journal.truncateFrom(2500, 2);
            appendRange(journal, 2500, 2999, 9);
            assertThat(JournalExport.export(journal, 1000, 2600, file)).isEqualTo(1601);
        }

        final Collector replayed = new Collector();
        assertThat(JournalExport.replay(file, replayed)).isEqualTo(1601);
        assertThat(replayed.sequences()).isEqualTo(range(1000, 2600));
        for (final JournalTestSupport.Delivered d : replayed.messages)
        {
            final long salt = d.seq() >= 2500 ? 9 : 0;
            assertThat(frameMatches(new UnsafeBuffer(d.frame()), 0, d.seq(), salt, d.frame().length)).isTrue();
            assertThat(d.originSeq()).isEqualTo(d.seq() * 2);
            assertThat(d.timestampNs()).isEqualTo(JournalTestSupport.timestampOf(d.seq()));
        }

        try (Journal target = Journal.open(context(dir.resolve("b"))))
        {
            appendRange(target, 1000, 1099, 0);
            assertThat(JournalExport.importInto(target, file)).isEqualTo(1501);
            assertThat(target.firstSequence()).isEqualTo(1000);
            assertThat(target.lastSequence()).isEqualTo(2600);
            try (JournalTailer tailer = target.tailer())
            {
                final Collector all = drain(tailer);
                assertThat(all.sequences()).isEqualTo(range(1000, 2600));
                assertThat(all.messages.get(1550).frame()).isEqualTo(replayed.messages.get(1550).frame());
            }
        }
    }

    @Test
    void shouldExportEverythingAndNothing()
    {
        final Path all = dir.resolve("all.ojx");
        final Path none = dir.resolve("none.ojx");
        try (Journal journal = Journal.open(context(dir.resolve("a"))))
        {
            assertThat(JournalExport.export(journal, 0, Long.MAX_VALUE, none)).isZero();
            appendRange(journal, 7, 56, 0);
            assertThat(JournalExport.export(journal, 0, Long.MAX_VALUE, all)).isEqualTo(50);
        }
        assertThat(JournalExport.replay(none, new Collector())).isZero();
        final Collector collector = new Collector();
        JournalExport.replay(all, collector);
        assertThat(collector.sequences()).isEqualTo(range(7, 56));
    }

    @Test
    void shouldRefuseADamagedOrCutShortExport() throws Exception
    {
        final Path file = dir.resolve("export.ojx");
        try (Journal journal = Journal.open(context(dir.resolve("a"))))
        {
            appendRange(journal, 0, 99, 0);
            JournalExport.export(journal, 0, Long.MAX_VALUE, file);
        }
        final long size = Files.size(file);

        final Path cut = dir.resolve("cut.ojx");
        Files.copy(file, cut);
        try (RandomAccessFile raf = new RandomAccessFile(cut.toFile(), "rw"))
        {
            raf.setLength(size - JournalExport.TRAILER_LENGTH - 10);
        }
        final Collector partial = new Collector();
        assertThatThrownBy(() -> JournalExport.replay(cut, partial))
            .isInstanceOf(JournalCorruptionException.class)
            .hasMessageContaining("cut short")
            .hasMessageContaining(cut.toString());
        assertThat(partial.sequences()).isEqualTo(range(0, 98));

        final Path flipped = dir.resolve("flipped.ojx");
        Files.copy(file, flipped);
        EntryLocator.flipByte(flipped, JournalExport.FILE_HEADER_LENGTH + 4 + JournalEntry.HEADER_LENGTH + 1);
        assertThatThrownBy(() -> JournalExport.replay(flipped, new Collector()))
            .isInstanceOf(JournalCorruptionException.class)
            .hasMessageContaining("CRC")
            .hasMessageContaining("position " + JournalExport.FILE_HEADER_LENGTH);

        final Path notAnExport = dir.resolve("other.bin");
        Files.write(notAnExport, new byte[64]);
        assertThatThrownBy(() -> JournalExport.replay(notAnExport, new Collector()))
            .isInstanceOf(JournalCorruptionException.class)
            .hasMessageContaining("magic");
    }
}
