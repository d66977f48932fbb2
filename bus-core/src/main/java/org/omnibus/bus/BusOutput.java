package org.omnibus.bus;

import java.util.List;

import org.omnibus.bus.peer.Peer;

/**
 * A message the bus itself sends (a driver reply or error, NameOwnerChanged, NameAcquired, NameLost, NoReply...)
 * with the local peers it goes to. The edge marshals {@link #message()} once (sender and destination headers
 * as set in it; the driver never wants a reply) and queues it to every recipient in order.
 *
 * @param message    the message; {@link SimpleMessage#sender()} is "org.freedesktop.DBus", or null for the
 *                   answers dbus-daemon's own libdbus connection gives (Peer interface with no destination).
 * @param recipients local peers, in delivery order; never empty.
 */
public record BusOutput(SimpleMessage message, List<Peer> recipients)
{
}
