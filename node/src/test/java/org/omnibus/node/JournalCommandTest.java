package org.omnibus.node;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.dbus.DBusFraming;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalConfiguration;
import org.omnibus.persistence.JournalContext;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code omnibus journal} end to end: a journal of BusMessage frames (and frames of other kinds) that a writer
 * holds open, read by every subcommand through picocli with captured output.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalCommandTest
{
    private static final long MICROS = 123_456;

    @TempDir
    Path dir;

    private Path dataDir;
    private Path journalDir;
    private Journal writer;
    private long baseSeconds;
    private final List<byte[]> dbusMessages = new ArrayList<>();
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void writeJournal()
    {
        dataDir = dir.resolve("data");
        journalDir = JournalConfiguration.journalDirectory(dataDir);
        writer = Journal.open(new JournalContext().directory(journalDir));
        baseSeconds = TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis()) - 600;
        final JournalTestFrames frames = new JournalTestFrames();
        dbusMessages.add(DBusMessageBuilder.signal("/org/example/Feed", "org.example.Feed", "Tick")
            .serial(5).sender(":1.3").body("us", 1, "first").build());
        dbusMessages.add(DBusMessageBuilder.methodCall("org.example.Svc", "/svc", "org.example.Svc", "Get")
            .serial(7).sender(":1.4").body("s", "key").build());
        dbusMessages.add(DBusMessageBuilder.methodReturn(7).serial(11).sender(":1.5").destination(":1.4")
            .body("as", List.of("a", "b")).build());
        dbusMessages.add(DBusMessageBuilder.error(8, "org.example.Error.Failed").serial(12).sender(":1.5")
            .destination(":1.4").body("s", "it broke").build());
        dbusMessages.add(DBusMessageBuilder.signal("/org/example/Feed", "org.example.Feed", "Tock")
            .serial(9).sender(":1.3").body("ay", (Object)new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}).build());
        for (int i = 0; i < 4; i++)
        {
            frames.appendDBus(writer, i + 1, timeNs(i + 1), dbusMessages.get(i));
        }
        frames.appendOtherFrame(writer, 5, timeNs(5), 7002, 3, 1, 32);
        frames.appendDBus(writer, 6, timeNs(6), dbusMessages.get(4));
        frames.appendShortFrame(writer, 7, timeNs(7), 3);
    }

    @AfterEach
    void closeJournal()
    {
        writer.close();
    }

    @Test
    void statsShouldDescribeRangeFilesSizesTimesAndRates()
    {
        assertThat(run("journal", "stats", "--data-dir", dataDir.toString())).isEqualTo(0);

        final long used = writer.files().get(0).usedBytes();
        final List<String> lines = lines(out);
        assertThat(lines).hasSize(11);
        assertThat(lines.subList(0, 4)).containsExactly(
            "journal       " + journalDir.toAbsolutePath(),
            "messages      7 (seq 1 .. 7)",
            "entries       7 read (0 truncation markers)",
            "time range    " + iso(1) + " .. " + iso(7) + " (6 m 00 s)");
        assertThat(lines.get(4)).matches("newest        " + iso(7).replace(".", "\\.") +
            " \\((2 m 5[0-9]|3 m [0-9]{2}) s ago\\)");
        assertThat(lines.subList(5, 11)).containsExactly(
            "average rate  0.02 msgs/s over the time range",
            "recent rate   0.03 msgs/s over the last 60 s up to the newest message",
            "files         1",
            "  " + writer.files().get(0).path().getFileName() + "  " + JournalStatsCommand.bytes(used) + "  " +
                Instant.ofEpochMilli(writer.files().get(0).startMs()) + " .. " +
                Instant.ofEpochMilli(writer.files().get(0).endMs()),
            "total size    " + JournalStatsCommand.bytes(used),
            "damage        none found");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void tailShouldPrintTheLastMessagesAsDbusMonitorDoesWithTheirSequence()
    {
        assertThat(run("journal", "tail", "-n", "3", "--journal", journalDir.toString())).isEqualTo(0);

        assertThat(out.toString()).isEqualTo(
            "seq=5 frame time=" + time(5) + " schema=7002 template=3 version=1 length=40\n" +
            "seq=6 signal time=" + time(6) + " sender=:1.3 -> destination=(null destination) serial=9 " +
            "path=/org/example/Feed; interface=org.example.Feed; member=Tock\n" +
            "   array of bytes [\n" +
            "      00 01 02 03 04 05 06 07 08 09\n" +
            "   ]\n" +
            "seq=7 frame time=" + time(7) + " length=3 (shorter than an SBE message header)\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void tailShouldPrintTenByDefault()
    {
        assertThat(run("journal", "tail", "--data-dir", dataDir.toString())).isEqualTo(0);

        assertThat(out.toString()).startsWith(firstFour());
        assertThat(out.toString()).contains("seq=5 frame", "seq=6 signal", "seq=7 frame");
    }

    @Test
    void replayShouldPrintARangeBySequence()
    {
        assertThat(run("journal", "replay", "--data-dir", dataDir.toString(), "--from", "2", "--to", "4"))
            .isEqualTo(0);

        assertThat(out.toString()).isEqualTo(firstFour().substring(firstFour().indexOf("seq=2 ")));
    }

    @Test
    void replayShouldPrintARangeByTime()
    {
        assertThat(run("journal", "replay", "--data-dir", dataDir.toString(),
            "--from", isoAt(2), "--to", isoAt(3))).isEqualTo(0);
        assertThat(sequencesIn(out.toString())).containsExactly(2L, 3L);

        out.getBuffer().setLength(0);
        assertThat(run("journal", "replay", "--data-dir", dataDir.toString(), "--from", "-5m")).isEqualTo(0);
        assertThat(sequencesIn(out.toString())).containsExactly(6L, 7L);

        out.getBuffer().setLength(0);
        assertThat(run("journal", "replay", "--data-dir", dataDir.toString(), "--from", "-2m")).isEqualTo(0);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("omnibus journal: no messages in the range\n");
    }

    @Test
    void replayShouldWriteRawDBusMessagesToAFile() throws IOException
    {
        final Path file = dir.resolve("messages.bin");
        assertThat(run("journal", "replay", "--data-dir", dataDir.toString(), "--format=raw", "--output",
            file.toString(), "--to", "6")).isEqualTo(0);

        assertThat(out.toString()).isEqualTo("wrote 5 messages to " + file + "\n");
        assertThat(err.toString()).isEqualTo("omnibus journal: skipped 1 entries that are not D-Bus messages " +
            "(raw output holds D-Bus messages only)\n");
        final byte[] bytes = Files.readAllBytes(file);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final DBusMessageFlyweight message = new DBusMessageFlyweight();
        int offset = 0;
        for (final byte[] original : dbusMessages)
        {
            final int length = DBusFraming.messageLength(buffer, offset, bytes.length - offset);
            message.wrap(buffer, offset, length);
            final DBusMessageFlyweight expected = new DBusMessageFlyweight()
                .wrap(new UnsafeBuffer(original), 0, original.length);
            assertThat(message.type()).isEqualTo(expected.type());
            assertThat(message.serial()).isEqualTo(expected.serial());
            assertThat(message.member()).isEqualTo(expected.member());
            assertThat(message.errorName()).isEqualTo(expected.errorName());
            assertThat(message.sender()).isEqualTo(expected.sender());
            assertThat(message.destination()).isEqualTo(expected.destination());
            assertThat(message.signature()).isEqualTo(expected.signature());
            final byte[] body = new byte[message.bodyLength()];
            buffer.getBytes(message.bodyOffset(), body);
            assertThat(body).isEqualTo(java.util.Arrays.copyOfRange(
                original, expected.bodyOffset(), expected.bodyOffset() + expected.bodyLength()));
            offset += length;
        }
        assertThat(offset).isEqualTo(bytes.length);
    }

    @Test
    void exportShouldWriteAFileThatReplayAndImportRead() throws IOException
    {
        final Path file = dir.resolve("range.export");
        assertThat(run("journal", "export", "--data-dir", dataDir.toString(), "--from", "2", "--to", "4",
            "--output", file.toString())).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("exported 3 messages (seq 2 .. 4) to " + file + "\n");

        out.getBuffer().setLength(0);
        assertThat(run("journal", "replay", "--input", file.toString())).isEqualTo(0);
        assertThat(out.toString()).isEqualTo(firstFour().substring(firstFour().indexOf("seq=2 ")));

        out.getBuffer().setLength(0);
        assertThat(run("journal", "replay", "--input", file.toString(), "--from", isoAt(3))).isEqualTo(0);
        assertThat(sequencesIn(out.toString())).containsExactly(3L, 4L);

        out.getBuffer().setLength(0);
        final Path other = dir.resolve("other");
        assertThat(run("journal", "import", "--journal", other.toString(), "--input", file.toString()))
            .isEqualTo(0);
        assertThat(out.toString()).isEqualTo("imported 3 messages into " + other + "; it holds seq 2 .. 4\n");

        out.getBuffer().setLength(0);
        assertThat(run("journal", "tail", "--journal", other.toString())).isEqualTo(0);
        assertThat(out.toString()).isEqualTo(firstFour().substring(firstFour().indexOf("seq=2 ")));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void replayShouldDrawAProgressBarWhenAsked()
    {
        assertThat(run("journal", "replay", "--data-dir", dataDir.toString(), "--progress")).isEqualTo(0);
        assertThat(err.toString()).matches("\r\\[#{30}\\] 100%  7/7 msgs  [0-9.]+( [kM])? msg/s\n");
        assertThat(sequencesIn(out.toString())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void importShouldRefuseAJournalANodeHolds()
    {
        final Path file = dir.resolve("all.export");
        assertThat(run("journal", "export", "--data-dir", dataDir.toString(), "--output", file.toString()))
            .isEqualTo(0);
        assertThat(run("journal", "import", "--data-dir", dataDir.toString(), "--input", file.toString()))
            .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("omnibus journal: journal " + journalDir +
            " is open in another process (or in this one); stop the node first\n");
    }

    @Test
    void badInputShouldGetAOneLineErrorAndExitCodeTwo() throws IOException
    {
        assertError(2, "omnibus journal: no journal at " + dir.resolve("nowhere/journal") + ": no such directory",
            "journal", "stats", "--data-dir", dir.resolve("nowhere").toString());
        Files.createDirectories(dir.resolve("plain"));
        assertError(2, "omnibus journal: " + dir.resolve("plain") + " is not a journal: it has no metadata.cq4t",
            "journal", "tail", "--journal", dir.resolve("plain").toString());
        assertError(2, "omnibus journal: bad range: --from seq 5 is after --to seq 2",
            "journal", "replay", "--data-dir", dataDir.toString(), "--from", "5", "--to", "2");
        assertError(2, "omnibus journal: bad range: seq 100 .. end is outside the journal, which holds seq 1 .. 7",
            "journal", "replay", "--data-dir", dataDir.toString(), "--from", "100");
        assertError(2, "omnibus journal: --to: cannot read 'yesterday' as a sequence or a time (give a sequence " +
            "number, an ISO-8601 instant such as 2024-05-01T12:00:00Z, or a relative time such as -5m or -1h30m)",
            "journal", "export", "--data-dir", dataDir.toString(), "--to", "yesterday", "--output", "x");
        assertError(2, "omnibus journal: --data-dir and --journal cannot both be given",
            "journal", "stats", "--data-dir", dataDir.toString(), "--journal", journalDir.toString());
        assertError(2, "omnibus journal: --format must be monitor or raw: pcap",
            "journal", "replay", "--data-dir", dataDir.toString(), "--format", "pcap");
        assertError(2, "omnibus journal: no such export file: " + dir.resolve("none.export"),
            "journal", "replay", "--input", dir.resolve("none.export").toString());
        assertError(2, "omnibus journal: a subcommand is required (stats, tail, replay, export, import); " +
            "see omnibus journal --help", "journal");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aCorruptEntryShouldBeNamedAndNeverPrinted() throws IOException
    {
        writer.close();
        final Path cycleFile;
        try (Stream<Path> files = Files.list(journalDir))
        {
            cycleFile = files.filter((p) -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final long position = flipByteOf(cycleFile, "it broke");

        assertThat(run("journal", "tail", "--data-dir", dataDir.toString())).isEqualTo(1);
        assertThat(sequencesIn(out.toString())).containsExactly(1L, 2L, 3L);
        final List<String> errors = lines(err);
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("omnibus journal: warning: journal damaged in file " + cycleFile +
            " at position ").contains("CRC");
        assertThat(errors.get(1)).startsWith("omnibus journal: journal damaged in file " + cycleFile +
            " at position ").contains("CRC").contains("Not served");
        final long reported = Long.parseLong(errors.get(1).replaceAll(".* at position ([0-9]+) .*", "$1"));
        assertThat(reported).isLessThan(position).isGreaterThan(position - 400);

        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run("journal", "stats", "--data-dir", dataDir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("damage        journal damaged in file " + cycleFile + " at position " +
            reported);

        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run("journal", "replay", "--data-dir", dataDir.toString(), "--from", "5")).isEqualTo(0);
        assertThat(sequencesIn(out.toString())).containsExactly(5L, 6L, 7L);
    }

    private void assertError(final int exitCode, final String message, final String... args)
    {
        out = null;
        err = null;
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(exitCode);
        assertThat(err.toString()).as(String.join(" ", args)).isEqualTo(message + "\n");
        assertThat(out.toString()).isEmpty();
    }

    private int run(final String... args)
    {
        if (null == out)
        {
            out = new StringWriter();
        }
        if (null == err)
        {
            err = new StringWriter();
        }
        final CommandLine commandLine = OmnibusMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private String firstFour()
    {
        return "seq=1 signal time=" + time(1) + " sender=:1.3 -> destination=(null destination) serial=5 " +
            "path=/org/example/Feed; interface=org.example.Feed; member=Tick\n" +
            "   uint32 1\n" +
            "   string \"first\"\n" +
            "seq=2 method call time=" + time(2) + " sender=:1.4 -> destination=org.example.Svc serial=7 " +
            "path=/svc; interface=org.example.Svc; member=Get\n" +
            "   string \"key\"\n" +
            "seq=3 method return time=" + time(3) + " sender=:1.5 -> destination=:1.4 serial=11 reply_serial=7\n" +
            "   array [\n" +
            "      string \"a\"\n" +
            "      string \"b\"\n" +
            "   ]\n" +
            "seq=4 error time=" + time(4) + " sender=:1.5 -> destination=:1.4 " +
            "error_name=org.example.Error.Failed reply_serial=8\n" +
            "   string \"it broke\"\n";
    }

    private long timeNs(final int seq)
    {
        return TimeUnit.SECONDS.toNanos(baseSeconds + 60L * seq) + TimeUnit.MICROSECONDS.toNanos(MICROS);
    }

    private String time(final int seq)
    {
        return (baseSeconds + 60L * seq) + "." + MICROS;
    }

    private String iso(final int seq)
    {
        return Instant.ofEpochSecond(baseSeconds + 60L * seq, TimeUnit.MICROSECONDS.toNanos(MICROS)).toString();
    }

    private String isoAt(final int seq)
    {
        return iso(seq);
    }

    private static List<String> lines(final StringWriter writer)
    {
        return writer.toString().lines().toList();
    }

    private static List<Long> sequencesIn(final String text)
    {
        return text.lines().filter((line) -> line.startsWith("seq="))
            .map((line) -> Long.parseLong(line.substring(4, line.indexOf(' ')))).toList();
    }

    private static long flipByteOf(final Path file, final String text) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= bytes.length; i++)
        {
            if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length))
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.seek(i);
                    raf.write(bytes[i] ^ 0x20);
                }
                return i;
            }
        }
        throw new AssertionError("no '" + text + "' in " + file);
    }
}
