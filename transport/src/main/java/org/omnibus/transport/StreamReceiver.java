package org.omnibus.transport;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.collections.ArrayUtil;

/**
 * The subscriptions of one logical stream (group and direct, and one per peer in dynamic MDC) polled through one
 * fragment assembler into the stream's handler.
 */
final class StreamReceiver
{
    private static final Subscription[] EMPTY = new Subscription[0];

    final TransportStream stream;
    final int streamId;
    final FragmentAssembler assembler;
    private Subscription[] subscriptions = EMPTY;

    StreamReceiver(final TransportStream stream, final int streamId, final FragmentHandler handler)
    {
        this.stream = stream;
        this.streamId = streamId;
        this.assembler = new FragmentAssembler(handler);
    }

    int poll(final int fragmentLimit)
    {
        int fragments = 0;
        final Subscription[] subscriptions = this.subscriptions;
        for (final Subscription subscription : subscriptions)
        {
            fragments += subscription.poll(assembler, fragmentLimit);
        }

        return fragments;
    }

    void add(final Subscription subscription)
    {
        subscriptions = ArrayUtil.add(subscriptions, subscription);
    }

    void remove(final Subscription subscription)
    {
        subscriptions = ArrayUtil.remove(subscriptions, subscription);
    }

    boolean isConnected()
    {
        for (final Subscription subscription : subscriptions)
        {
            if (subscription.isConnected())
            {
                return true;
            }
        }

        return false;
    }

    int imageCount()
    {
        int count = 0;
        for (final Subscription subscription : subscriptions)
        {
            count += subscription.imageCount();
        }

        return count;
    }
}
