package org.omnibus.transport;

import io.aeron.Image;

/**
 * Told when a sender's image appears on or disappears from one of the transport's subscriptions. Called on the
 * thread that calls {@link Transport#poll(int)} (the Aeron client runs in invoker mode), never concurrently.
 * <p>
 * An image is one sender's publication as seen by this node: {@link Image#sessionId()} identifies it on its stream
 * ({@link Transport#isLocalSession(int)} tells this node's own), {@link Image#sourceIdentity()} gives the sender's
 * address. An image becomes unavailable when its publication closes or when nothing (not even a heartbeat) arrived
 * for the image liveness timeout: the membership layer takes that as a hint to suspect the sender.
 */
public interface ImageListener
{
    /**
     * A new image is available.
     *
     * @param stream the logical stream of the subscription.
     * @param image  the image; do not keep it past {@link #onImageUnavailable}.
     */
    void onImageAvailable(TransportStream stream, Image image);

    /**
     * An image went away: its publisher closed, or it timed out.
     *
     * @param stream the logical stream of the subscription.
     * @param image  the image, already closed; its session id and source identity can still be read.
     */
    void onImageUnavailable(TransportStream stream, Image image);

    /**
     * A listener that does nothing.
     */
    ImageListener NO_OP = new ImageListener()
    {
        public void onImageAvailable(final TransportStream stream, final Image image)
        {
        }

        public void onImageUnavailable(final TransportStream stream, final Image image)
        {
        }
    };
}
