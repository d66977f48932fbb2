package org.omnibus.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalConfiguration;
import org.omnibus.persistence.JournalContext;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code omnibus journal tail --follow} beside a writer that keeps appending: every new message is printed, once,
 * in order, until the tail is interrupted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalTailFollowTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPrintMessagesAppendedWhileItRuns() throws InterruptedException
    {
        final Path dataDir = dir.resolve("data");
        final JournalTestFrames frames = new JournalTestFrames();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final AtomicInteger exitCode = new AtomicInteger(-1);
        try (Journal writer = Journal.open(
            new JournalContext().directory(JournalConfiguration.journalDirectory(dataDir))))
        {
            for (long seq = 1; seq <= 5; seq++)
            {
                frames.appendDBus(writer, seq, TimeUnit.SECONDS.toNanos(1_000 + seq), tick(seq));
            }

            final Thread tail = new Thread(() ->
            {
                final CommandLine commandLine = OmnibusMain.commandLine();
                commandLine.setOut(new PrintWriter(out, true));
                commandLine.setErr(new PrintWriter(err, true));
                exitCode.set(commandLine.execute("journal", "tail", "-f", "-n", "2", "--data-dir", dataDir.toString()));
            }, "journal-tail-follow");
            tail.start();
            try
            {
                await(() -> sequences(out).equals(List.of(4L, 5L)), "the last two messages");

                for (long seq = 6; seq <= 20; seq++)
                {
                    frames.appendDBus(writer, seq, TimeUnit.SECONDS.toNanos(1_000 + seq), tick(seq));
                    if (seq % 5 == 0)
                    {
                        final long last = seq;
                        await(() -> sequences(out).size() == last - 3, "message " + last);
                    }
                }
                await(() -> sequences(out).size() == 17, "all messages");
            }
            finally
            {
                tail.interrupt();
                tail.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertThat(tail.isAlive()).isFalse();
        }
        assertThat(exitCode.get()).isEqualTo(0);
        assertThat(sequences(out)).isEqualTo(java.util.stream.LongStream.rangeClosed(4, 20).boxed().toList());
        assertThat(out.toString()).contains("seq=20 signal time=1020.000000 sender=:1.9 -> " +
            "destination=(null destination) serial=20 path=/feed; interface=org.example.Feed; member=Tick\n" +
            "   uint64 20\n");
        assertThat(err.toString()).isEmpty();
    }

    private static byte[] tick(final long seq)
    {
        return DBusMessageBuilder.signal("/feed", "org.example.Feed", "Tick").serial(seq).sender(":1.9")
            .body("t", seq).build();
    }

    private static List<Long> sequences(final StringWriter out)
    {
        return out.toString().lines().filter((line) -> line.startsWith("seq="))
            .map((line) -> Long.parseLong(line.substring(4, line.indexOf(' ')))).toList();
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
