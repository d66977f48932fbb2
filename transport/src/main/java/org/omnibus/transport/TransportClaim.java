package org.omnibus.transport;

import io.aeron.logbuffer.BufferClaim;
import org.agrona.MutableDirectBuffer;

/**
 * A claimed region to encode one message into, in place, from {@link Transport#tryClaim}. Write between
 * {@link #offset()} and {@code offset() + length()} of {@link #buffer()}, then {@link #commit()} or {@link #abort()}
 * before calling anything else on the transport. Reusable: keep one per publisher and claim again.
 * <p>
 * Where the send goes to one Aeron publication (multicast, MDC, or one node) the region is inside the publication's
 * term buffer. For a send to all in unicast mode it is a staging buffer that {@link #commit()} offers to every peer;
 * {@link Transport#tryClaim} checked beforehand that every connected peer had room, so that commit does not meet
 * back-pressure.
 */
public final class TransportClaim
{
    final BufferClaim bufferClaim = new BufferClaim();
    private Transport stagingTransport;
    private TransportStream stagingStream;
    private int stagingLength;
    private long position;
    private boolean open;

    void openAeron(final long position)
    {
        this.position = position;
        this.stagingTransport = null;
        this.open = true;
    }

    void openStaged(final Transport transport, final TransportStream stream, final int length)
    {
        this.stagingTransport = transport;
        this.stagingStream = stream;
        this.stagingLength = length;
        this.position = 0;
        this.open = true;
    }

    /**
     * @return true between a successful claim and its commit or abort.
     */
    public boolean isOpen()
    {
        return open;
    }

    /**
     * @return the buffer to write the message into.
     */
    public MutableDirectBuffer buffer()
    {
        return null != stagingTransport ? stagingTransport.stagingBuffer() : bufferClaim.buffer();
    }

    /**
     * @return offset in {@link #buffer()} where the message starts.
     */
    public int offset()
    {
        return null != stagingTransport ? 0 : bufferClaim.offset();
    }

    /**
     * @return length claimed.
     */
    public int length()
    {
        return null != stagingTransport ? stagingLength : bufferClaim.length();
    }

    /**
     * Publish the message.
     *
     * @return the new position (> 0) as {@link Transport#offer} returns it, or a negative code of {@link Transport}
     * (a staged send to all returns NOT_CONNECTED if every peer went away meanwhile).
     * @throws IllegalStateException if no claim is open.
     */
    public long commit()
    {
        if (!open)
        {
            throw new IllegalStateException("no open claim");
        }
        open = false;

        if (null != stagingTransport)
        {
            final Transport transport = stagingTransport;
            stagingTransport = null;
            return transport.commitStaged(stagingStream, stagingLength);
        }

        bufferClaim.commit();
        return position;
    }

    /**
     * Give the claimed space up: nothing is sent (receivers skip a padding frame). Does nothing if no claim is open.
     */
    public void abort()
    {
        if (!open)
        {
            return;
        }
        open = false;

        if (null != stagingTransport)
        {
            stagingTransport = null;
            return;
        }

        bufferClaim.abort();
    }
}
