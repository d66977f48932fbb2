package org.omnibus.edge;

import org.omnibus.bus.peer.Peer;

/**
 * What the bus glue keeps per connection: the bus-core peer and the serial counter for messages the bus
 * itself sends to this connection (libdbus numbers them per connection).
 */
final class BusSession
{
    final EdgeConnection connection;
    final Peer peer;
    /** Messages of this peer accepted into the cluster's order. */
    long submitted;
    /** Of those, how many came back in the order. */
    long delivered;
    /** Local deliveries waiting behind this peer's messages in the order. */
    final java.util.ArrayDeque<BusEdgeHandler.Deferred> deferred = new java.util.ArrayDeque<>();
    private long nextSerial = 1;

    BusSession(final EdgeConnection connection, final Peer peer)
    {
        this.connection = connection;
        this.peer = peer;
    }

    long nextSerial()
    {
        final long serial = nextSerial;
        nextSerial = serial == 0xFFFF_FFFFL ? 1 : serial + 1;
        return serial;
    }
}
