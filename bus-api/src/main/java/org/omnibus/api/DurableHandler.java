package org.omnibus.api;

import org.omnibus.codec.dbus.DBusMessageFlyweight;

/**
 * Receives the messages of a {@link DurableSubscription}, each exactly once, in global-sequence order.
 */
@FunctionalInterface
public interface DurableHandler
{
    /**
     * @param sequence the message's global sequence in the bus' journal.
     * @param message  the signal; a view valid only during the call ({@link Reply#bodyOf} copies its arguments).
     */
    void onMessage(long sequence, DBusMessageFlyweight message);
}
