package org.omnibus.node;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalContext;
import org.omnibus.persistence.JournalCorruptionException;
import org.omnibus.persistence.JournalDurability;
import org.omnibus.persistence.JournalEntry;
import org.omnibus.persistence.JournalRecoveryReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The node's side of its journal: the journal options of the command line ({@code --journal-*}) parsed into a
 * {@link JournalContext}, and the opening of the journal at start, which refuses a damaged journal with the file
 * and position unless the node was told to truncate.
 */
final class NodeJournal
{
    /** Option that lets a node start on a damaged journal by truncating it at the damage. */
    static final String TRUNCATE_OPTION = "--journal-truncate-on-corruption";

    /** How often the node applies retention (besides at every cycle roll, which the journal does itself). */
    static final long RETENTION_INTERVAL_MS = TimeUnit.MINUTES.toMillis(1);

    private static final Logger LOG = LoggerFactory.getLogger(NodeJournal.class);
    private static final int CHRONICLE_NOT_COMPLETE = 0x80000000;
    private static final int CHRONICLE_META_DATA = 0x40000000;
    private static final int CHRONICLE_LENGTH_MASK = 0x3FFFFFFF;
    private static final Pattern AGE = Pattern.compile("(?:([0-9]+)(ms|s|m|h|d|w))+");
    private static final Pattern AGE_PART = Pattern.compile("([0-9]+)(ms|s|m|h|d|w)");
    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([kmgt]i?b?|b)?");

    private NodeJournal()
    {
    }

    /**
     * Open the journal of a node, logging what recovery found.
     *
     * @param journalContext the journal's settings, its directory set.
     * @return the open journal.
     * @throws JournalCorruptionException naming the file and position when the journal is damaged and truncation
     *                                    is off; the message says which option allows truncation.
     */
    static Journal open(final JournalContext journalContext)
    {
        final Journal journal;
        try
        {
            journal = Journal.open(journalContext);
        }
        catch (final JournalCorruptionException ex)
        {
            final JournalCorruptionException refusal = new JournalCorruptionException(
                ex.file(), ex.position(), ex.chronicleIndex(), ex.reason(),
                "The node refuses to start on a damaged journal: start it with " + TRUNCATE_OPTION +
                " to drop that entry and everything after it (the node then starts from the last whole entry " +
                "before it; files Chronicle cannot read to their end are moved aside), or repair or move the journal");
            LOG.error("{}", refusal.getMessage());
            throw refusal;
        }
        final JournalRecoveryReport report = journal.recoveryReport();
        if (!report.quarantinedFiles().isEmpty())
        {
            salvage(journal, report.quarantinedFiles().get(0));
        }
        if (report.truncatedAtIndex() >= 0 || !report.quarantinedFiles().isEmpty())
        {
            LOG.error("journal {} was damaged ({}): truncated as {} allows; dropped {}; kept sequences {}..{}, " +
                "appends resume at {}", journal.directory(),
                report.truncationReason() != null ? report.truncationReason() : "a file Chronicle cannot read",
                TRUNCATE_OPTION, report.quarantinedFiles().isEmpty() ?
                "the entries from Chronicle index 0x" + Long.toHexString(report.truncatedAtIndex()) + " on" :
                "what follows the whole entries copied back from the files moved aside " + report.quarantinedFiles(),
                journal.firstSequence(), journal.lastSequence(), journal.nextSequence());
        }
        else if (report.tornTailDiscarded())
        {
            LOG.warn("journal {}: the last entry was cut short by a crash and is ignored; kept sequences {}..{}, " +
                "appends resume at {}", journal.directory(), report.firstSequence(), report.lastSequence(),
                report.nextSequence());
        }
        LOG.info("journal {}: {} entries read in {} ms, sequences {}..{}, retention {} / {} bytes, durability {}",
            journal.directory(), report.documents(), TimeUnit.NANOSECONDS.toMillis(report.scanNs()),
            report.firstSequence(), report.lastSequence(), formatAge(journal.context().retentionMaxAgeMs()),
            journal.context().retentionMaxBytes(), journal.context().durability());
        return journal;
    }

