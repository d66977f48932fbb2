package org.omnibus.persistence;

import org.agrona.DirectBuffer;

/**
 * Receives journal entries from a {@link JournalTailer} or an export file, without allocation.
 */
@FunctionalInterface
public interface JournalHandler
{
    /**
     * One sequenced message. The buffer is a view valid only during the call: copy what must outlive it.
     *
     * @param globalSeq   global sequence.
     * @param viewId      view in which it was sequenced.
     * @param originNode  node whose edge accepted it.
     * @param originSeq   per-origin sequence.
     * @param timestampNs when the origin accepted it, ns since the epoch.
     * @param buffer      holding the SBE frame.
     * @param offset      of the frame in buffer.
     * @param length      of the frame.
     */
    void onMessage(
        long globalSeq,
        long viewId,
        int originNode,
        long originSeq,
        long timestampNs,
        DirectBuffer buffer,
        int offset,
        int length);

    /**
     * A truncation marker appended after this reader had passed the entries it supersedes: every message with a
     * sequence at or after {@code nextSeq} delivered before this call is no longer part of the journal, and the
     * next message delivered carries {@code nextSeq} (or, if it is {@link Journal#NULL_SEQUENCE}, any sequence).
     * Markers the reader knew of before reaching the superseded entries are applied silently (those entries are
     * skipped).
     *
     * @param nextSeq the sequence of the next message.
     */
    default void onTruncation(final long nextSeq)
    {
    }
}
