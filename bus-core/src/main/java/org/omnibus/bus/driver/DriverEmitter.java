package org.omnibus.bus.driver;

import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.peer.Peer;

/**
 * Where the driver's messages go: to one local peer, or to every local peer whose match rules select a signal.
 * The implementation applies the recipients' receive policy and queues the result in the outbox.
 */
public interface DriverEmitter
{
    /**
     * @param recipient      a local peer.
     * @param message        the message.
     * @param requestedReply true for replies to the recipient's own calls.
     */
    void unicast(Peer recipient, SimpleMessage message, boolean requestedReply);

    /**
     * @param signal a signal from the driver without destination.
     */
    void broadcast(SimpleMessage signal);
}
