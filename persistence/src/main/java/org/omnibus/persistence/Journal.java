package org.omnibus.persistence;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A node's journal of the ordered stream: one Chronicle Queue under a directory, one entry per sequenced
 * message (its envelope and its SBE frame, see {@link JournalEntry}), indexed by global sequence.
 * <p>
 * Messages are appended with dense, increasing global sequences: {@link #append} refuses any other than
 * {@link #nextSequence()}. {@link #truncateFrom} supersedes an unstable tail and {@link #restartAt} records a
 * jump forward; both write a marker entry, since Chronicle cannot delete entries.
 * <p>
 * Threads: one thread (the journal's owner) calls {@link #append}, {@link #endBatch}, {@link #truncateFrom},
 * {@link #restartAt}, {@link #applyRetention} and {@link #close}. The accessors for sequences may be called from
 * any thread. Each {@link JournalTailer} belongs to one thread at a time; close tailers before the journal.
 * <p>
 * Opening a journal takes an exclusive lock on {@code journal.lock} in its directory (one writer), recovers it
 * (see {@link JournalRecoveryReport}) and applies retention.
 */
public final class Journal implements AutoCloseable
{
    /** No sequence: the journal is empty, or any sequence may come next. */
    public static final long NULL_SEQUENCE = -1;
    /** {@link #append} result: the sequence is not {@link #nextSequence()}. Nothing was written. */
    public static final long OUT_OF_SEQUENCE = -2;
    /** {@link #append} result: the frame is longer than {@link #maxFrameLength()}. Nothing was written. */
    public static final long ENTRY_TOO_LARGE = -3;
    /** {@link #append} result: the journal is closed. */
    public static final long CLOSED = -4;

    /** Name of the lock file in the journal directory. */
    public static final String LOCK_FILE_NAME = "journal.lock";

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final String CYCLE_FILE_SUFFIX = SingleChronicleQueue.SUFFIX;
    private static final int SCRATCH_CAPACITY = 64 * 1024;

    private final JournalContext ctx;
    private final Path directory;
    private final RollCycle rollCycle;
    private final EpochClock epochClock;
    private final boolean syncOnBatch;
    private final int maxFrameLength;
    private final FileChannel lockChannel;
    private final UnsafeBuffer window = new UnsafeBuffer(0, 0);
    private final Bytes<?> scratch = Bytes.allocateDirect(SCRATCH_CAPACITY);
    private final UnsafeBuffer probeView = new UnsafeBuffer(0, 0);
    private final EntryChecksum checksum = new EntryChecksum();
    private final SequenceRuns runs;
    private final JournalRecoveryReport recoveryReport;
    private final Int2ObjectHashMap<Long> closedCycleBytes = new Int2ObjectHashMap<>();
    private final JournalIndexSource indexSource = new JournalIndexSource()
    {
        public long lastSequence()
        {
            return lastSequence;
        }

        public IndexSnapshot snapshot()
        {
            return snapshot;
        }

        public Path directory()
        {
            return directory;
        }
    };

    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private ExcerptTailer probe;
    private volatile IndexSnapshot snapshot = IndexSnapshot.EMPTY;
    private volatile long lastSequence = NULL_SEQUENCE;
    private long nextSequence = NULL_SEQUENCE;
    private long journalTimeNs;
    private int lastAppendCycle = Integer.MIN_VALUE;
    private volatile boolean isClosed;

    private Journal(final JournalContext ctx)
    {
        this.ctx = ctx;
        this.directory = ctx.directory();
        this.epochClock = ctx.epochClock();
        this.syncOnBatch = ctx.durability() == JournalDurability.FSYNC_ON_BATCH;
        this.maxFrameLength = ctx.maxEntryLength() - JournalEntry.HEADER_LENGTH;

        FileChannel channel = null;
        try
        {
            Files.createDirectories(directory);
            channel = FileChannel.open(
                directory.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null;
            }
            if (null == lock)
            {
                throw new IllegalStateException("journal " + directory + " is open in another process " +
                    "(or in this one)");
            }
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new UncheckedIOException("cannot lock journal " + directory, ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(channel);
            throw ex;
        }
        this.lockChannel = channel;

        try
        {
            final long startNs = System.nanoTime();
            final List<Path> quarantined = new ArrayList<>();
            JournalRecovery recovery;
            while (true)
            {
                openQueue();
                recovery = new JournalRecovery(queue).scan();
                if (null == recovery.chronicleProblem)
                {
                    break;
                }
                final JournalRecovery.Problem problem = recovery.chronicleProblem;
                if (!ctx.truncateOnCorruption() || !quarantined.isEmpty() || null == problem.file)
                {
                    throw new JournalCorruptionException(problem.file, problem.position, problem.index,
                        problem.reason, ctx.truncateOnCorruption() ? "Move that file and later ones aside" :
                        "Open with truncation on corruption (" +
                        JournalConfiguration.TRUNCATE_ON_CORRUPTION_PROP_NAME +
                        ") to move that file and later ones aside, or repair it by hand");
                }
                closeQueue();
                quarantined.addAll(quarantineFrom(Path.of(problem.file), problem));
            }
            this.rollCycle = queue.rollCycle();
            this.runs = recovery.runs;
            this.nextSequence = recovery.nextSeq;
            this.journalTimeNs = recovery.journalTimeNs;
            this.snapshot = runs.snapshot();
            this.lastSequence = runs.lastSequence();
            if (runs.lastIndex() >= 0)
            {
                lastAppendCycle = rollCycle.toCycle(runs.lastIndex());
            }

            boolean tornTail = false;
            long truncatedAt = -1;
            String truncationReason = null;
            final JournalRecovery.Problem problem = recovery.firstProblem;
            if (null != problem)
            {
                if (problem.index == recovery.lastDocIndex)
                {
                    tornTail = true;
                    LOG.warn("journal {}: last entry is damaged ({}) at {} position {}: a write was cut short; " +
                        "superseding it, appends resume at {}", directory, problem.reason, problem.file,
                        problem.position, problem.nextSeqBefore);
                }
                else if (ctx.truncateOnCorruption())
                {
                    truncatedAt = problem.index;
                    truncationReason = problem.reason;
                    LOG.error("journal {}: damaged at {} position {} ({}); truncating there as configured: " +
                        "entries from index 0x{} on are superseded, appends resume at {}",
                        directory, problem.file, problem.position, problem.reason,
                        Long.toHexString(problem.index), problem.nextSeqBefore);
                }
                else
                {
                    throw new JournalCorruptionException(problem.file, problem.position, problem.index,
                        problem.reason, "The journal refuses to open; open it with truncation on corruption (" +
                        JournalConfiguration.TRUNCATE_ON_CORRUPTION_PROP_NAME + ") to drop this entry and " +
                        "everything after it");
                }
                writeMarker(problem.nextSeqBefore, NULL_SEQUENCE, problem.index, problem.journalTimeBefore);
            }

            applyRetention();
            this.recoveryReport = new JournalRecoveryReport(
                firstSequence(), lastSequence, nextSequence, recovery.documents, recovery.markers, tornTail,
                truncatedAt, truncationReason, List.copyOf(quarantined), System.nanoTime() - startNs);
            LOG.info("journal {} open: {}", directory, recoveryReport);
        }
        catch (final RuntimeException ex)
        {
            closeQueue();
            CloseHelper.quietClose(lockChannel);
            throw ex;
        }
    }

    /**
     * Open (creating if need be) and recover the journal a context describes.
     *
     * @param ctx settings; concluded here.
     * @return the open journal.
     * @throws JournalCorruptionException if the journal is damaged and the context does not allow truncation.
     * @throws IllegalStateException      if another process has the journal open.
     */
    public static Journal open(final JournalContext ctx)
    {
        return new Journal(ctx.conclude());
    }

    /**
     * Append a sequenced message. Allocates nothing.
     *
     * @param globalSeq   its global sequence: must be {@link #nextSequence()} (any, on a fresh journal).
     * @param viewId      view in which it was sequenced.
     * @param originNode  node whose edge accepted it.
     * @param originSeq   per-origin sequence.
     * @param timestampNs when the origin accepted it, ns since the epoch.
     * @param buffer      holding the SBE frame.
     * @param offset      of the frame (its message header) in buffer.
     * @param length      of the frame.
     * @return globalSeq, or {@link #OUT_OF_SEQUENCE}, {@link #ENTRY_TOO_LARGE} or {@link #CLOSED}.
     */
    public long append(
        final long globalSeq,
        final long viewId,
        final int originNode,
        final long originSeq,
        final long timestampNs,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (isClosed)
        {
            return CLOSED;
        }
        if (globalSeq < 0 || (NULL_SEQUENCE != nextSequence && globalSeq != nextSequence))
        {
            return OUT_OF_SEQUENCE;
        }
        if (length > maxFrameLength || length < 0)
        {
            return ENTRY_TOO_LARGE;
        }

        final long journalTime = Math.max(journalTimeNs, timestampNs);
        final int entryLength = JournalEntry.HEADER_LENGTH + length;
        if (entryLength <= SCRATCH_CAPACITY)
        {
            // Encode beside the queue and hand Chronicle the bytes: writeBytes skips the re-reading of the
            // queue's end that writingDocument does for every document (safe with one appender, which the
            // journal's lock guarantees). Costs one copy of a small entry; measured cheaper per append.
            scratch.clear();
            final long address = scratch.addressForWrite(0);
            window.wrap(address, entryLength);
            JournalEntry.encodeMessage(
                window, address, globalSeq, viewId, originNode, originSeq, timestampNs, journalTime,
                buffer, offset, length, checksum);
            scratch.writeSkip(entryLength);
            appender.writeBytes(scratch);
        }
        else
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                final Bytes<?> bytes = dc.wire().bytes();
                final long address = bytes.addressForWrite(bytes.writePosition());
                window.wrap(address, entryLength);
                JournalEntry.encodeMessage(
                    window, address, globalSeq, viewId, originNode, originSeq, timestampNs, journalTime,
                    buffer, offset, length, checksum);
                bytes.writeSkip(entryLength);
            }
        }

        final long index = appender.lastIndexAppended();
        journalTimeNs = journalTime;
        nextSequence = globalSeq + 1;
        if (runs.add(globalSeq, index, false))
        {
            onNewRun(index);
        }
        lastSequence = globalSeq;
        return globalSeq;
    }

    /**
     * End a batch of appends: with {@link JournalDurability#FSYNC_ON_BATCH}, wait until the batch is on the
     * device; with {@link JournalDurability#PAGE_CACHE}, do nothing.
     */
    public void endBatch()
    {
        if (syncOnBatch && !isClosed)
        {
            appender.sync();
        }
    }

    /**
     * Supersede the entries from a sequence on (an unstable tail the primary view never made stable): they stop
     * being served, and the next append must carry {@code fromSeq}. Writes a marker entry (the superseded entries
     * stay on disk until retention deletes their files); does nothing if nothing would change.
     *
     * @param fromSeq first sequence superseded: at most {@link #lastSequence()} + 1, or any if the journal holds
     *                no entries.
     * @param viewId  view asking for it, recorded in the marker.
     * @throws IllegalArgumentException if fromSeq is negative or beyond {@link #lastSequence()} + 1 (see
     *                                  {@link #restartAt}).
     */
    public void truncateFrom(final long fromSeq, final long viewId)
    {
        checkOpen();
        final long last = lastSequence;
        if (fromSeq < 0 || (NULL_SEQUENCE != last && fromSeq > last + 1))
        {
            throw new IllegalArgumentException(
                "cannot truncate from " + fromSeq + ": the journal ends at " + last + " (use restartAt)");
        }
        if (NULL_SEQUENCE == last || fromSeq == last + 1)
        {
            if (fromSeq != nextSequence)
            {
                writeMarker(fromSeq, viewId, Long.MAX_VALUE, journalTimeNs);
            }
            return;
        }
        final long first = runs.firstSequence();
        final long supersedesFrom = fromSeq <= first ? 0 : runs.indexOf(fromSeq);
        final long keptJournalTime = fromSeq <= first ? Long.MIN_VALUE : journalTimeAt(runs.indexOf(fromSeq - 1));
        LOG.info("journal {}: truncating from {} (last was {}) for view {}", directory, fromSeq, last, viewId);
        writeMarker(fromSeq, viewId, supersedesFrom, keptJournalTime);
    }

    /**
     * Record that the journal continues at a later sequence, those between being absent (after a state transfer,
     * when no peer's journal holds them any more). Writes a marker entry; does nothing if nothing would change.
     *
     * @param nextSeq the next sequence to append: greater than {@link #lastSequence()} + 1, or any if the journal
     *                holds no entries.
     * @param viewId  view asking for it, recorded in the marker.
     * @throws IllegalArgumentException if nextSeq is negative or not beyond {@link #lastSequence()} + 1.
     */
    public void restartAt(final long nextSeq, final long viewId)
    {
        checkOpen();
        final long last = lastSequence;
        if (nextSeq < 0 || (NULL_SEQUENCE != last && nextSeq <= last + 1))
        {
            throw new IllegalArgumentException(
                "restartAt(" + nextSeq + ") must skip forward: the journal ends at " + last);
        }
        if (nextSeq != nextSequence)
        {
            LOG.info("journal {}: restarting at {} (last was {}) for view {}", directory, nextSeq, last, viewId);
            writeMarker(nextSeq, viewId, Long.MAX_VALUE, journalTimeNs);
        }
    }

    /**
     * Delete cycle files that retention no longer keeps: those whose cycle ended more than the maximum age ago,
     * then the oldest while all files together use more than the maximum size. The newest cycle file (the one
     * appends go to) is never deleted. Also runs on open and whenever an append starts a new cycle.
     *
     * @return the number of files deleted.
     */
    public int applyRetention()
    {
        checkOpen();
        final List<JournalFile> files = files();
        if (files.size() <= 1)
        {
            return 0;
        }
        long totalBytes = 0;
        for (final JournalFile file : files)
        {
            totalBytes += file.usedBytes();
        }
        final long ageLimitMs = epochClock.time() - ctx.retentionMaxAgeMs();
        int deleted = 0;
        for (int i = 0; i < files.size() - 1; i++)
        {
            final JournalFile file = files.get(i);
            final boolean tooOld = file.endMs() <= ageLimitMs;
            final boolean tooBig = totalBytes > ctx.retentionMaxBytes();
            if (!tooOld && !tooBig)
            {
                break;
            }
            try
            {
                Files.deleteIfExists(file.path());
            }
            catch (final IOException ex)
            {
                LOG.warn("journal {}: cannot delete {}", directory, file.path(), ex);
                break;
            }
            LOG.info("journal {}: retention deleted {} ({} bytes, {})", directory, file.path(),
                file.usedBytes(), tooOld ? "older than the maximum age" : "over the maximum size");
            totalBytes -= file.usedBytes();
            closedCycleBytes.remove(file.cycle());
            deleted++;
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
            runs.dropBefore(rollCycle.toIndex(files.get(deleted).cycle(), 0));
            snapshot = runs.snapshot();
        }
        return deleted;
    }

    /**
     * @return the journal's cycle files, oldest first, with their sizes and times.
     */
    public List<JournalFile> files()
    {
        checkOpen();
        return JournalFile.list(queue, rollCycle, directory, (cycle, closed) ->
        {
            if (!closed)
            {
                return usedBytes(cycle);
            }
            final Long cached = closedCycleBytes.get(cycle);
            final long used = null != cached ? cached : usedBytes(cycle);
            closedCycleBytes.put(cycle, (Long)used);
            return used;
        });
    }

    /**
     * Create a tailer positioned at the journal's start.
     *
     * @return a new tailer, to be used by one thread at a time and closed before the journal.
     */
    public JournalTailer tailer()
    {
        checkOpen();
        return new JournalTailer(indexSource, queue.createTailer());
    }

    /**
     * @return the last sequence held, or {@link #NULL_SEQUENCE} if the journal holds none. Any thread.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return the first sequence held (retention moves it), or {@link #NULL_SEQUENCE}. Any thread.
     */
    public long firstSequence()
    {
        return snapshot.firstSequence();
    }

    /**
     * @param seq a sequence.
     * @return the least sequence at or after seq that the journal holds (retention and holes skipped), or
     * {@link #NULL_SEQUENCE} if none. Any thread.
     */
    public long ceilingSequence(final long seq)
    {
        final long last = lastSequence;
        return snapshot.ceilingSequence(seq, last);
    }

    /**
     * @return the sequence the next append must carry, or {@link #NULL_SEQUENCE} if any will do (a fresh
     * journal). Owner thread.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * @return the journal time of the last entry: the greatest origin timestamp so far, ns, or
     * {@link Long#MIN_VALUE} if there is none. Owner thread.
     */
    public long journalTimeNs()
    {
        return journalTimeNs;
    }

    /**
     * @return the number of messages held (superseded ones not counted). Owner thread.
     */
    public long entryCount()
    {
        return runs.entryCount();
    }

    /**
     * @return the largest frame {@link #append} takes.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * @return what recovery found and did when the journal opened.
     */
    public JournalRecoveryReport recoveryReport()
    {
        return recoveryReport;
    }

    /**
     * @return the journal's directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @return the concluded context the journal was opened with.
     */
    public JournalContext context()
    {
        return ctx;
    }

    /**
     * @return whether {@link #close()} has been called.
     */
    public boolean isClosed()
    {
        return isClosed;
    }

    /**
     * Close the queue and release the directory lock. Idempotent.
     */
    public void close()
    {
        if (isClosed)
        {
            return;
        }
        isClosed = true;
        closeQueue();
        scratch.releaseLast();
        CloseHelper.quietClose(lockChannel);
    }

    IndexSnapshot snapshot()
    {
        return snapshot;
    }

    JournalIndexSource indexSource()
    {
        return indexSource;
    }

    SingleChronicleQueue queue()
    {
        return queue;
    }

    private void openQueue()
    {
        final EpochClock clock = epochClock;
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(ctx.rollCycle())
            .blockSize(ctx.blockSize())
            .timeoutMS(ctx.chronicleTimeoutMs())
            .timeProvider(clock::time);
        if (syncOnBatch)
        {
            builder.syncMode(SyncMode.SYNC);
        }
        queue = builder.build();
        appender = queue.createAppender();
        appender.singleThreadedCheckDisabled(true);
    }

    private void closeQueue()
    {
        CloseHelper.quietCloseAll(probe, appender, queue);
        probe = null;
        appender = null;
        queue = null;
    }

    private void onNewRun(final long index)
    {
        snapshot = runs.snapshot();
        final int cycle = rollCycle.toCycle(index);
        final boolean rolled = Integer.MIN_VALUE != lastAppendCycle && cycle != lastAppendCycle;
        lastAppendCycle = cycle;
        if (rolled)
        {
            applyRetention();
        }
    }

    private void writeMarker(
        final long nextSeq, final long viewId, final long supersedesFrom, final long keptJournalTimeNs)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            final long address = bytes.addressForWrite(bytes.writePosition());
            window.wrap(address, JournalEntry.HEADER_LENGTH);
            JournalEntry.encodeMarker(window, address, nextSeq, viewId, supersedesFrom,
                TimeUnit.MILLISECONDS.toNanos(epochClock.time()), keptJournalTimeNs, checksum);
            bytes.writeSkip(JournalEntry.HEADER_LENGTH);
        }
        runs.addMarker(appender.lastIndexAppended(), supersedesFrom);
        nextSequence = nextSeq;
        journalTimeNs = keptJournalTimeNs;
        snapshot = runs.snapshot();
        lastSequence = runs.lastSequence();
    }

    private long journalTimeAt(final long index)
    {
        if (null == probe)
        {
            probe = queue.createTailer();
        }
        if (index < 0 || !probe.moveToIndex(index))
        {
            throw new IllegalStateException("journal " + directory + ": no entry at index 0x" +
                Long.toHexString(index));
        }
        try (DocumentContext dc = probe.readingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            final int length = (int)bytes.readRemaining();
            final long address = bytes.addressForRead(bytes.readPosition(), length);
            probeView.wrap(address, length);
            final int result = JournalEntry.verify(probeView, address, length, checksum);
            if (JournalEntry.VALID != result)
            {
                throw new JournalCorruptionException(String.valueOf(probe.currentFile()), bytes.readPosition() - 4,
                    index, JournalEntry.describe(result), null);
            }
            return JournalEntry.journalTimeNs(probeView);
        }
    }

    private long usedBytes(final int cycle)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (null == store)
        {
            return 0;
        }
        try
        {
            return store.writePosition();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private List<Path> quarantineFrom(final Path damagedFile, final JournalRecovery.Problem problem)
    {
        final Path target = directory.resolve("quarantine-" + epochClock.time());
        final String firstName = damagedFile.getFileName().toString();
        final List<Path> moved = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory))
        {
            final List<Path> victims = list
                .filter((p) -> p.getFileName().toString().endsWith(CYCLE_FILE_SUFFIX))
                .filter((p) -> p.getFileName().toString().compareTo(firstName) >= 0)
                .sorted()
                .toList();
            Files.createDirectories(target);
            for (final Path victim : victims)
            {
                final Path dest = target.resolve(victim.getFileName());
                Files.move(victim, dest, StandardCopyOption.ATOMIC_MOVE);
                moved.add(dest);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot move damaged journal files aside", ex);
        }
        LOG.error("journal {}: Chronicle cannot read {} past position {} ({}); moved it and every later cycle " +
            "file to {}: {}", directory, damagedFile, problem.position, problem.reason, target, moved);
        return moved;
    }

    private void checkOpen()
    {
        if (isClosed)
        {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
    }
}