    /**
     * Copy back the whole entries that precede the damage in a cycle file the journal moved aside because Chronicle
     * could not read it to its end (cut short, an unreadable header): the journal then ends at the last whole entry
     * before the damage, as it does after a corrupt entry. The file is read as it lies on disk, without mapping it
     * (it may end anywhere): Chronicle documents one after another from the start of the file, each a 4-byte
     * little-endian header (bit 31 incomplete, bit 30 metadata, 30 bits of length) 4-byte aligned; metadata
     * (Chronicle's own header, index and padding) is skipped. Stops at the first incomplete, cut or invalid
     * document, at a truncation marker, or at a sequence that does not follow the journal's last. The file stays
     * where the journal moved it.
     *
     * @return the number of entries copied back.
     */
    static int salvage(final Journal journal, final Path file)
    {
        long firstCopied = Journal.NULL_SEQUENCE;
        int count = 0;
        String stop = "the end of what was written";
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            final CRC32C crc = new CRC32C();
            long position = 0;
            while (position + 4 <= size)
            {
                header.clear();
                readFully(channel, header, position);
                final int word = header.getInt(0);
                final int length = word & CHRONICLE_LENGTH_MASK;
                if (word == 0)
                {
                    break;
                }
                if ((word & CHRONICLE_NOT_COMPLETE) != 0)
                {
                    stop = "an incomplete document at position " + position;
                    break;
                }
                if (position + 4 + length > size)
                {
                    stop = "a document cut short at position " + position;
                    break;
                }
                if ((word & CHRONICLE_META_DATA) == 0)
                {
                    final ByteBuffer bytes = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(channel, bytes, position + 4);
                    final UnsafeBuffer entry = new UnsafeBuffer(bytes);
                    final String problem = check(entry, length, crc);
                    if (problem != null)
                    {
                        stop = problem + " at position " + position;
                        break;
                    }
                    if (entry.getByte(JournalEntry.TYPE_OFFSET) != JournalEntry.TYPE_MESSAGE)
                    {
                        stop = "a truncation marker at position " + position;
                        break;
                    }
                    final long seq = JournalEntry.globalSeq(entry);
                    if (journal.nextSequence() != Journal.NULL_SEQUENCE && seq != journal.nextSequence())
                    {
                        stop = "sequence " + seq + " where " + journal.nextSequence() + " was due, at position " +
                            position;
                        break;
                    }
                    final long result = journal.append(seq, JournalEntry.viewId(entry),
                        JournalEntry.originNode(entry), JournalEntry.originSeq(entry), JournalEntry.timestampNs(entry),
                        entry, JournalEntry.HEADER_LENGTH, length - JournalEntry.HEADER_LENGTH);
                    if (result < 0)
                    {
                        stop = "the journal refusing sequence " + seq + " (code " + result + ")";
                        break;
                    }
                    if (count++ == 0)
                    {
                        firstCopied = seq;
                    }
                }
                position = (position + 4 + length + 3) & ~3L;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            stop = "an error: " + ex;
        }
        journal.endBatch();
        if (count > 0)
        {
            LOG.warn("journal {}: copied back {} whole entries (sequences {}..{}) from {}, which was moved aside; " +
                "stopped at {}; appends resume at {}", journal.directory(), count, firstCopied,
                journal.lastSequence(), file, stop, journal.nextSequence());
        }
        else
        {
            LOG.warn("journal {}: no whole entry to copy back from {} (stopped at {})",
                journal.directory(), file, stop);
        }
        return count;
    }

    private static String check(final UnsafeBuffer entry, final int length, final CRC32C crc)
    {
        if (length < JournalEntry.HEADER_LENGTH)
        {
            return "an entry too short";
        }
        final int type = entry.getByte(JournalEntry.TYPE_OFFSET);
        if ((type != JournalEntry.TYPE_MESSAGE && type != JournalEntry.TYPE_MARKER) ||
            entry.getByte(JournalEntry.VERSION_OFFSET) != JournalEntry.FORMAT_VERSION)
        {
            return "an unknown entry type or version";
        }
        if (JournalEntry.frameLength(entry) != length - JournalEntry.HEADER_LENGTH)
        {
            return "an entry whose frame length disagrees with its length";
        }
        final byte[] bytes = new byte[length - 4];
        entry.getBytes(4, bytes);
        crc.reset();
        crc.update(bytes, 0, bytes.length);
        return (int)crc.getValue() == entry.getInt(JournalEntry.CRC_OFFSET, ByteOrder.LITTLE_ENDIAN) ? null :
            "a CRC-32C mismatch";
    }

