package org.omnibus.persistence;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omnibus.persistence.JournalTestSupport.appendRange;
import static org.omnibus.persistence.JournalTestSupport.context;
import static org.omnibus.persistence.JournalTestSupport.drain;
import static org.omnibus.persistence.JournalTestSupport.range;

/**
 * The read-only reader: beside a writer that holds the lock, without changing a byte, and refusing damage.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalReaderTest
{
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    @TempDir
    Path dir;

    @Test
    void shouldReadAndFollowAJournalAWriterHoldsOpen()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(System.currentTimeMillis() - 3 * HOUR_MS);
        try (Journal journal = Journal.open(hourly(clock)))
        {
            appendRange(journal, 1, 50, 0);
            try (JournalReader reader = JournalReader.open(readerContext());
                JournalTailer tailer = reader.tailer())
            {
                assertThat(reader.firstSequence()).isEqualTo(1);
                assertThat(reader.lastSequence()).isEqualTo(50);
                assertThat(reader.entryCount()).isEqualTo(50);
                assertThat(reader.damage()).isNull();
                assertThat(drain(tailer).sequences()).isEqualTo(range(1, 50));

                final JournalTestSupport.Collector live = new JournalTestSupport.Collector();
                for (int cycle = 0; cycle < 3; cycle++)
                {
                    clock.advance(HOUR_MS);
                    final long from = 51 + cycle * 20L;
                    appendRange(journal, from, from + 19, 0);
                    final long target = from + 19;
                    JournalTestSupport.await(() ->
                    {
                        tailer.poll(live, 64);
                        return tailer.lastDeliveredSequence() == target;
                    }, 10_000, "reader's tailer to reach " + target);
                }
                assertThat(live.sequences()).isEqualTo(range(51, 110));

                assertThat(reader.lastSequence()).isEqualTo(50);
                assertThat(reader.refresh()).isEqualTo(60);
                assertThat(reader.lastSequence()).isEqualTo(110);
                assertThat(reader.entryCount()).isEqualTo(110);
                assertThat(reader.files()).hasSize(4);
                assertThat(reader.files().stream().mapToLong(JournalFile::usedBytes).sum())
                    .isEqualTo(journal.files().stream().mapToLong(JournalFile::usedBytes).sum());

                assertThat(tailer.seekToSequence(100)).isTrue();
                final JournalTestSupport.Collector tail = drain(tailer);
                assertThat(tail.sequences()).isEqualTo(range(100, 110));
                assertThat(tail.messages.get(0).timestampNs()).isEqualTo(JournalTestSupport.timestampOf(100));
            }
        }
    }

    @Test
    void shouldNotChangeAByteOfTheJournal() throws Exception
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 1, 200, 0);
            journal.truncateFrom(150, 9);
            appendRange(journal, 150, 180, 1);
        }
        final Map<String, String> before = digests(dir);
        try (JournalReader reader = JournalReader.open(readerContext());
            JournalTailer tailer = reader.tailer())
        {
            assertThat(drain(tailer).sequences()).isEqualTo(range(1, 180));
            assertThat(reader.markerCount()).isEqualTo(1);
            assertThat(reader.files()).hasSize(1);
            JournalExport.export(reader, 1, 180, dir.resolveSibling(dir.getFileName() + ".export"));
        }
        finally
        {
            Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".export"));
        }
        assertThat(digests(dir)).isEqualTo(before);
    }

    @Test
    void shouldReportACorruptEntryAndNeverServeIt() throws Exception
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 1, 100, 0);
        }
        final EntryLocator.Location bad = EntryLocator.locate(dir, 40);
        EntryLocator.flipByte(bad.file(), bad.entryPosition() + JournalEntry.HEADER_LENGTH + 2);
        final Map<String, String> before = digests(dir);

        try (JournalReader reader = JournalReader.open(readerContext());
            JournalTailer tailer = reader.tailer())
        {
            final JournalCorruptionException damage = reader.damage();
            assertThat(damage).isNotNull();
            assertThat(damage.file()).isEqualTo(bad.file().toString());
            assertThat(damage.position()).isEqualTo(bad.headerPosition());
            assertThat(damage.getMessage()).contains("CRC").contains("Not served");

            final JournalTestSupport.Collector collector = new JournalTestSupport.Collector();
            assertThatThrownBy(() ->
            {
                while (tailer.poll(collector, 16) > 0)
                {
                    Thread.onSpinWait();
                }
            })
                .isInstanceOf(JournalCorruptionException.class)
                .hasMessageContaining(bad.file().getFileName().toString())
                .hasMessageContaining("position " + bad.headerPosition());
            assertThat(collector.sequences()).isEqualTo(range(1, 39));
            assertThatThrownBy(() -> tailer.poll(collector, 16)).isInstanceOf(JournalCorruptionException.class);
            assertThat(collector.sequences()).isEqualTo(range(1, 39));

            assertThat(tailer.seekToSequence(41)).isTrue();
            assertThat(drain(tailer).sequences()).isEqualTo(range(41, 100));
        }
        assertThat(digests(dir)).isEqualTo(before);
    }

    @Test
    void shouldCountAcrossHolesAndFindTheLastMessages()
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 10, 19, 0);
            journal.restartAt(100, 9);
            appendRange(journal, 100, 104, 0);
        }
        try (JournalReader reader = JournalReader.open(readerContext()))
        {
            assertThat(reader.damage()).isNull();
            assertThat(reader.entryCount()).isEqualTo(15);
            assertThat(reader.countBetween(15, 101)).isEqualTo(7);
            assertThat(reader.startOfLast(3)).isEqualTo(102);
            assertThat(reader.startOfLast(7)).isEqualTo(18);
            assertThat(reader.startOfLast(100)).isEqualTo(10);
            assertThat(reader.startOfLast(0)).isEqualTo(105);
            assertThat(reader.ceilingSequence(50)).isEqualTo(100);
            assertThat(reader.ceilingSequence(105)).isEqualTo(Journal.NULL_SEQUENCE);
        }
    }

    @Test
    void shouldRefuseAMissingDirectoryAndADirectoryThatIsNotAJournal() throws IOException
    {
        assertThatThrownBy(() -> JournalReader.open(dir.resolve("absent")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no such directory")
            .hasMessageContaining("absent");
        Files.writeString(dir.resolve("notes.txt"), "not a journal");
        assertThatThrownBy(() -> JournalReader.open(dir))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("is not a journal");
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files.map((p) -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void shouldReadAnEmptyJournal()
    {
        Journal.open(context(dir)).close();
        try (JournalReader reader = JournalReader.open(readerContext()); JournalTailer tailer = reader.tailer())
        {
            assertThat(reader.lastSequence()).isEqualTo(Journal.NULL_SEQUENCE);
            assertThat(reader.firstSequence()).isEqualTo(Journal.NULL_SEQUENCE);
            assertThat(reader.entryCount()).isZero();
            assertThat(reader.startOfLast(10)).isEqualTo(Journal.NULL_SEQUENCE);
            assertThat(drain(tailer).messages).isEmpty();
        }
    }

    private JournalContext hourly(final CachedEpochClock clock)
    {
        return context(dir).rollCycle(JournalContext.rollCycleByName("FAST_HOURLY")).epochClock(clock);
    }

    private JournalContext readerContext()
    {
        return new JournalContext().directory(dir).blockSize(1L << 20).chronicleTimeoutMs(500);
    }

    private static Map<String, String> digests(final Path dir) throws IOException, NoSuchAlgorithmException
    {
        final Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.toList())
            {
                final MessageDigest sha = MessageDigest.getInstance("SHA-256");
                digests.put(file.getFileName().toString() + " " + Files.getLastModifiedTime(file),
                    HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))));
            }
        }
        return digests;
    }
}
