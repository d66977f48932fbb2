package org.omnibus.persistence;

import java.nio.file.Path;

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
}
