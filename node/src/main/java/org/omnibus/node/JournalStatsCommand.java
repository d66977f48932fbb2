package org.omnibus.node;

import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalCorruptionException;
import org.omnibus.persistence.JournalFile;
import org.omnibus.persistence.JournalHandler;
import org.omnibus.persistence.JournalReader;
import org.omnibus.persistence.JournalTailer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code omnibus journal stats}: sequence range, message count, files and sizes, time range, average and recent
 * rate, and any damage (then the exit code is 1).
 */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = OmnibusMain.Version.class,
    description = {"Sequence range, message count, files and sizes, time range, average and recent rate.",
        "Exit code 1 if the journal is damaged (the damage is named)."})
final class JournalStatsCommand extends JournalSubcommand
{
    /** The window of the recent rate, ending at the newest message. */
    static final long RECENT_WINDOW_NS = TimeUnit.SECONDS.toNanos(60);

    @Mixin
    JournalLocation location;

    @Override
    int run()
    {
        final PrintWriter out = out();
        try (JournalReader reader = location.openReader())
        {
            final long first = reader.firstSequence();
            final long last = reader.lastSequence();
            final long count = reader.entryCount();
            row(out, "journal", reader.directory().toAbsolutePath().normalize().toString());
            if (Journal.NULL_SEQUENCE == last)
            {
                row(out, "messages", "0 (the journal is empty)");
            }
            else
            {
                row(out, "messages", count + " (seq " + first + " .. " + last +
                    (count == last - first + 1 ? ")" : ", with holes)"));
            }
            row(out, "entries", reader.documentCount() + " read (" + reader.markerCount() + " truncation marker" +
                (reader.markerCount() == 1 ? ")" : "s)"));
            if (Journal.NULL_SEQUENCE != last)
            {
                times(out, reader, first, last, count, nowNs());
            }
            files(out, reader.files());
            final JournalCorruptionException damage = reader.damage();
            row(out, "damage", null == damage ? "none found" : damage.getMessage());
            return null == damage ? 0 : JournalCliException.FAILURE;
        }
    }

    private static void times(
        final PrintWriter out, final JournalReader reader, final long first, final long last, final long count,
        final long nowNs)
    {
        final long newestNs = reader.journalTimeNs();
        final long oldestNs;
        final long recentFrom;
        try (JournalTailer tailer = reader.tailer())
        {
            final long firstNs = firstTimestamp(tailer, first);
            oldestNs = Long.MIN_VALUE == firstNs ? newestNs : Math.min(firstNs, newestNs);
            recentFrom = newestNs - RECENT_WINDOW_NS > oldestNs ?
                tailer.seekToTime(newestNs - RECENT_WINDOW_NS) : first;
        }
        final long spanNs = newestNs - oldestNs;
        row(out, "time range", JournalPosition.formatInstant(oldestNs) + " .. " +
            JournalPosition.formatInstant(newestNs) + " (" + duration(spanNs) + ")");
        row(out, "newest", JournalPosition.formatInstant(newestNs) + " (" + duration(nowNs - newestNs) + " ago)");
        row(out, "average rate", spanNs > 0 ?
            rate(count, spanNs) + " msgs/s over the time range" : "n/a (all messages at one instant)");
        if (spanNs > RECENT_WINDOW_NS)
        {
            final long recent = recentFrom > last ? 0 : reader.countBetween(recentFrom, last);
            row(out, "recent rate", rate(recent, RECENT_WINDOW_NS) + " msgs/s over the last " +
                TimeUnit.NANOSECONDS.toSeconds(RECENT_WINDOW_NS) + " s up to the newest message");
        }
        else
        {
            row(out, "recent rate", "as the average (the time range is shorter than " +
                TimeUnit.NANOSECONDS.toSeconds(RECENT_WINDOW_NS) + " s)");
        }
    }

    private static long firstTimestamp(final JournalTailer tailer, final long first)
    {
        final long[] timestamp = {Long.MIN_VALUE};
        if (tailer.seekToSequence(first))
        {
            final JournalHandler handler = (seq, viewId, originNode, originSeq, timestampNs, buffer, offset,
                length) -> timestamp[0] = timestampNs;
            while (Long.MIN_VALUE == timestamp[0] && tailer.poll(handler, 1) > 0)
            {
                Thread.onSpinWait();
            }
        }
        return timestamp[0];
    }

    private static void files(final PrintWriter out, final List<JournalFile> files)
    {
        row(out, "files", Integer.toString(files.size()));
        long total = 0;
        for (final JournalFile file : files)
        {
            total += file.usedBytes();
            out.println("  " + file.path().getFileName() + "  " + bytes(file.usedBytes()) + "  " +
                Instant.ofEpochMilli(file.startMs()) + " .. " + Instant.ofEpochMilli(file.endMs()));
        }
        row(out, "total size", bytes(total));
    }

    private static void row(final PrintWriter out, final String name, final String value)
    {
        out.printf(Locale.ROOT, "%-13s %s%n", name, value);
    }

    static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " bytes";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%d bytes (%.1f %s)", bytes, value, units[unit]);
    }

    static String rate(final long count, final long ns)
    {
        final double perSecond = count * 1e9 / ns;
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond) :
            String.format(Locale.ROOT, "%.2f", perSecond);
    }

    static String duration(final long ns)
    {
        if (ns < 0)
        {
            return "-" + duration(-ns);
        }
        final long ms = TimeUnit.NANOSECONDS.toMillis(ns);
        if (ms < 60_000)
        {
            return String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
        }
        final long s = ms / 1000;
        if (s < 3600)
        {
            return String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        }
        if (s < 86_400)
        {
            return String.format(Locale.ROOT, "%d h %02d m %02d s", s / 3600, (s / 60) % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d d %02d h %02d m", s / 86_400, (s / 3600) % 24, (s / 60) % 60);
    }
}
