package org.omnibus.bus.name;

import java.util.List;

import org.omnibus.bus.peer.PeerCredentials;

/**
 * The whole replicated state of a {@link NameRegistry} as plain values, in a canonical order: what a snapshot
 * carries to a node that lacks it ({@link NameRegistry#exportState()}, {@link NameRegistry#importState}). Two
 * registries in the same state export equal values, and a registry imported from them gives the same
 * {@link NameChange}s as the original for any later command sequence.
 *
 * @param nodes  per node, the highest connection id ever registered, by node id ascending.
 * @param owners every registered peer, by peer id ascending (unsigned).
 * @param names  every well-known name with an owner, in {@link String} order. Unique names are not listed: a
 *               unique name's queue is always its owner alone with flags 0.
 */
public record NameRegistryState(List<NodeCounter> nodes, List<OwnerState> owners, List<NameState> names)
{
    /**
     * @param nodes  per node counters.
     * @param owners registered peers.
     * @param names  well-known names.
     */
    public NameRegistryState
    {
        nodes = List.copyOf(nodes);
        owners = List.copyOf(owners);
        names = List.copyOf(names);
    }

    /**
     * @param nodeId              a node id (the high 32 bits of its peers' ids).
     * @param highestConnectionId the highest connection id of that node ever registered (unsigned 32 bits).
     */
    public record NodeCounter(long nodeId, long highestConnectionId)
    {
    }

    /**
     * @param peerId      packed peer id ({@link org.omnibus.bus.PeerIds}: the origin node in the high 32 bits).
     * @param credentials the credentials given at registration (may be null only if registered so).
     * @param joined      the names it owns or waits for, in the order it joined them, its unique name included.
     */
    public record OwnerState(long peerId, PeerCredentials credentials, List<String> joined)
    {
        /**
         * @param peerId      peer id.
         * @param credentials credentials.
         * @param joined      joined names.
         */
        public OwnerState
        {
            joined = List.copyOf(joined);
        }
    }

    /**
     * @param peerId a queued peer.
     * @param flags  the RequestName flags of its entry (every bit kept).
     */
    public record QueueEntry(long peerId, int flags)
    {
    }

    /**
     * @param name  a well-known name.
     * @param queue its queue, primary owner first; never empty.
     */
    public record NameState(String name, List<QueueEntry> queue)
    {
        /**
         * @param name  name.
         * @param queue queue.
         */
        public NameState
        {
            queue = List.copyOf(queue);
        }
    }
}
