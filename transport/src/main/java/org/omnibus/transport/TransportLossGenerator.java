package org.omnibus.transport;

import io.aeron.driver.ext.LossGenerator;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;

/**
 * Drops a seeded random fraction of the data frames an embedded driver receives, for tests. Plugged into the driver
 * through a {@code DebugReceiveChannelEndpoint}, so the receiver sees gaps, sends NAKs and the sender retransmits.
 * <p>
 * Only data frames (including heartbeats) are dropped; setup and RTT frames pass, so connections are still made.
 * The rate can be changed while running (e.g. turned on once a cluster has formed). The generator is called on the
 * driver's receiver thread; {@link #rate(double)} and {@link #droppedFrames()} may be called from any thread.
 */
public final class TransportLossGenerator implements LossGenerator
{
    private final SplittableRandom random;
    private final IntHashSet streamIds;
    private volatile double rate;
    private volatile long droppedFrames;

    /**
     * A generator that drops frames of every stream.
     *
     * @param rate fraction of data frames to drop, 0 to 1.
     * @param seed of the random sequence.
     */
    public TransportLossGenerator(final double rate, final long seed)
    {
        this(rate, seed, null);
    }

    /**
     * A generator that drops frames of the given Aeron stream ids only.
     *
     * @param rate      fraction of data frames to drop, 0 to 1.
     * @param seed      of the random sequence.
     * @param streamIds Aeron stream ids subject to loss; null or empty for all.
     */
    public TransportLossGenerator(final double rate, final long seed, final int[] streamIds)
    {
        rate(rate);
        this.random = new SplittableRandom(seed);
        if (null == streamIds || 0 == streamIds.length)
        {
            this.streamIds = null;
        }
        else
        {
            this.streamIds = new IntHashSet(streamIds.length * 2);
            for (final int streamId : streamIds)
            {
                this.streamIds.add(streamId);
            }
        }
    }

    /**
     * Change the loss rate.
     *
     * @param rate fraction of data frames to drop, 0 to 1.
     * @return this for a fluent API.
     */
    public TransportLossGenerator rate(final double rate)
    {
        if (!(rate >= 0.0 && rate <= 1.0))
        {
            throw new IllegalArgumentException("loss rate must be in [0, 1]: " + rate);
        }
        this.rate = rate;
        return this;
    }

    /**
     * @return the current loss rate.
     */
    public double rate()
    {
        return rate;
    }

    /**
     * @return how many data frames were dropped so far.
     */
    public long droppedFrames()
    {
        return droppedFrames;
    }

    /**
     * Frames other than data frames (setup, RTT measurement) are never dropped.
     * <p>
     * {@inheritDoc}
     */
    public boolean shouldDropFrame(final InetSocketAddress address, final UnsafeBuffer buffer, final int length)
    {
        return false;
    }

    /**
     * {@inheritDoc}
     */
    public boolean shouldDropFrame(
        final InetSocketAddress address,
        final UnsafeBuffer buffer,
        final int streamId,
        final int sessionId,
        final int termId,
        final int termOffset,
        final int length)
    {
        final double rate = this.rate;
        if (rate <= 0.0 || (null != streamIds && !streamIds.contains(streamId)))
        {
            return false;
        }

        if (random.nextDouble() < rate)
        {
            droppedFrames++;
            return true;
        }

        return false;
    }
}
