package org.omnibus.bus.policy;

/**
 * The name-ownership questions policy rules ask (send_destination, send_destination_prefix, receive_sender).
 */
public interface NameOwnershipView
{
    /**
     * @param peerId a peer.
     * @param name   a name.
     * @return true when the peer is the primary owner of the name or waits in its queue.
     */
    boolean isInQueue(long peerId, CharSequence name);

    /**
     * @param peerId a peer.
     * @param prefix a name prefix.
     * @return true when the peer owns or waits for a name equal to the prefix or starting with prefix + ".".
     */
    boolean isQueuedOwnerByPrefix(long peerId, CharSequence prefix);
}
