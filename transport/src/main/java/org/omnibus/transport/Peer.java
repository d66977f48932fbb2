package org.omnibus.transport;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;

/**
 * What the transport holds for one known node (this one included).
 */
final class Peer
{
    final TransportPeer address;
    final ExclusivePublication[] publications = new ExclusivePublication[TransportStream.COUNT];
    final Subscription[] mdcSubscriptions = new Subscription[TransportStream.COUNT];
    String mdcDestination;

    Peer(final TransportPeer address)
    {
        this.address = address;
    }
}
