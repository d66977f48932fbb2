package org.omnibus.persistence;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a {@link Journal} in sequence order from a position (a sequence, a time, the start or the end) and
 * follows live appends. Skips superseded entries, verifies every entry it serves, and allocates nothing per
 * entry: {@link #poll} hands each message to a {@link JournalHandler} as a view over the mapped file.
 * <p>
 * One thread at a time; close it before its journal.
 */
public final class JournalTailer implements AutoCloseable
{
    private final JournalIndexSource journal;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final EntryChecksum checksum = new EntryChecksum();
    private IndexSnapshot snapshot;
    private int markerCursor;
    private boolean isCursorValid;
    private long lastDeliveredSequence = Journal.NULL_SEQUENCE;
    private long lastDeliveredIndex = -1;
    private boolean isClosed;

    JournalTailer(final JournalIndexSource journal, final ExcerptTailer tailer)
    {
        this.journal = journal;
        this.tailer = tailer;
        tailer.singleThreadedCheckDisabled(true);
        tailer.toStart();
        this.snapshot = journal.snapshot();
    }

    /**
     * Position so that the next message delivered is the one carrying {@code seq}.
     *
     * @param seq a sequence the journal holds, or {@link Journal#lastSequence()} + 1 to wait for the next.
     * @return false, and the position unchanged, if the journal does not hold seq (retention deleted it, it was
     * never appended, or it is further in the future).
     */
    public boolean seekToSequence(final long seq)
    {
        final long last = journal.lastSequence();
        final IndexSnapshot current = journal.snapshot();
        snapshot = current;
        if (Journal.NULL_SEQUENCE != last && seq == last + 1)
        {
            tailer.toEnd();
            onSeek();
            return true;
        }
        final long index = current.indexOf(seq, last);
        if (index < 0 || !tailer.moveToIndex(index))
        {
            return false;
        }
        onSeek();
        return true;
    }

    /**
     * Position at the first message whose journal time (the greatest origin timestamp up to and including that
     * message) is at least {@code timestampNs}. Every message whose origin timestamp is at least timestampNs is
     * at or after that position; a message from an origin with a lagging clock may follow it with an earlier
     * timestamp. Binary search: O(log n) entry reads.
     *
     * @param timestampNs ns since the epoch.
     * @return the sequence of the message the tailer is now positioned at, {@link Journal#lastSequence()} + 1
     * if every message is older (the tailer waits at the end), or {@link Journal#NULL_SEQUENCE} if the journal
     * is empty.
     */
    public long seekToTime(final long timestampNs)
    {
        final long last = journal.lastSequence();
        final IndexSnapshot current = journal.snapshot();
        snapshot = current;
        final long first = current.firstSequence();
        if (Journal.NULL_SEQUENCE == last || Journal.NULL_SEQUENCE == first)
        {
            tailer.toEnd();
            onSeek();
            return Journal.NULL_SEQUENCE;
        }
        long lo = first;
        long hi = last + 1;
        while (lo < hi)
        {
            final long mid = lo + ((hi - lo) >>> 1);
            final long held = current.ceilingSequence(mid, last);
            if (Journal.NULL_SEQUENCE == held || held >= hi)
            {
                hi = mid;
            }
            else if (journalTimeAt(current.indexOf(held, last)) >= timestampNs)
            {
                hi = mid;
            }
            else
            {
                lo = held + 1;
            }
        }
        final long target = lo > last ? last + 1 : current.ceilingSequence(lo, last);
        if (!seekToSequence(target))
        {
            tailer.toEnd();
            onSeek();
            return last + 1;
        }
        return target;
    }

    /**
     * Position at the first entry the journal holds.
     */
    public void seekToStart()
    {
        tailer.toStart();
        onSeek();
    }

    /**
     * Position after the last entry: only messages appended from now on are delivered.
     */
    public void seekToEnd()
    {
        tailer.toEnd();
        onSeek();
    }

    /**
     * Read up to {@code limit} entries from the current position and deliver the messages among them
     * (superseded entries and markers are read but not delivered). If the handler throws, the entry is not
     * consumed: the next poll delivers it again.
     *
     * @param handler receives messages and truncations.
     * @param limit   most entries to read.
     * @return entries read (the work done, for an idle strategy); 0 when there is nothing new.
     * @throws JournalCorruptionException on an entry that fails its checks: it is never delivered.
     */
    public int poll(final JournalHandler handler, final int limit)
    {
        final IndexSnapshot current = journal.snapshot();
        if (current != snapshot)
        {
            snapshot = current;
            isCursorValid = false;
        }
        int read = 0;
        while (read < limit)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                read++;
                onDocument(dc, handler);
            }
        }
        return read;
    }

    /**
     * @return the sequence of the last message delivered, or {@link Journal#NULL_SEQUENCE}.
     */
    public long lastDeliveredSequence()
    {
        return lastDeliveredSequence;
    }

    /**
     * Close the underlying Chronicle tailer. Idempotent.
     */
    public void close()
    {
        if (!isClosed)
        {
            isClosed = true;
            tailer.close();
        }
    }

    private void onDocument(final DocumentContext dc, final JournalHandler handler)
    {
        final long index = dc.index();
        final IndexSnapshot snapshot = this.snapshot;
        int cursor = markerCursor;
        if (!isCursorValid)
        {
            cursor = snapshot.markerAfter(index - 1);
            isCursorValid = true;
        }
        while (cursor < snapshot.markers && snapshot.markerIndex[cursor] < index)
        {
            cursor++;
        }
        markerCursor = cursor;
        final boolean isKnownMarker = cursor < snapshot.markers && snapshot.markerIndex[cursor] == index;
        if (!isKnownMarker && cursor < snapshot.markers && snapshot.suffixMinFrom[cursor] <= index)
        {
            return;
        }

        final Bytes<?> bytes = dc.wire().bytes();
        final long position = bytes.readPosition();
        final int length = (int)bytes.readRemaining();
        final long address = bytes.addressForRead(position, length);
        view.wrap(address, length);
        final int result = JournalEntry.verify(view, address, length, checksum);
        if (JournalEntry.VALID != result)
        {
            dc.rollbackOnClose();
            throw new JournalCorruptionException(String.valueOf(tailer.currentFile()), position - 4, index,
                JournalEntry.describe(result), "Not served");
        }

        if (JournalEntry.TYPE_MARKER == JournalEntry.type(view))
        {
            final long supersedesFrom = JournalEntry.originSeq(view);
            if (lastDeliveredIndex >= supersedesFrom)
            {
                final long nextSeq = JournalEntry.globalSeq(view);
                lastDeliveredIndex = -1;
                lastDeliveredSequence = nextSeq - 1;
                handler.onTruncation(nextSeq);
            }
            return;
        }

        final long seq = JournalEntry.globalSeq(view);
        try
        {
            handler.onMessage(
                seq,
                JournalEntry.viewId(view),
                JournalEntry.originNode(view),
                JournalEntry.originSeq(view),
                JournalEntry.timestampNs(view),
                view,
                JournalEntry.HEADER_LENGTH,
                length - JournalEntry.HEADER_LENGTH);
        }
        catch (final RuntimeException | Error ex)
        {
            dc.rollbackOnClose();
            throw ex;
        }
        lastDeliveredSequence = seq;
        lastDeliveredIndex = index;
    }

    private long journalTimeAt(final long index)
    {
        if (index < 0 || !tailer.moveToIndex(index))
        {
            throw new IllegalStateException("journal " + journal.directory() + ": no entry at index 0x" +
                Long.toHexString(index));
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            final long position = bytes.readPosition();
            final int length = (int)bytes.readRemaining();
            final long address = bytes.addressForRead(position, length);
            view.wrap(address, length);
            final int result = JournalEntry.verify(view, address, length, checksum);
            if (JournalEntry.VALID != result)
            {
                throw new JournalCorruptionException(String.valueOf(tailer.currentFile()), position - 4, index,
                    JournalEntry.describe(result), "Not served");
            }
            return JournalEntry.journalTimeNs(view);
        }
    }

    private void onSeek()
    {
        isCursorValid = false;
        lastDeliveredIndex = -1;
    }
}
