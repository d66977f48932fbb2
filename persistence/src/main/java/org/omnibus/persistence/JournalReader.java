package org.omnibus.persistence;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import org.agrona.CloseHelper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A read-only view of a journal, for tools that read it beside the node that writes it ({@code omnibus journal}).
 * <p>
 * It takes no lock (the writer keeps its exclusive lock on {@link Journal#LOCK_FILE_NAME}), maps the files
 * read-only and never changes anything: no recovery, no truncation, no quarantine, no retention. Opening scans the
 * journal once as the writer's recovery does (every entry's CRC, markers, sequence gaps) to build the sequence
 * index; {@link #refresh()} takes in what the writer appended since. Damage the scan finds is reported by
 * {@link #damage()} instead of being repaired, and the tailers verify every entry they serve, throwing
 * {@link JournalCorruptionException} (file, position) instead of serving a corrupt one.
 * <p>
 * Threads: {@link #refresh()}, {@link #files()} and {@link #close()} from one thread; each tailer from one thread
 * at a time; the sequence accessors from any. Close tailers before the reader.
 */
public final class JournalReader implements AutoCloseable
{
    /** Chronicle's queue metadata file, present in every journal directory. */
    public static final String METADATA_FILE_NAME = "metadata.cq4t";

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer scanTailer;
    private final JournalRecovery scan;
    private final RollCycle rollCycle;
    private volatile IndexSnapshot snapshot = IndexSnapshot.EMPTY;
    private volatile long lastSequence = Journal.NULL_SEQUENCE;
    private boolean isClosed;

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

    private JournalReader(final JournalContext ctx)
    {
        this.directory = ctx.directory();
        SingleChronicleQueue queue = null;
        ExcerptTailer tailer = null;
        try
        {
            queue = SingleChronicleQueueBuilder.binary(directory)
                .readOnly(true)
                .rollCycle(ctx.rollCycle())
                .blockSize(ctx.blockSize())
                .timeoutMS(ctx.chronicleTimeoutMs())
                .build();
            tailer = queue.createTailer();
            tailer.singleThreadedCheckDisabled(true);
            tailer.toStart();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(tailer, queue);
            throw ex;
        }
        this.queue = queue;
        this.scanTailer = tailer;
        this.scan = new JournalRecovery(queue);
        this.rollCycle = queue.rollCycle();
        refresh();
    }

    /**
     * Open a journal directory read-only with the default settings ({@link JournalConfiguration}).
     *
     * @param directory the journal directory (the node's is {@link JournalConfiguration#journalDirectory}).
     * @return the reader, having scanned the journal.
     * @throws IllegalArgumentException if there is no such directory or it holds no journal.
     */
    public static JournalReader open(final Path directory)
    {
        return open(new JournalContext().directory(directory));
    }

    /**
     * Open a journal read-only. Of the context only the directory, the block size (a reader must map at least
     * the writer's, so that every entry is contiguous) and Chronicle's timeout matter; the roll cycle is read
     * from the journal.
     *
     * @param ctx settings; concluded here.
     * @return the reader, having scanned the journal.
     * @throws IllegalArgumentException if there is no such directory or it holds no journal.
     */
    public static JournalReader open(final JournalContext ctx)
    {
        ctx.conclude();
        final Path directory = ctx.directory();
        if (!Files.isDirectory(directory))
        {
            throw new IllegalArgumentException("no journal at " + directory + ": no such directory");
        }
        if (!Files.isRegularFile(directory.resolve(METADATA_FILE_NAME)))
        {
            throw new IllegalArgumentException(directory + " is not a journal: it has no " + METADATA_FILE_NAME);
        }
        return new JournalReader(ctx);
    }

    /**
     * Take in the entries appended since the last scan (a node may be writing). Stops for good at damage
     * Chronicle cannot read past ({@link #damage()}).
     *
     * @return the number of entries (messages and markers) read.
     */
    public long refresh()
    {
        checkOpen();
        final long read = scan.scanMore(scanTailer);
        if (read != 0)
        {
            final IndexSnapshot next = scan.runs.snapshot();
            final long last = scan.runs.lastSequence();
            snapshot = next;
            lastSequence = last;
        }
        return Math.max(0, read);
    }

    /**
     * Create a tailer positioned at the journal's start. It verifies every entry it serves and follows what the
     * writer appends, beyond the last {@link #refresh()} too.
     *
     * @return a new tailer, to be used by one thread at a time and closed before the reader.
     */
    public JournalTailer tailer()
    {
        checkOpen();
        return new JournalTailer(indexSource, queue.createTailer());
    }

    /**
     * @return the first sequence held, or {@link Journal#NULL_SEQUENCE}.
     */
    public long firstSequence()
    {
        return snapshot.firstSequence();
    }

    /**
     * @return the last sequence held as of the last scan, or {@link Journal#NULL_SEQUENCE}.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @param seq a sequence.
     * @return the least sequence held that is at least seq, or {@link Journal#NULL_SEQUENCE} if none.
     */
    public long ceilingSequence(final long seq)
    {
        final long last = lastSequence;
        return snapshot.ceilingSequence(seq, last);
    }

    /**
     * @param fromSeq first sequence, inclusive.
     * @param toSeq   last sequence, inclusive.
     * @return how many messages the journal holds with sequences in [fromSeq, toSeq] (sequences may have holes
     * where a node skipped forward).
     */
    public long countBetween(final long fromSeq, final long toSeq)
    {
        final long last = lastSequence;
        final IndexSnapshot s = snapshot;
        long count = 0;
        for (int run = 0; run < s.runs; run++)
        {
            final long start = s.runStartSeq[run];
            final long end = run == s.runs - 1 ? last : start + s.runCount[run] - 1;
            final long lo = Math.max(start, fromSeq);
            final long hi = Math.min(end, toSeq);
            if (lo <= hi)
            {
                count += hi - lo + 1;
            }
        }
        return count;
    }

    /**
     * @param count a number of messages.
     * @return the sequence of the first of the last {@code count} messages held, the first sequence if the journal
     * holds fewer, or {@link Journal#lastSequence()} + 1 if count is 0 ({@link Journal#NULL_SEQUENCE} if empty).
     */
    public long startOfLast(final long count)
    {
        final long last = lastSequence;
        final IndexSnapshot s = snapshot;
        if (Journal.NULL_SEQUENCE == last || s.runs == 0)
        {
            return Journal.NULL_SEQUENCE;
        }
        long remaining = count;
        for (int run = s.runs - 1; run >= 0; run--)
        {
            final long end = run == s.runs - 1 ? last + 1 : s.runStartSeq[run] + s.runCount[run];
            final long length = end - s.runStartSeq[run];
            if (remaining <= length)
            {
                return end - remaining;
            }
            remaining -= length;
        }
        return s.firstSequence();
    }

    /**
     * @return the number of messages held as of the last scan (superseded ones not counted).
     */
    public long entryCount()
    {
        return countBetween(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * @return Chronicle documents scanned: messages, superseded messages and markers.
     */
    public long documentCount()
    {
        return scan.documents;
    }

    /**
     * @return truncation markers scanned.
     */
    public long markerCount()
    {
        return scan.markers;
    }

    /**
     * @return the journal time of the last entry scanned (the greatest origin timestamp so far), ns, or
     * {@link Long#MIN_VALUE} if none.
     */
    public long journalTimeNs()
    {
        return scan.journalTimeNs;
    }

    /**
     * The first damage the scan found that no later marker supersedes: a corrupt entry, a gap in the sequence, or
     * a place Chronicle cannot read past. The writer would refuse to open such a journal (or supersede a damaged
     * last entry); the reader repairs nothing, and its tailers refuse to serve a corrupt entry.
     *
     * @return the damage, naming the file and position, or null if the journal is whole as far as scanned.
     */
    public JournalCorruptionException damage()
    {
        final JournalRecovery.Problem chronicle = scan.chronicleProblem;
        if (null != chronicle)
        {
            return new JournalCorruptionException(chronicle.file, chronicle.position, chronicle.index,
                chronicle.reason, "Nothing after it is read");
        }
        final JournalRecovery.Problem problem = scan.firstProblem;
        if (null != problem)
        {
            final String hint = problem.index == scan.lastDocIndex ?
                "It is the last entry (a write cut short?): the node supersedes it when it next opens the journal" :
                "Not served; the node refuses to open the journal unless told to truncate it";
            return new JournalCorruptionException(problem.file, problem.position, problem.index, problem.reason, hint);
        }
        return null;
    }

    /**
     * @return the journal's cycle files, oldest first, with their sizes and times.
     */
    public List<JournalFile> files()
    {
        checkOpen();
        return JournalFile.list(queue, rollCycle, directory, (cycle, closed) ->
        {
            final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
            if (null == store)
            {
                return -1;
            }
            try
            {
                return store.writePosition();
            }
            finally
            {
                queue.closeStore(store);
            }
        });
    }

    /**
     * @return the journal's directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Close the queue. Idempotent.
     */
    public void close()
    {
        if (!isClosed)
        {
            isClosed = true;
            CloseHelper.quietCloseAll(scanTailer, queue);
        }
    }

    JournalIndexSource indexSource()
    {
        return indexSource;
    }

    private void checkOpen()
    {
        if (isClosed)
        {
            throw new IllegalStateException("journal reader for " + directory + " is closed");
        }
    }
}
