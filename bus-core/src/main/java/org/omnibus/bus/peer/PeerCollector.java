package org.omnibus.bus.peer;

/**
 * Receives the peers a fan-out selects.
 */
@FunctionalInterface
public interface PeerCollector
{
    /**
     * @param peer a selected peer.
     */
    void add(Peer peer);
}
