package org.omnibus.persistence;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;

/**
 * The scan a {@link Journal} runs when it opens: it reads every entry once, checks each one (length, type,
 * CRC) and the sequence (each message carries the sequence after the previous one's, unless a marker says
 * otherwise), rebuilds the {@link SequenceRuns} and finds the journal's last sequence and journal time.
 * <p>
 * A damaged entry or a gap is a problem until a later marker supersedes it (a truncation written by an
 * earlier open resolves it). The first problem left unresolved is reported with the state just before it, so
 * that the journal can truncate there. Damage Chronicle itself cannot read past (an unreadable header, a file
 * that stops before its end) is reported separately: no marker can make readers skip it.
 */
final class JournalRecovery
{
    /**
     * An unresolved problem: an entry that must not be served, and everything after it.
     */
    static final class Problem
    {
        final long index;
        final String file;
        final long position;
        final String reason;
        final long nextSeqBefore;
        final long journalTimeBefore;

        Problem(
            final long index,
            final String file,
            final long position,
            final String reason,
            final long nextSeqBefore,
            final long journalTimeBefore)
        {
            this.index = index;
            this.file = file;
            this.position = position;
            this.reason = reason;
            this.nextSeqBefore = nextSeqBefore;
            this.journalTimeBefore = journalTimeBefore;
        }
    }

    final SequenceRuns runs = new SequenceRuns();
    long nextSeq = Journal.NULL_SEQUENCE;
    long journalTimeNs = Long.MIN_VALUE;
    long documents;
    long markers;
    long lastDocIndex = -1;
    Problem firstProblem;
    Problem chronicleProblem;

    private final SingleChronicleQueue queue;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final EntryChecksum checksum = new EntryChecksum();
    private String lastFile;
    private long lastPosition = -1;

    JournalRecovery(final SingleChronicleQueue queue)
    {
        this.queue = queue;
    }

    /**
     * Read the whole journal.
     *
     * @return this.
     */
    JournalRecovery scan()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
            if (scanMore(tailer) < 0)
            {
                return this;
            }
        }
        catch (final RuntimeException ex)
        {
            onChronicleFailure(ex);
            return this;
        }
        checkEnd();
        return this;
    }

    /**
     * Read the documents a tailer has not read yet, continuing the state of earlier calls: a read-only
     * {@link JournalReader} keeps its tailer and calls this again to take in what a live writer appended since.
     *
     * @param tailer positioned after the last document read (at the start the first time).
     * @return documents read, or -1 if Chronicle could not read on ({@link #chronicleProblem} says where).
     */
    long scanMore(final ExcerptTailer tailer)
    {
        if (null != chronicleProblem)
        {
            return -1;
        }
        long read = 0;
        try
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final File file = tailer.currentFile();
                    lastFile = null == file ? null : file.getPath();
                    onDocument(dc);
                    read++;
                }
            }
        }
        catch (final RuntimeException ex)
        {
            onChronicleFailure(ex);
            return -1;
        }
        return read;
    }

    private void onChronicleFailure(final RuntimeException ex)
    {
        chronicleProblem = new Problem(
            lastDocIndex, lastFile, lastPosition, "Chronicle cannot read past the entry after this one: " + ex,
            nextSeq, journalTimeNs);
    }

    private void onDocument(final DocumentContext dc)
    {
        final long index = dc.index();
        final Bytes<?> bytes = dc.wire().bytes();
        final long position = bytes.readPosition();
        final int length = (int)bytes.readRemaining();
        documents++;
        lastDocIndex = index;
        lastPosition = position - 4;

        final long address = bytes.addressForRead(position, length);
        view.wrap(address, length);
        final int result = JournalEntry.verify(view, address, length, checksum);
        if (JournalEntry.VALID != result)
        {
            problem(index, JournalEntry.describe(result) + " (entry length " + length + ")");
            return;
        }

        if (JournalEntry.TYPE_MARKER == JournalEntry.type(view))
        {
            markers++;
            final long supersedesFrom = JournalEntry.originSeq(view);
            runs.addMarker(index, supersedesFrom);
            if (null != firstProblem && firstProblem.index >= supersedesFrom)
            {
                firstProblem = null;
            }
            nextSeq = JournalEntry.globalSeq(view);
            journalTimeNs = JournalEntry.journalTimeNs(view);
            return;
        }

        final long seq = JournalEntry.globalSeq(view);
        boolean newRun = false;
        if (Journal.NULL_SEQUENCE != nextSeq && seq != nextSeq)
        {
            problem(index, "sequence gap: expected " + nextSeq + ", found " + seq);
            newRun = true;
        }
        runs.add(seq, index, newRun);
        nextSeq = seq + 1;
        journalTimeNs = JournalEntry.journalTimeNs(view);
    }

    private void problem(final long index, final String reason)
    {
        if (null == firstProblem)
        {
            firstProblem = new Problem(index, lastFile, lastPosition, reason, nextSeq, journalTimeNs);
        }
    }

    /**
     * The tailer stopped: check that it stopped at the end of what Chronicle holds, not at damage it cannot
     * read past.
     */
    private void checkEnd()
    {
        final long chronicleLast = queue.lastIndex();
        if (chronicleLast > lastDocIndex && chronicleLast != Long.MIN_VALUE)
        {
            chronicleProblem = new Problem(
                lastDocIndex, lastFile, lastPosition,
                "Chronicle holds entries up to index 0x" + Long.toHexString(chronicleLast) +
                " but reading stops after index 0x" + Long.toHexString(lastDocIndex) +
                " (an unreadable header or a truncated file after this position)",
                nextSeq, journalTimeNs);
            return;
        }
        final int lastCycle = queue.lastCycle();
        if (lastCycle == Integer.MIN_VALUE || lastDocIndex < 0 ||
            queue.rollCycle().toCycle(lastDocIndex) != lastCycle)
        {
            return;
        }
        final SingleChronicleQueueStore store = queue.storeForCycle(lastCycle, queue.epoch(), false, null);
        if (null == store)
        {
            return;
        }
        try
        {
            final long writePosition = store.writePosition();
            if (writePosition > lastPosition)
            {
                chronicleProblem = new Problem(
                    lastDocIndex, store.file().getPath(), lastPosition,
                    "the file's last entry is at position " + writePosition +
                    " but reading stops after this position (an unreadable header)",
                    nextSeq, journalTimeNs);
            }
        }
        finally
        {
            queue.closeStore(store);
        }
    }
}
