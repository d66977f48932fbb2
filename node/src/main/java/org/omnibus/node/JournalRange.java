package org.omnibus.node;

import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalReader;
import org.omnibus.persistence.JournalTailer;

/**
 * A range of global sequences, inclusive, resolved from {@code --from} and {@code --to} against a journal.
 *
 * @param fromSeq first sequence.
 * @param toSeq   last sequence; less than fromSeq when the range holds nothing.
 */
record JournalRange(long fromSeq, long toSeq)
{
    /**
     * @return whether the range holds no sequence.
     */
    boolean isEmpty()
    {
        return toSeq < fromSeq;
    }

    /**
     * Check that a range given as two positions of the same kind is in order.
     *
     * @param from the {@code --from} position, or null.
     * @param to   the {@code --to} position, or null.
     * @throws JournalCliException if from is after to.
     */
    static void checkOrder(final JournalPosition from, final JournalPosition to)
    {
        if (null != from && null != to && from.isTime() == to.isTime() && from.value() > to.value())
        {
            throw JournalCliException.badInput(
                "bad range: --from " + from.describe() + " is after --to " + to.describe());
        }
    }

    /**
     * Resolve positions to sequences the journal holds. A time resolves by the journal time (the greatest origin
     * timestamp up to an entry): {@code --from T} starts at the first message whose journal time is at least T,
     * {@code --to T} ends at the last message whose journal time is at most T.
     *
     * @param reader the journal.
     * @param from   first position, or null for the journal's first message.
     * @param to     last position, or null for its last message (as of the reader's last scan).
     * @return the range, clamped to what the journal holds; empty if no message falls in it.
     * @throws JournalCliException if the journal is empty, the positions are out of order, or a sequence range
     *                             lies outside the journal.
     */
    static JournalRange resolve(final JournalReader reader, final JournalPosition from, final JournalPosition to)
    {
        checkOrder(from, to);
        final long first = reader.firstSequence();
        final long last = reader.lastSequence();
        if (Journal.NULL_SEQUENCE == last || Journal.NULL_SEQUENCE == first)
        {
            throw new JournalCliException(JournalCliException.FAILURE,
                "the journal at " + reader.directory() + " holds no messages");
        }
        if ((null != from && !from.isTime() && from.value() > last) ||
            (null != to && !to.isTime() && to.value() < first))
        {
            throw JournalCliException.badInput("bad range: " + (null == from ? "start" : from.describe()) + " .. " +
                (null == to ? "end" : to.describe()) + " is outside the journal, which holds seq " + first + " .. " +
                last);
        }
        long fromSeq = first;
        long toSeq = last;
        try (JournalTailer tailer = reader.tailer())
        {
            if (null != from)
            {
                fromSeq = from.isTime() ? tailer.seekToTime(from.value()) : Math.max(first, from.value());
            }
            if (null != to)
            {
                toSeq = to.isTime() ? endAtTime(tailer, to.value(), last) : Math.min(last, to.value());
            }
        }
        return new JournalRange(fromSeq, Math.min(toSeq, last));
    }

    private static long endAtTime(final JournalTailer tailer, final long timeNs, final long last)
    {
        if (timeNs == Long.MAX_VALUE)
        {
            return last;
        }
        final long after = tailer.seekToTime(timeNs + 1);
        return Journal.NULL_SEQUENCE == after ? last : after - 1;
    }
}
