package org.omnibus.edge;

import org.agrona.DirectBuffer;

/**
 * What the bus layer does with connections and their messages. Called on the edge agent's thread only.
 */
public interface EdgeHandler
{
    /**
     * The peer finished authentication (BEGIN); messages may follow in the same read.
     *
     * @param connection the peer.
     */
    void onAuthenticated(EdgeConnection connection);

    /**
     * One complete D-Bus message from an authenticated peer. The bytes are valid only during the call.
     *
     * @param connection the sender.
     * @param buffer     holding the message.
     * @param offset     of its first byte.
     * @param length     of the whole message.
     * @return true when handled; false to hold it: it stays unread in the connection's input, which is paused
     * until {@link EdgeAgent#resume(EdgeConnection)} (e.g. while the peer's Hello is in the cluster's order).
     */
    boolean onMessage(EdgeConnection connection, DirectBuffer buffer, int offset, int length);

    /**
     * The connection is gone (peer hung up, protocol violation, quota, shutdown). Called once per connection
     * that was authenticated.
     *
     * @param connection the peer.
     * @param reason     why, for logs.
     */
    void onDisconnected(EdgeConnection connection, String reason);

    /**
     * End of a duty cycle in which messages were handled, before queued output is flushed: the place to
     * finish batched work.
     */
    default void onCycleEnd()
    {
    }

    /**
     * Called on every duty cycle, for timers.
     *
     * @param nowNs the agent's clock.
     * @return work done, for the idle strategy.
     */
    default int onTick(final long nowNs)
    {
        return 0;
    }
}
