package org.omnibus.persistence;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One cycle file of a journal, as retention and statistics see it.
 *
 * @param cycle     Chronicle cycle number.
 * @param path      the file.
 * @param usedBytes bytes up to the last entry's header: what the file occupies on disk (its apparent length
 *                  is larger, Chronicle extends it a block at a time as a sparse file).
 * @param startMs   when the cycle began, ms since the epoch.
 * @param endMs     when the cycle ends or ended, ms since the epoch.
 */
public record JournalFile(int cycle, Path path, long usedBytes, long startMs, long endMs)
{
    /**
     * How the caller measures a cycle's used bytes (a writer may cache closed cycles; a reader must not create a
     * store).
     */
    @FunctionalInterface
    interface UsedBytes
    {
        /**
         * @param cycle  Chronicle cycle number.
         * @param closed whether a later cycle exists (nothing more is written to this one).
         * @return the cycle's used bytes, or a negative value to leave the cycle out.
         */
        long of(int cycle, boolean closed);
    }

    /**
     * List a queue's cycle files that exist on disk, oldest first.
     *
     * @param queue     the open queue.
     * @param rollCycle its roll cycle.
     * @param directory its directory.
     * @param usedBytes measures each cycle.
     * @return the files.
     */
    static List<JournalFile> list(
        final SingleChronicleQueue queue, final RollCycle rollCycle, final Path directory, final UsedBytes usedBytes)
    {
        final List<JournalFile> files = new ArrayList<>();
        final int firstCycle = queue.firstCycle();
        final int lastCycle = queue.lastCycle();
        if (firstCycle == Integer.MAX_VALUE || lastCycle == Integer.MIN_VALUE)
        {
            return files;
        }
        final DateTimeFormatter fileFormat = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        final long lengthMs = rollCycle.lengthInMillis();
        for (final Long cycleValue : queue.listCyclesBetween(firstCycle, lastCycle))
        {
            final int cycle = cycleValue.intValue();
            final long startMs = cycle * lengthMs + queue.epoch();
            final Path path = directory.resolve(
                fileFormat.format(Instant.ofEpochMilli(startMs)) + SingleChronicleQueue.SUFFIX);
            if (!Files.exists(path))
            {
                continue;
            }
            final long used = usedBytes.of(cycle, cycle < lastCycle);
            if (used >= 0)
            {
                files.add(new JournalFile(cycle, path, used, startMs, startMs + lengthMs));
            }
        }
        return files;
    }
}
