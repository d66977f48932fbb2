package org.omnibus.edge;

import org.agrona.DirectBuffer;

/**
 * Finds the length of the next D-Bus message in a byte stream.
 */
@FunctionalInterface
public interface MessageFramer
{
    /** Not enough bytes yet to know the length (a D-Bus message declares it in its first 16 bytes). */
    int NEED_MORE = 0;

    /**
     * @param buffer    holding the stream.
     * @param offset    of the first byte of the next message.
     * @param available bytes from offset.
     * @return the total length the message declares (it may exceed {@code available}), {@link #NEED_MORE},
     * or a negative value when the bytes cannot start a valid message (the peer is then disconnected).
     */
    int frameLength(DirectBuffer buffer, int offset, int available);

    /**
     * A word for a negative result of {@link #frameLength}, for the log line of the disconnect.
     *
     * @param code negative result.
     * @return the reason.
     */
    default String describe(final int code)
    {
        return "invalid message framing (" + code + ")";
    }
}
