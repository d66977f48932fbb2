package org.omnibus.bus.name;

import org.omnibus.bus.PeerIds;
import org.omnibus.bus.peer.PeerCredentials;

/**
 * A change to the name registry, as it travels through a {@link NameCommandSink}: applied at once on a single
 * node, replicated through the total order in a cluster so every node applies the same commands in the same
 * order. Carries what the apply step needs to answer the caller on its origin node.
 * <p>
 * Who answers what: applying a command on any node changes the registry identically and sends signals
 * (NameOwnerChanged, NameLost, NameAcquired) to that node's own peers only; the reply to the driver call
 * ({@link #answersCaller()}: Hello, RequestName, ReleaseName) is sent only on {@link #callerNode()}, the one node
 * where the caller is connected. Every output of {@link org.omnibus.bus.Bus#outbox()} after an apply therefore
 * names local recipients only, and a node never forwards any of it to the cluster. The wire form is
 * {@link org.omnibus.bus.wire.NameCommandCodec}.
 *
 * @param kind          what to do.
 * @param peerId        the peer concerned (or the node id for {@link Kind#UNREGISTER_NODE}).
 * @param name          the name for REQUEST_NAME and RELEASE_NAME, else null.
 * @param flags         RequestName flags.
 * @param maxNames      max_names_per_connection on the origin node (REQUEST_NAME).
 * @param serial        serial of the driver call to answer (REGISTER, REQUEST_NAME, RELEASE_NAME), else 0.
 * @param credentials   the peer's credentials (REGISTER), else null.
 */
public record NameCommand(
    Kind kind, long peerId, String name, int flags, int maxNames, int serial, PeerCredentials credentials)
{
    /** Command kinds. */
    public enum Kind
    {
        /** Hello: register a peer's unique name. */
        REGISTER,
        /** RequestName. */
        REQUEST_NAME,
        /** ReleaseName. */
        RELEASE_NAME,
        /** A peer disconnected: release all it owned and queued for. */
        UNREGISTER,
        /** A node left the cluster: unregister all its peers in id order. */
        UNREGISTER_NODE,
        /** BecomeMonitor: release all the peer's names in join order, the unique name first. */
        BECOME_MONITOR
    }

    /**
     * @return true for the commands of a driver call whose reply the apply step sends (REGISTER, REQUEST_NAME,
     * RELEASE_NAME): on {@link #callerNode()} only.
     */
    public boolean answersCaller()
    {
        return kind == Kind.REGISTER || kind == Kind.REQUEST_NAME || kind == Kind.RELEASE_NAME;
    }

    /**
     * @return the node where the peer concerned is connected (the origin of its commands; the node id in the high
     * 32 bits of {@link #peerId()}), or {@link PeerIds#NONE} for UNREGISTER_NODE, which any node may submit.
     */
    public long callerNode()
    {
        return kind == Kind.UNREGISTER_NODE ? PeerIds.NONE : PeerIds.nodeId(peerId);
    }

    /**
     * @param peerId      the peer.
     * @param credentials its credentials.
     * @param serial      Hello's serial.
     * @return the command.
     */
    public static NameCommand register(final long peerId, final PeerCredentials credentials, final int serial)
    {
        return new NameCommand(Kind.REGISTER, peerId, null, 0, 0, serial, credentials);
    }

    /**
     * @param peerId   the peer.
     * @param name     a validated, allowed name.
     * @param flags    RequestName flags.
     * @param maxNames max_names_per_connection.
     * @param serial   RequestName's serial.
     * @return the command.
     */
    public static NameCommand requestName(
        final long peerId, final String name, final int flags, final int maxNames, final int serial)
    {
        return new NameCommand(Kind.REQUEST_NAME, peerId, name, flags, maxNames, serial, null);
    }

    /**
     * @param peerId the peer.
     * @param name   a validated name.
     * @param serial ReleaseName's serial.
     * @return the command.
     */
    public static NameCommand releaseName(final long peerId, final String name, final int serial)
    {
        return new NameCommand(Kind.RELEASE_NAME, peerId, name, 0, 0, serial, null);
    }

    /**
     * @param peerId the peer that disconnected.
     * @return the command.
     */
    public static NameCommand unregister(final long peerId)
    {
        return new NameCommand(Kind.UNREGISTER, peerId, null, 0, 0, 0, null);
    }

    /**
     * @param peerId the peer that becomes a monitor.
     * @return the command.
     */
    public static NameCommand becomeMonitor(final long peerId)
    {
        return new NameCommand(Kind.BECOME_MONITOR, peerId, null, 0, 0, 0, null);
    }

    /**
     * @param nodeId the node that left.
     * @return the command.
     */
    public static NameCommand unregisterNode(final long nodeId)
    {
        return new NameCommand(Kind.UNREGISTER_NODE, nodeId, null, 0, 0, 0, null);
    }
}
