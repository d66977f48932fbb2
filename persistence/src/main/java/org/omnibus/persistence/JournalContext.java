package org.omnibus.persistence;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Settings of a {@link Journal}, with fluent setters. {@link #conclude()} validates them and fills defaults
 * from {@link JournalConfiguration}; {@link Journal#open(JournalContext)} concludes the context itself.
 */
public final class JournalContext implements Cloneable
{
    private boolean isConcluded;
    private Path directory;
    private RollCycle rollCycle;
    private long retentionMaxAgeMs = JournalConfiguration.retentionMaxAgeMs();
    private long retentionMaxBytes = JournalConfiguration.retentionMaxBytes();
    private JournalDurability durability = JournalConfiguration.durability();
    private long blockSize = JournalConfiguration.blockSize();
    private boolean truncateOnCorruption = JournalConfiguration.truncateOnCorruption();
    private long chronicleTimeoutMs = JournalConfiguration.chronicleTimeoutMs();
    private EpochClock epochClock;

    /**
     * Validate the settings and fill in defaults. Idempotent.
     *
     * @return this.
     * @throws IllegalArgumentException if a setting is missing or out of range.
     */
    public JournalContext conclude()
    {
        if (isConcluded)
        {
            return this;
        }
        if (null == directory)
        {
            final String dir = JournalConfiguration.directory();
            if (null == dir)
            {
                throw new IllegalArgumentException(
                    "journal directory not set (JournalContext.directory or " +
                    JournalConfiguration.DIRECTORY_PROP_NAME + ")");
            }
            directory = Paths.get(dir);
        }
        if (null == rollCycle)
        {
            rollCycle = rollCycleByName(JournalConfiguration.rollCycle());
        }
        if (retentionMaxAgeMs <= 0)
        {
            throw new IllegalArgumentException("retentionMaxAgeMs must be positive: " + retentionMaxAgeMs);
        }
        if (retentionMaxBytes <= 0)
        {
            throw new IllegalArgumentException("retentionMaxBytes must be positive: " + retentionMaxBytes);
        }
        if (blockSize < (1 << 20) || Long.bitCount(blockSize) != 1)
        {
            throw new IllegalArgumentException("blockSize must be a power of two of at least 1 MiB: " + blockSize);
        }
        if (chronicleTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("chronicleTimeoutMs must be positive: " + chronicleTimeoutMs);
        }
        if (null == durability)
        {
            durability = JournalConfiguration.DURABILITY_DEFAULT;
        }
        if (null == epochClock)
        {
            epochClock = SystemEpochClock.INSTANCE;
        }
        isConcluded = true;
        return this;
    }

    /**
     * Find a roll cycle by its Chronicle name, among {@code RollCycles}, {@code LargeRollCycles} and
     * {@code TestRollCycles}.
     *
     * @param name such as {@code FAST_HOURLY} or {@code FAST_DAILY}.
     * @return the roll cycle.
     * @throws IllegalArgumentException if there is none of that name.
     */
    public static RollCycle rollCycleByName(final String name)
    {
        final String key = name.trim().toUpperCase();
        for (final RollCycle cycle : RollCycles.all())
        {
            if (cycle instanceof Enum && ((Enum<?>)cycle).name().equals(key))
            {
                return cycle;
            }
        }
        for (final LargeRollCycles cycle : LargeRollCycles.values())
        {
            if (cycle.name().equals(key))
            {
                return cycle;
            }
        }
        for (final TestRollCycles cycle : TestRollCycles.values())
        {
            if (cycle.name().equals(key))
            {
                return cycle;
            }
        }
        throw new IllegalArgumentException("unknown roll cycle: " + name);
    }

    /**
     * @return a copy of this context, not concluded.
     */
    public JournalContext clone()
    {
        try
        {
            final JournalContext copy = (JournalContext)super.clone();
            copy.isConcluded = false;
            return copy;
        }
        catch (final CloneNotSupportedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param directory holding the journal's files; created if absent.
     * @return this.
     */
    public JournalContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * @return the journal directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @param rollCycle Chronicle roll cycle; fixed when the journal is first created (Chronicle stores it in
     *                  the queue's metadata and uses the stored one afterwards).
     * @return this.
     */
    public JournalContext rollCycle(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
        return this;
    }

    /**
     * @return the roll cycle.
     */
    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /**
     * @param retentionMaxAgeMs cycle files whose cycle ended longer ago than this are deleted.
     * @return this.
     */
    public JournalContext retentionMaxAgeMs(final long retentionMaxAgeMs)
    {
        this.retentionMaxAgeMs = retentionMaxAgeMs;
        return this;
    }

    /**
     * @return retention by age in milliseconds.
     */
    public long retentionMaxAgeMs()
    {
        return retentionMaxAgeMs;
    }

    /**
     * @param retentionMaxBytes oldest cycle files are deleted while all together are larger than this.
     * @return this.
     */
    public JournalContext retentionMaxBytes(final long retentionMaxBytes)
    {
        this.retentionMaxBytes = retentionMaxBytes;
        return this;
    }

    /**
     * @return retention by size in bytes.
     */
    public long retentionMaxBytes()
    {
        return retentionMaxBytes;
    }

    /**
     * @param durability what {@link Journal#endBatch()} guarantees.
     * @return this.
     */
    public JournalContext durability(final JournalDurability durability)
    {
        this.durability = durability;
        return this;
    }

    /**
     * @return the durability mode.
     */
    public JournalDurability durability()
    {
        return durability;
    }

    /**
     * @param blockSize Chronicle's mapping block size, a power of two; the largest entry is a quarter of it.
     * @return this.
     */
    public JournalContext blockSize(final long blockSize)
    {
        this.blockSize = blockSize;
        return this;
    }

    /**
     * @return the block size.
     */
    public long blockSize()
    {
        return blockSize;
    }

    /**
     * @param truncateOnCorruption whether opening a damaged journal truncates it at the first damage instead
     *                             of refusing.
     * @return this.
     */
    public JournalContext truncateOnCorruption(final boolean truncateOnCorruption)
    {
        this.truncateOnCorruption = truncateOnCorruption;
        return this;
    }

    /**
     * @return whether opening a damaged journal truncates it.
     */
    public boolean truncateOnCorruption()
    {
        return truncateOnCorruption;
    }

    /**
     * @param chronicleTimeoutMs how long Chronicle waits on a lock or incomplete header of a dead writer.
     * @return this.
     */
    public JournalContext chronicleTimeoutMs(final long chronicleTimeoutMs)
    {
        this.chronicleTimeoutMs = chronicleTimeoutMs;
        return this;
    }

    /**
     * @return Chronicle's timeout in milliseconds.
     */
    public long chronicleTimeoutMs()
    {
        return chronicleTimeoutMs;
    }

    /**
     * @param epochClock wall clock deciding the current cycle and the age of cycles; tests plug in their own.
     * @return this.
     */
    public JournalContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    /**
     * @return the wall clock.
     */
    public EpochClock epochClock()
    {
        return epochClock;
    }

    /**
     * @return the largest entry, envelope included, that this block size allows.
     */
    public int maxEntryLength()
    {
        return (int)Math.min(1 << 30, blockSize / 4) - 64;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "JournalContext{" +
            "directory=" + directory +
            ", rollCycle=" + rollCycle +
            ", retentionMaxAgeMs=" + retentionMaxAgeMs +
            ", retentionMaxBytes=" + retentionMaxBytes +
            ", durability=" + durability +
            ", blockSize=" + blockSize +
            ", truncateOnCorruption=" + truncateOnCorruption +
            ", chronicleTimeoutMs=" + chronicleTimeoutMs +
            '}';
    }
}
