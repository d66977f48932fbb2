package org.omnibus.persistence;

import org.agrona.SystemUtil;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The journal's configuration properties and their defaults. Only this class reads system properties; a
 * {@link JournalContext} takes its defaults from here.
 */
public final class JournalConfiguration
{
    /** Directory holding the journal's Chronicle Queue files; no default, the node sets it under its data dir. */
    public static final String DIRECTORY_PROP_NAME = "omnibus.journal.dir";

    /**
     * Name of the journal directory inside a node's data directory: the node writes its journal there and
     * {@code omnibus journal --data-dir DIR} reads it from there ({@link #journalDirectory(Path)}).
     */
    public static final String DATA_DIR_JOURNAL_NAME = "journal";

    /** Name of a Chronicle {@code RollCycles} constant: how often a new cycle file starts. */
    public static final String ROLL_CYCLE_PROP_NAME = "omnibus.journal.roll.cycle";

    /**
     * Default roll cycle: one file per hour. Hourly files let retention free space in small steps, and one
     * hour of the ordered stream at 1 M msg/s of 100-byte entries is about 0.6 GB.
     */
    public static final String ROLL_CYCLE_DEFAULT = "FAST_HOURLY";

    /** Cycle files whose cycle ended longer ago than this are deleted (the current cycle never is). */
    public static final String RETENTION_MAX_AGE_PROP_NAME = "omnibus.journal.retention.max.age.ms";

    /** Default retention by age: seven days. */
    public static final long RETENTION_MAX_AGE_MS_DEFAULT = TimeUnit.DAYS.toMillis(7);

    /**
     * Oldest cycle files are deleted while the journal's files together are larger than this (the current
     * cycle never is). Sizes are file lengths, which Chronicle grows a block at a time. Accepts k, m, g suffixes.
     */
    public static final String RETENTION_MAX_BYTES_PROP_NAME = "omnibus.journal.retention.max.bytes";

    /** Default retention by size: 8 GiB. */
    public static final long RETENTION_MAX_BYTES_DEFAULT = 8L << 30;

    /** {@link JournalDurability} name. */
    public static final String DURABILITY_PROP_NAME = "omnibus.journal.durability";

    /** Default durability: the page cache (survives a process crash, not a machine crash). */
    public static final JournalDurability DURABILITY_DEFAULT = JournalDurability.PAGE_CACHE;

    /**
     * Chronicle's memory-mapping block size. The largest entry (envelope plus frame) is a quarter of it, the
     * size of the overlap Chronicle maps beyond each block. Accepts k, m, g suffixes.
     */
    public static final String BLOCK_SIZE_PROP_NAME = "omnibus.journal.block.size";

    /** Default block size: 128 MiB, so entries up to 32 MiB, dbus-daemon's default maximum message size. */
    public static final long BLOCK_SIZE_DEFAULT = 128L << 20;

    /**
     * Whether opening a journal that has a corrupt entry, a sequence gap or a damaged file before its last
     * entry truncates the journal there (and logs what it dropped) instead of refusing to open.
     */
    public static final String TRUNCATE_ON_CORRUPTION_PROP_NAME = "omnibus.journal.truncate.on.corruption";

    /** Default: refuse to open a damaged journal. */
    public static final boolean TRUNCATE_ON_CORRUPTION_DEFAULT = false;

    /**
     * How long Chronicle waits on a lock or an incomplete entry header before it concludes that its writer died.
     * The journal has a single writer (it holds an exclusive file lock), so waiting longer buys nothing.
     */
    public static final String CHRONICLE_TIMEOUT_PROP_NAME = "omnibus.journal.chronicle.timeout.ms";

    /** Default Chronicle timeout: 2 s (Chronicle's own default is 10 s). */
    public static final long CHRONICLE_TIMEOUT_MS_DEFAULT = 2_000;

    private JournalConfiguration()
    {
    }

    /**
     * @param dataDir a node's data directory.
     * @return the journal directory inside it, {@code dataDir/}{@value #DATA_DIR_JOURNAL_NAME}.
     */
    public static Path journalDirectory(final Path dataDir)
    {
        return dataDir.resolve(DATA_DIR_JOURNAL_NAME);
    }

    /**
     * @return the journal directory from {@link #DIRECTORY_PROP_NAME}, or null.
     */
    public static String directory()
    {
        return System.getProperty(DIRECTORY_PROP_NAME);
    }

    /**
     * @return the roll cycle name from {@link #ROLL_CYCLE_PROP_NAME}.
     */
    public static String rollCycle()
    {
        return System.getProperty(ROLL_CYCLE_PROP_NAME, ROLL_CYCLE_DEFAULT);
    }

    /**
     * @return retention by age in milliseconds from {@link #RETENTION_MAX_AGE_PROP_NAME}.
     */
    public static long retentionMaxAgeMs()
    {
        return Long.getLong(RETENTION_MAX_AGE_PROP_NAME, RETENTION_MAX_AGE_MS_DEFAULT);
    }

    /**
     * @return retention by size in bytes from {@link #RETENTION_MAX_BYTES_PROP_NAME}.
     */
    public static long retentionMaxBytes()
    {
        return SystemUtil.getSizeAsLong(RETENTION_MAX_BYTES_PROP_NAME, RETENTION_MAX_BYTES_DEFAULT);
    }

    /**
     * @return durability from {@link #DURABILITY_PROP_NAME}.
     */
    public static JournalDurability durability()
    {
        final String value = System.getProperty(DURABILITY_PROP_NAME);
        return null == value ? DURABILITY_DEFAULT : JournalDurability.valueOf(value.trim().toUpperCase());
    }

    /**
     * @return block size from {@link #BLOCK_SIZE_PROP_NAME}.
     */
    public static long blockSize()
    {
        return SystemUtil.getSizeAsLong(BLOCK_SIZE_PROP_NAME, BLOCK_SIZE_DEFAULT);
    }

    /**
     * @return whether to truncate at corruption, from {@link #TRUNCATE_ON_CORRUPTION_PROP_NAME}.
     */
    public static boolean truncateOnCorruption()
    {
        final String value = System.getProperty(TRUNCATE_ON_CORRUPTION_PROP_NAME);
        return null == value ? TRUNCATE_ON_CORRUPTION_DEFAULT : Boolean.parseBoolean(value);
    }

    /**
     * @return Chronicle's lock and header timeout from {@link #CHRONICLE_TIMEOUT_PROP_NAME}.
     */
    public static long chronicleTimeoutMs()
    {
        return Long.getLong(CHRONICLE_TIMEOUT_PROP_NAME, CHRONICLE_TIMEOUT_MS_DEFAULT);
    }
}
