package org.omnibus.persistence;

/**
 * How far an appended entry has travelled when {@link Journal#endBatch()} returns.
 */
public enum JournalDurability
{
    /**
     * Entries are in the operating system's page cache as soon as they are appended: they survive a crash of
     * the process ({@code kill -9}) but not of the machine (power loss, kernel panic) until the kernel writes
     * them back. {@link Journal#endBatch()} does nothing. This is the default and costs nothing per entry.
     */
    PAGE_CACHE,

    /**
     * {@link Journal#endBatch()} calls {@code msync(MS_SYNC)} over the mapped bytes written since the previous
     * batch (Chronicle's {@code ExcerptAppender.sync()}, with the queue's sync mode set to {@code SYNC} so that
     * memory chunks released on the way are synced too). Entries then survive a machine crash once
     * {@code endBatch} returns. Cost: one synchronous write to the device per batch, from tens of microseconds
     * on NVMe to several milliseconds on rotating or network disks, during which the appending thread waits.
     * Batch generously (e.g. once per duty cycle, not once per entry).
     */
    FSYNC_ON_BATCH
}
