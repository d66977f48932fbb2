package org.omnibus.transport;

/**
 * The logical streams of one cluster channel (DESIGN.md section 5). Each maps onto an Aeron stream id set in the
 * {@link TransportContext}; the ordinal indexes per-stream arrays inside the transport.
 */
public enum TransportStream
{
    /**
     * Heartbeats, join, view, acknowledgements and flush traffic.
     */
    CONTROL,

    /**
     * Messages a node submits for sequencing (node to sequencer).
     */
    SUBMIT,

    /**
     * Messages stamped with {@code (viewId, globalSeq)} by the sequencer (sequencer to all).
     */
    ORDERED,

    /**
     * Replay from a peer's journal, normally sent to one node.
     */
    CATCH_UP;

    private static final TransportStream[] VALUES = values();

    /**
     * Number of streams.
     */
    public static final int COUNT = VALUES.length;

    /**
     * The stream for an ordinal.
     *
     * @param ordinal of the stream.
     * @return the stream.
     */
    public static TransportStream get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
