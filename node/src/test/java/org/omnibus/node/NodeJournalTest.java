package org.omnibus.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.persistence.JournalConfiguration;
import org.omnibus.persistence.JournalContext;
import org.omnibus.persistence.JournalDurability;
import org.omnibus.persistence.JournalEntry;
import org.omnibus.persistence.JournalReader;
import org.omnibus.persistence.JournalRecoveryReport;
import org.omnibus.persistence.JournalTailer;
import org.omnibus.test.DBusTestClient;
import org.omnibus.test.Tests;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node and its journal: the {@code --journal-*} options, refusing to start on a damaged journal (a byte
 * flipped in the middle, a file cut short) with the file and position, truncating when told to, and retention
 * applied by the node while it runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeJournalTest
{
    private static final int SIGNALS = 200;

    @TempDir
    Path dir;

    private Path dataDir;
    private Path journalDir;
    private Node node;
    private long firstWritten;
    private final StringWriter err = new StringWriter();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger nodeJournalLogger = (Logger)LoggerFactory.getLogger(NodeJournal.class);

    @BeforeEach
    void setUp()
    {
        dataDir = dir.resolve("data");
        journalDir = JournalConfiguration.journalDirectory(dataDir);
        log.start();
        nodeJournalLogger.addAppender(log);
    }

    @AfterEach
    void tearDown()
    {
        nodeJournalLogger.detachAppender(log);
        if (node != null)
        {
            node.close();
        }
    }

    // ---- options ----

    @Test
    void journalOptionsMapOntoTheJournalContext()
    {
        final NodeContext ctx = context("start", "--data-dir=" + dataDir, "--journal-retention-age=12h",
            "--journal-retention-size=10GiB", "--journal-durability=fsync-batch", "--journal-truncate-on-corruption",
            "--journal-dir=" + dir.resolve("elsewhere"));
        final JournalContext journal = ctx.journalContext().conclude();
        assertThat(journal.retentionMaxAgeMs()).isEqualTo(TimeUnit.HOURS.toMillis(12));
        assertThat(journal.retentionMaxBytes()).isEqualTo(10L << 30);
        assertThat(journal.durability()).isEqualTo(JournalDurability.FSYNC_ON_BATCH);
        assertThat(journal.truncateOnCorruption()).isTrue();
        assertThat(journal.directory()).isEqualTo(dir.resolve("elsewhere"));
    }

    @Test
    void journalDefaultsAreSafeAndTheJournalLivesInTheDataDirectory()
    {
        final JournalContext journal =
            context("start", "--data-dir=" + dataDir).conclude().journalContext().conclude();
        assertThat(journal.directory()).isEqualTo(journalDir.toAbsolutePath());
        assertThat(journal.retentionMaxAgeMs()).isEqualTo(TimeUnit.DAYS.toMillis(7));
        assertThat(journal.retentionMaxBytes()).isEqualTo(8L << 30);
        assertThat(journal.durability()).isEqualTo(JournalDurability.PAGE_CACHE);
        assertThat(journal.truncateOnCorruption()).isFalse();
    }

    @Test
    void agesAndSizesParse()
    {
        assertThat(NodeJournal.parseAgeMs("o", "7d")).isEqualTo(TimeUnit.DAYS.toMillis(7));
        assertThat(NodeJournal.parseAgeMs("o", "1h30m")).isEqualTo(TimeUnit.MINUTES.toMillis(90));
        assertThat(NodeJournal.parseAgeMs("o", "2w")).isEqualTo(TimeUnit.DAYS.toMillis(14));
        assertThat(NodeJournal.parseAgeMs("o", "500ms")).isEqualTo(500);
        assertThat(NodeJournal.parseSizeBytes("o", "512MiB")).isEqualTo(512L << 20);
        assertThat(NodeJournal.parseSizeBytes("o", "8g")).isEqualTo(8L << 30);
        assertThat(NodeJournal.parseSizeBytes("o", "64k")).isEqualTo(64L << 10);
        assertThat(NodeJournal.parseSizeBytes("o", "1TiB")).isEqualTo(1L << 40);
        assertThat(NodeJournal.parseSizeBytes("o", "4096")).isEqualTo(4096);
        assertThatThrownBy(() -> NodeJournal.parseSizeBytes("--journal-retention-size", "10GB"))
            .hasMessageContaining("--journal-retention-size").hasMessageContaining("10GiB");
        assertThatThrownBy(() -> NodeJournal.parseAgeMs("--journal-retention-age", "0d"))
            .hasMessageContaining("positive");
    }

    @Test
    void badJournalOptionsAreRefusedWithTheReason()
    {
        assertThat(run("start", "--data-dir=" + dataDir, "--journal-retention-age=soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--journal-retention-age takes an age such as 7d");
        assertThat(run("start", "--data-dir=" + dataDir, "--journal-durability=always")).isEqualTo(2);
        assertThat(err.toString()).contains("--journal-durability must be page-cache or fsync-batch: always");
        assertThat(run("start", "--data-dir=" + dataDir, "--journal-retention-size=lots")).isEqualTo(2);
        assertThat(err.toString()).contains("--journal-retention-size takes a size");
    }

    @Test
    void helpStatesTheDurabilityCostAndTheDefaults()
    {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = OmnibusMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.execute("start", "--help");
        assertThat(out.toString().replaceAll("\\s+", " "))
            .contains("--journal-durability=MODE")
            .contains("fsync-batch: msync once per batch")
            .contains("costs a synchronous device write per batch")
            .contains("Default: 7d")
            .contains("Default: 8GiB")
            .contains("--journal-truncate-on-corruption");
    }

    // ---- damaged journals ----

    @Test
    void aNodeRefusesAJournalWithACorruptEntryInTheMiddleUnlessToldToTruncate() throws IOException
    {
        final long last = writeJournalThroughANode();
        final long damagedSeq = last / 2;
        final Location bad = locate(journalDir, damagedSeq);
        flipByte(bad.file(), bad.headerPosition() + 4 + JournalEntry.HEADER_LENGTH + 5);

        assertThat(run("start", "--data-dir=" + dataDir)).isEqualTo(1);
        assertThat(err.toString())
            .startsWith("omnibus: journal damaged in file " + bad.file() + " at position " + bad.headerPosition())
            .contains("CRC-32C mismatch")
            .contains("--journal-truncate-on-corruption");
        assertThat(loggedErrors()).anyMatch(m -> m.contains(bad.file() + " at position " + bad.headerPosition()));
        assertThat(Files.exists(dataDir.resolve("bus"))).as("no socket left behind").isFalse();

        // nor is the damaged entry ever served to a reader: replay stops at it and says so
        final StringWriter replayOut = new StringWriter();
        final StringWriter replayErr = new StringWriter();
        final CommandLine replay = OmnibusMain.commandLine();
        replay.setOut(new PrintWriter(replayOut, true));
        replay.setErr(new PrintWriter(replayErr, true));
        assertThat(replay.execute("journal", "replay", "--data-dir=" + dataDir, "--format=monitor")).isEqualTo(1);
        assertThat(replayErr.toString()).contains("position " + bad.headerPosition());
        assertThat(replayOut.toString()).contains("seq=" + (damagedSeq - 1) + " ")
            .doesNotContain("seq=" + damagedSeq + " ");

        node = Node.launch(context("start", "--data-dir=" + dataDir, "--journal-truncate-on-corruption"));
        final JournalRecoveryReport report = node.journalRecoveryReport();
        assertThat(report.truncatedAtIndex()).isEqualTo(bad.index());
        assertThat(report.truncationReason()).contains("CRC-32C mismatch");
        assertThat(report.lastSequence()).isEqualTo(damagedSeq - 1);
        assertThat(report.nextSequence()).isEqualTo(damagedSeq);
        assertThat(loggedErrors()).anyMatch(m -> m.contains("dropped the entries from Chronicle index 0x" +
            Long.toHexString(bad.index())) && m.contains("appends resume at " + damagedSeq));

        assertNodeServesAndJournalsFrom(damagedSeq);
    }

    @Test
    void aNodeRefusesAJournalFileCutShortUnlessToldToTruncate() throws IOException
    {
        final long last = writeJournalThroughANode();
        final long first;
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            first = reader.firstSequence();
        }
        final Location cut = locate(journalDir, last / 2);
        try (RandomAccessFile raf = new RandomAccessFile(cut.file().toFile(), "rw"))
        {
            raf.setLength(cut.headerPosition() + 4 + 20);
        }

        assertThat(run("start", "--data-dir=" + dataDir)).isEqualTo(1);
        assertThat(err.toString())
            .startsWith("omnibus: journal damaged in file " + cut.file() + " at position ")
            .contains("--journal-truncate-on-corruption");
        assertThat(loggedErrors()).anyMatch(m -> m.contains(cut.file().toString()));

        // Chronicle cannot read that file to its end: the journal moves it aside (the only cycle file here), and
        // the node copies back its whole entries before the cut: the journal ends at the last whole entry
        node = Node.launch(context("start", "--data-dir=" + dataDir, "--journal-truncate-on-corruption"));
        final JournalRecoveryReport report = node.journalRecoveryReport();
        assertThat(report.quarantinedFiles()).hasSize(1);
        assertThat(report.quarantinedFiles().get(0).getFileName()).isEqualTo(cut.file().getFileName());
        assertThat(report.quarantinedFiles().get(0).getParent().getFileName().toString()).startsWith("quarantine-");
        assertThat(loggedErrors()).anyMatch(m -> m.contains("was damaged") && m.contains("moved aside") &&
            m.contains("appends resume at " + last / 2));
        assertThat(log.list).anyMatch(e -> e.getFormattedMessage().contains("copied back " + (last / 2 - first) +
            " whole entries (sequences " + first + ".." + (last / 2 - 1) + ")"));

        assertNodeServesAndJournalsFrom(last / 2);
    }

    // ---- retention ----

    @Test
    void theNodeAppliesRetentionWhileItRunsWithoutTraffic() throws IOException
    {
        final long hourMs = TimeUnit.HOURS.toMillis(1);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000 * hourMs + 60_000);
        final NodeContext ctx = context("start", "--data-dir=" + dataDir, "--journal-retention-age=2h");
        ctx.journalContext().epochClock(clock);
        node = Node.launch(ctx);
        final Path socket = dataDir.resolve("bus");
        try (DBusTestClient sender = DBusTestClient.connect(socket);
            DBusTestClient watcher = DBusTestClient.connect(socket))
        {
            watcher.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed'");
            sendAndAwait(sender, watcher, 0, 10);
            clock.advance(hourMs);
            sendAndAwait(sender, watcher, 10, 10);
            assertThat(cycleFiles()).hasSize(2);

            // no traffic from here on: only the node's periodic retention can delete the first hour's file
            clock.advance(2 * hourMs);
            Tests.await(() -> cycleFiles().size() == 1, Duration.ofSeconds(30), () -> "retention: " + cycleFiles());
            sendAndAwait(sender, watcher, 20, 5);
        }
    }

    // ---- helpers ----

    private NodeContext context(final String... args)
    {
        final CommandLine commandLine = OmnibusMain.commandLine();
        final CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        final OmnibusMain.StartCommand start =
            (OmnibusMain.StartCommand)parsed.subcommand().commandSpec().userObject();
        return OmnibusMain.context(start.options, true);
    }

    private int run(final String... args)
    {
        final CommandLine commandLine = OmnibusMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private List<String> loggedErrors()
    {
        final List<String> messages = new ArrayList<>();
        for (final ILoggingEvent event : log.list)
        {
            if (event.getLevel() == ch.qos.logback.classic.Level.ERROR)
            {
                messages.add(event.getFormattedMessage());
            }
        }
        return messages;
    }

    /**
     * A real node journals broadcast signals from a client; stopped once a watcher received them all.
     *
     * @return the journal's last sequence.
     */
    private long writeJournalThroughANode() throws IOException
    {
        try (Node writer = Node.launch(context("start", "--data-dir=" + dataDir)))
        {
            final Path socket = dataDir.resolve("bus");
            try (DBusTestClient sender = DBusTestClient.connect(socket);
                DBusTestClient watcher = DBusTestClient.connect(socket))
            {
                watcher.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed'");
                sendAndAwait(sender, watcher, 0, SIGNALS);
            }
            assertThat(writer.journalRecoveryReport().documents()).isZero();
        }
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            assertThat(reader.damage()).isNull();
            assertThat(reader.lastSequence()).isGreaterThanOrEqualTo(SIGNALS);
            firstWritten = reader.firstSequence();
            return reader.lastSequence();
        }
    }

    private static void sendAndAwait(
        final DBusTestClient sender, final DBusTestClient watcher, final int from, final int count) throws IOException
    {
        for (int i = from; i < from + count; i++)
        {
            sender.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tick").body("u", i));
        }
        for (int i = from; i < from + count; i++)
        {
            assertThat(watcher.awaitSignal("Tick", Duration.ofSeconds(20)).arg(0)).isEqualTo((long)i);
        }
    }

    /**
     * The restarted node serves clients and journals their traffic right after what it kept; once stopped, its
     * journal reads whole from its first sequence to its last, with no damage and no hole.
     */
    private void assertNodeServesAndJournalsFrom(final long nextSeq) throws IOException
    {
        final Path socket = dataDir.resolve("bus");
        try (DBusTestClient sender = DBusTestClient.connect(socket);
            DBusTestClient watcher = DBusTestClient.connect(socket))
        {
            watcher.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed'");
            sendAndAwait(sender, watcher, 1000, 50);
        }
        node.close();
        node = null;
        try (JournalReader reader = JournalReader.open(journalDir); JournalTailer tailer = reader.tailer())
        {
            assertThat(reader.damage()).isNull();
            assertThat(reader.lastSequence()).isGreaterThanOrEqualTo(nextSeq + 50);
            assertThat(reader.firstSequence()).as("nothing before the damage lost").isEqualTo(firstWritten);
            final long[] expected = {reader.firstSequence()};
            final boolean[] sawNext = {false};
            while (tailer.poll((seq, viewId, originNode, originSeq, ts, buffer, offset, length) ->
            {
                assertThat(seq).isEqualTo(expected[0]++);
                sawNext[0] |= seq == nextSeq;
            }, 1000) > 0)
            {
                Thread.onSpinWait();
            }
            assertThat(expected[0]).isEqualTo(reader.lastSequence() + 1);
            assertThat(sawNext[0]).isTrue();
        }
    }

    private List<Path> cycleFiles()
    {
        try (Stream<Path> list = Files.list(journalDir))
        {
            return list.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    record Location(Path file, long headerPosition, long index)
    {
    }

    /**
     * Where the message entry carrying a sequence lies, read with Chronicle directly (the journal closed).
     */
    static Location locate(final Path journalDir, final long seq)
    {
        Location found = null;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(journalDir).readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long position = bytes.readPosition();
                    if (bytes.readByte(position + JournalEntry.TYPE_OFFSET) == JournalEntry.TYPE_MESSAGE &&
                        bytes.readLong(position + JournalEntry.GLOBAL_SEQ_OFFSET) == seq)
                    {
                        found = new Location(tailer.currentFile().toPath(), position - 4, dc.index());
                    }
                }
            }
        }
        if (found == null)
        {
            throw new AssertionError("no entry " + seq + " in " + journalDir);
        }
        return found;
    }

    static void flipByte(final Path file, final long position) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x40);
        }
    }
}
