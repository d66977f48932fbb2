package org.omnibus.membership;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * Per origin node: the incarnation and the last origin sequence ordered. Used to deduplicate and to keep per-origin
 * FIFO (the sequencer stamps only the next expected origin sequence), and carried in state transfers.
 */
final class OriginTable
{
    static final class Origin
    {
        long incarnation;
        long lastOriginSeq;
    }

    private final Int2ObjectHashMap<Origin> origins = new Int2ObjectHashMap<>();

    /**
     * @return the origin sequence the table expects next from that incarnation, or -1 when the incarnation is older
     * than one already seen (stale).
     */
    long expected(final int nodeId, final long incarnation)
    {
        final Origin origin = origins.get(nodeId);
        if (origin == null || incarnation > origin.incarnation)
        {
            return 1;
        }
        if (incarnation < origin.incarnation)
        {
            return -1;
        }
        return origin.lastOriginSeq + 1;
    }

    /**
     * @return the last origin sequence ordered for that incarnation, 0 when none.
     */
    long lastOriginSeq(final int nodeId, final long incarnation)
    {
        final Origin origin = origins.get(nodeId);
        return origin != null && origin.incarnation == incarnation ? origin.lastOriginSeq : 0;
    }

    void update(final int nodeId, final long incarnation, final long originSeq)
    {
        Origin origin = origins.get(nodeId);
        if (origin == null)
        {
            origin = new Origin();
            origin.incarnation = incarnation;
            origin.lastOriginSeq = originSeq;
            origins.put(nodeId, origin);
        }
        else if (incarnation > origin.incarnation)
        {
            origin.incarnation = incarnation;
            origin.lastOriginSeq = originSeq;
        }
        else if (incarnation == origin.incarnation && originSeq > origin.lastOriginSeq)
        {
            origin.lastOriginSeq = originSeq;
        }
    }

    void copyFrom(final OriginTable other)
    {
        clear();
        final Int2ObjectHashMap<Origin>.EntryIterator it = other.origins.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            update(it.getIntKey(), it.getValue().incarnation, it.getValue().lastOriginSeq);
        }
    }

    void clear()
    {
        origins.clear();
    }

    int size()
    {
        return origins.size();
    }

    /**
     * Visit every origin (used to encode state transfers; not on the ordering path).
     */
    void forEach(final OriginConsumer consumer)
    {
        final Int2ObjectHashMap<Origin>.EntryIterator it = origins.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            consumer.accept(it.getIntKey(), it.getValue().incarnation, it.getValue().lastOriginSeq);
        }
    }

    interface OriginConsumer
    {
        void accept(int nodeId, long incarnation, long lastOriginSeq);
    }
}
