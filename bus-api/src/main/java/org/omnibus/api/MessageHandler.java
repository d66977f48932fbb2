package org.omnibus.api;

import org.omnibus.codec.dbus.DBusMessageFlyweight;

/**
 * Receives messages on a connection's reader thread.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param message a validated message; a view over the connection's read buffer, valid only during the call
     *                (copy what must outlive it, e.g. with {@link Reply#bodyOf}).
     */
    void onMessage(DBusMessageFlyweight message);
}