    private static void readFully(final FileChannel channel, final ByteBuffer buffer, final long position)
        throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            final int read = channel.read(buffer, at);
            if (read < 0)
            {
                throw new IOException("end of file at " + at);
            }
            at += read;
        }
    }

    /**
     * Parse an age such as {@code 7d}, {@code 12h}, {@code 1h30m}, {@code 90s} or {@code 500ms}
     * (units ms, s, m, h, d, w).
     *
     * @param option the option's name, for the message.
     * @param text   the value.
     * @return the age in milliseconds, positive.
     * @throws IllegalArgumentException naming the option when the value is not an age.
     */
    static long parseAgeMs(final String option, final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        if (!AGE.matcher(value).matches())
        {
            throw new IllegalArgumentException(option + " takes an age such as 7d, 12h, 1h30m, 90s or 500ms " +
                "(units ms, s, m, h, d, w): " + text);
        }
        long ms = 0;
        final Matcher part = AGE_PART.matcher(value);
        while (part.find())
        {
            final long amount = Long.parseLong(part.group(1));
            final long unitMs = switch (part.group(2))
            {
                case "ms" -> 1;
                case "s" -> TimeUnit.SECONDS.toMillis(1);
                case "m" -> TimeUnit.MINUTES.toMillis(1);
                case "h" -> TimeUnit.HOURS.toMillis(1);
                case "d" -> TimeUnit.DAYS.toMillis(1);
                default -> TimeUnit.DAYS.toMillis(7);
            };
            ms = Math.addExact(ms, Math.multiplyExact(amount, unitMs));
        }
        if (ms <= 0)
        {
            throw new IllegalArgumentException(option + " must be positive: " + text);
        }
        return ms;
    }

    /**
     * Parse a size such as {@code 10GiB}, {@code 512MiB}, {@code 8g} or {@code 1048576} (binary units: k, m, g, t
     * with or without {@code iB}).
     *
     * @param option the option's name, for the message.
     * @param text   the value.
     * @return the size in bytes, positive.
     * @throws IllegalArgumentException naming the option when the value is not a size.
     */
    static long parseSizeBytes(final String option, final String text)
    {
        final Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        final String unit = matcher.matches() ? matcher.group(2) : null;
        if (!matcher.matches() || (unit != null && unit.length() == 2 && unit.charAt(1) == 'b'))
        {
            throw new IllegalArgumentException(option + " takes a size in bytes with a binary unit, such as 10GiB, " +
                "512MiB, 64KiB, 8g or 1048576: " + text);
        }
        final int shift = unit == null ? 0 : switch (unit.charAt(0))
        {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        final long amount = Long.parseLong(matcher.group(1));
        if (amount <= 0)
        {
            throw new IllegalArgumentException(option + " must be positive: " + text);
        }
        if (Long.numberOfLeadingZeros(amount) <= shift)
        {
            throw new IllegalArgumentException(option + " is too large: " + text);
        }
        return amount << shift;
    }

    /**
     * @param option the option's name, for the message.
     * @param text   {@code page-cache} or {@code fsync-batch}.
     * @return the durability.
     * @throws IllegalArgumentException naming the option otherwise.
     */
    static JournalDurability parseDurability(final String option, final String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "page-cache" -> JournalDurability.PAGE_CACHE;
            case "fsync-batch" -> JournalDurability.FSYNC_ON_BATCH;
            default -> throw new IllegalArgumentException(option + " must be page-cache or fsync-batch: " + text);
        };
    }

    static String formatAge(final long ms)
    {
        final long day = TimeUnit.DAYS.toMillis(1);
        final long hour = TimeUnit.HOURS.toMillis(1);
        final long minute = TimeUnit.MINUTES.toMillis(1);
        if (ms % day == 0)
        {
            return ms / day + "d";
        }
        if (ms % hour == 0)
        {
            return ms / hour + "h";
        }
        if (ms % minute == 0)
        {
            return ms / minute + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * Applies the journal's retention once per {@link #RETENTION_INTERVAL_MS} of the journal's clock, on the
     * node's agent thread (the journal's owner): a quiet node that rolls no cycle still deletes what has aged
     * out. One clock read per duty cycle; nothing per message.
     */
    static final class Retention implements Agent
    {
        private final Journal journal;
        private final EpochClock clock;
        private final long intervalMs;
        private long lastRunMs;

        Retention(final Journal journal, final long intervalMs)
        {
            this.journal = journal;
            this.clock = journal.context().epochClock();
            this.intervalMs = intervalMs;
            this.lastRunMs = clock.time();
        }

        @Override
        public int doWork()
        {
            final long nowMs = clock.time();
            if (nowMs - lastRunMs < intervalMs)
            {
                return 0;
            }
            lastRunMs = nowMs;
            try
            {
                return journal.applyRetention();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("journal {}: retention failed", journal.directory(), ex);
                return 0;
            }
        }

        @Override
        public String roleName()
        {
            return "omnibus-journal-retention";
        }
    }
}
