package org.omnibus.systemtest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.persistence.JournalConfiguration;
import org.omnibus.persistence.JournalCorruptionException;
import org.omnibus.persistence.JournalReader;
import org.omnibus.persistence.JournalTailer;
import org.omnibus.test.DBusTestClient;
import org.omnibus.test.Tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a node (a child JVM running {@code omnibus start}) while clients flood it with broadcast
 * signals, each of which goes through the order and the journal; then a restart on the same data directory: the
 * journal opens, its last entry is whole, the recovery report says what it found, and the node serves clients and
 * journals their traffic from the next sequence on.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JournalCrashTest
{
    private static final int SENDERS = 2;
    private static final long ENTRIES_BEFORE_KILL = 20_000;
    private static final Pattern REPORT = Pattern.compile(
        "journal .* open: JournalRecoveryReport\\[firstSequence=(-?[0-9]+), lastSequence=(-?[0-9]+), " +
        "nextSequence=(-?[0-9]+), documents=([0-9]+), markers=([0-9]+), tornTailDiscarded=(true|false)");
    private static final String PAYLOAD = "x".repeat(100);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();
    private final List<Thread> senders = new ArrayList<>();
    private final AtomicBoolean stopSending = new AtomicBoolean();

    @AfterEach
    void cleanUp() throws InterruptedException
    {
        stopSending.set(true);
        for (final Process child : children)
        {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        for (final Thread sender : senders)
        {
            sender.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @Test
    void aNodeKilledDuringHeavyJournaledTrafficRestartsOnAWholeJournalAndResumesAfterItsLastEntry()
        throws Exception
    {
        final Path dataDir = dir.resolve("data");
        final Path journalDir = JournalConfiguration.journalDirectory(dataDir);
        final Path socket = dataDir.resolve("bus");

        final Process first = startNode(dataDir, dir.resolve("first.stderr"));
        final AtomicLong sent = new AtomicLong();
        for (int i = 0; i < SENDERS; i++)
        {
            final DBusTestClient client = DBusTestClient.connect(socket);
            final Thread sender = new Thread(() -> flood(client, sent), "flood-" + i);
            senders.add(sender);
            sender.start();
        }

        // kill -9 once the journal holds plenty, while the senders are still sending
        Tests.await(() -> Files.exists(journalDir.resolve(JournalReader.METADATA_FILE_NAME)), Duration.ofSeconds(30),
            () -> "journal created");
        try (JournalReader live = JournalReader.open(journalDir))
        {
            Tests.await(() -> live.refresh() >= 0 && live.lastSequence() >= ENTRIES_BEFORE_KILL,
                Duration.ofSeconds(120), () -> "journaled " + live.lastSequence() + " of " + ENTRIES_BEFORE_KILL +
                " (sent " + sent.get() + ")");
        }
        assertThat(senders).as("still sending when killed").allMatch(Thread::isAlive);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("SIGKILL").isEqualTo(128 + 9);
        for (final Thread sender : senders)
        {
            sender.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(sender.isAlive()).isFalse();
        }

        // what the killed node left: read beside it, changing nothing
        final long lastBefore;
        final boolean tornBefore;
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            final JournalCorruptionException damage = reader.damage();
            tornBefore = damage != null;
            if (damage != null)
            {
                assertThat(damage.getMessage()).as("only a torn last entry").contains("It is the last entry");
            }
            lastBefore = reader.lastSequence();
            assertThat(lastBefore).isGreaterThanOrEqualTo(ENTRIES_BEFORE_KILL);
            assertEveryEntryWholeAndDense(reader, reader.firstSequence(), lastBefore);
        }

        // restart on the same data directory
        final Path secondLog = dir.resolve("second.stderr");
        final Process second = startNode(dataDir, secondLog);
        final Matcher report = REPORT.matcher(Files.readString(secondLog));
        assertThat(report.find()).as("recovery report in the log:%n%s", Files.readString(secondLog)).isTrue();
        assertThat(Long.parseLong(report.group(2))).as("last sequence recovered").isEqualTo(lastBefore);
        assertThat(Long.parseLong(report.group(3))).as("next sequence").isEqualTo(lastBefore + 1);
        assertThat(Long.parseLong(report.group(4))).as("entries read").isGreaterThanOrEqualTo(lastBefore);
        assertThat(Boolean.parseBoolean(report.group(6))).as("torn tail discarded").isEqualTo(tornBefore);

        // it serves clients, and journals their traffic right after the last entry it recovered
        try (DBusTestClient sender = DBusTestClient.connect(socket);
            DBusTestClient watcher = DBusTestClient.connect(socket))
        {
            watcher.callDriver("AddMatch", "s", "type='signal',interface='com.example.After'");
            for (int i = 0; i < 100; i++)
            {
                sender.send(DBusMessageBuilder.signal("/after", "com.example.After", "Tick").body("u", i));
            }
            for (int i = 0; i < 100; i++)
            {
                assertThat(watcher.awaitSignal("Tick", Duration.ofSeconds(30)).arg(0)).isEqualTo((long)i);
            }
        }
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            Tests.await(() -> reader.refresh() >= 0 && reader.lastSequence() >= lastBefore + 100,
                Duration.ofSeconds(30), () -> "journaled after the restart: " + reader.lastSequence());
            assertThat(reader.damage()).isNull();
            assertEveryEntryWholeAndDense(reader, reader.firstSequence(), reader.lastSequence());
        }

        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).as("clean stop on SIGTERM").isZero();
    }

    private Process startNode(final Path dataDir, final Path stderr) throws IOException
    {
        // the node's own logging (INFO to standard error), not the test classpath's logback-test.xml
        final Path logback = dir.resolve("logback-node.xml");
        Files.writeString(logback, String.join("\n",
            "<configuration>",
            "  <appender name=\"STDERR\" class=\"ch.qos.logback.core.ConsoleAppender\">",
            "    <target>System.err</target>",
            "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>",
            "  </appender>",
            "  <logger name=\"org.omnibus\" level=\"INFO\"/>",
            "  <root level=\"WARN\"><appender-ref ref=\"STDERR\"/></root>",
            "</configuration>", ""));
        final List<String> command = ProcessBus.omnibusCommand();
        command.add(1, "-Xmx256m");
        command.add(1, "-Dlogback.configurationFile=" + logback);
        command.add("start");
        command.add("--data-dir=" + dataDir);
        command.add("--print-address");
        final Process process = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
            .start();
        children.add(process);
        final CompletableFuture<String> address = new CompletableFuture<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = lines.readLine()) != null)
                {
                    if (line.startsWith("unix:"))
                    {
                        address.complete(line);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process has gone
            }
            address.complete(null);
        }, "node-stdout");
        reader.setDaemon(true);
        reader.start();
        try
        {
            assertThat(address.get(90, TimeUnit.SECONDS)).as("address printed; log:%n%s", readQuietly(stderr))
                .startsWith("unix:path=" + dataDir.resolve("bus"));
        }
        catch (final Exception ex)
        {
            throw new AssertionError("node did not start; log:\n" + readQuietly(stderr), ex);
        }
        return process;
    }

    private void flood(final DBusTestClient client, final AtomicLong sent)
    {
        try (client)
        {
            long i = 0;
            while (!stopSending.get())
            {
                client.send(DBusMessageBuilder.signal("/flood", "com.example.Flood", "Data").body("ts", i++, PAYLOAD));
                sent.incrementAndGet();
            }
        }
        catch (final IOException expected)
        {
            // the node was killed
        }
    }

    /**
     * Every entry from first to last is served (a tailer verifies each entry's CRC and refuses a corrupt one),
     * in sequence with no hole.
     */
    private static void assertEveryEntryWholeAndDense(final JournalReader reader, final long first, final long last)
    {
        try (JournalTailer tailer = reader.tailer())
        {
            assertThat(tailer.seekToSequence(first)).isTrue();
            final long[] expected = {first};
            while (expected[0] <= last && tailer.poll((seq, viewId, originNode, originSeq, ts, buffer, offset,
                length) ->
            {
                if (seq <= last)
                {
                    assertThat(seq).isEqualTo(expected[0]);
                    assertThat(length).isPositive();
                    expected[0]++;
                }
            }, 4096) > 0)
            {
                Thread.onSpinWait();
            }
            assertThat(expected[0]).as("entries served up to the last").isEqualTo(last + 1);
        }
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file) : "";
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
