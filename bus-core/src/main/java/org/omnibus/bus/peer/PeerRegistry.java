package org.omnibus.bus.peer;

import java.util.ArrayList;
import java.util.List;

import org.agrona.collections.Long2ObjectHashMap;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.policy.PolicySnapshot;

/**
 * The connections of this node, by id. Unique names are {@code :NODE.CONN} with connection ids from a counter,
 * never reused while the node runs.
 */
public final class PeerRegistry
{
    private final long nodeId;
    private long nextConnectionId;
    private final Long2ObjectHashMap<Peer> peers = new Long2ObjectHashMap<>();

    /**
     * @param nodeId            this node's id.
     * @param firstConnectionId first connection id handed out (dbus-daemon's first client is ":1.0").
     */
    public PeerRegistry(final long nodeId, final long firstConnectionId)
    {
        if (nodeId < 0 || nodeId > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException("nodeId out of range: " + nodeId);
        }
        this.nodeId = nodeId;
        this.nextConnectionId = firstConnectionId;
    }

    /**
     * @return this node's id.
     */
    public long nodeId()
    {
        return nodeId;
    }

    /**
     * @return the connection id the next {@link #connect} hands out.
     */
    public long nextConnectionId()
    {
        return nextConnectionId;
    }

    /**
     * Never hand out a connection id below {@code connectionId} (after a state transfer showed that this node id
     * already registered peers up to {@code connectionId - 1}, e.g. in an earlier run). Never moves back.
     *
     * @param connectionId the lowest connection id to hand out from now on.
     */
    public void advanceConnectionIds(final long connectionId)
    {
        if (connectionId > nextConnectionId)
        {
            nextConnectionId = connectionId;
        }
    }

    /**
     * Add an authenticated connection.
     *
     * @param credentials its credentials.
     * @param policy      its policy snapshot.
     * @return the new peer, not yet registered (Hello pending).
     */
    public Peer connect(final PeerCredentials credentials, final PolicySnapshot policy)
    {
        if (nextConnectionId > 0xFFFF_FFFFL)
        {
            throw new IllegalStateException("connection ids exhausted on node " + nodeId);
        }
        final Peer peer = new Peer(PeerIds.id(nodeId, nextConnectionId++), credentials, policy, true);
        peers.put(peer.id(), peer);
        return peer;
    }

    /**
     * @param id packed peer id.
     * @return the local peer or null.
     */
    public Peer get(final long id)
    {
        return peers.get(id);
    }

    /**
     * @param uniqueName a name; need not be a unique name.
     * @return the local peer with that unique name, or null.
     */
    public Peer find(final CharSequence uniqueName)
    {
        final long id = PeerIds.parse(uniqueName);
        return id == PeerIds.NONE ? null : peers.get(id);
    }

    /**
     * @param id a peer id.
     * @return true when the id belongs to this node.
     */
    public boolean isLocalId(final long id)
    {
        return PeerIds.nodeId(id) == nodeId;
    }

    /**
     * Remove a peer (it is gone).
     *
     * @param peer the peer.
     */
    public void remove(final Peer peer)
    {
        peers.remove(peer.id());
        peer.state(Peer.STATE_DISCONNECTED);
    }

    /**
     * @return number of connections (registered or not).
     */
    public int size()
    {
        return peers.size();
    }

    /**
     * @return every peer, sorted by id (control path).
     */
    public List<Peer> peers()
    {
        final List<Peer> result = new ArrayList<>(peers.values());
        result.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return result;
    }

    /**
     * @return number of registered peers.
     */
    public int registeredCount()
    {
        int n = 0;
        for (final Peer peer : peers.values())
        {
            if (peer.isRegistered())
            {
                n++;
            }
        }
        return n;
    }

    /**
     * @param uid a uid.
     * @return number of registered peers with that uid.
     */
    public int registeredCountForUid(final long uid)
    {
        int n = 0;
        for (final Peer peer : peers.values())
        {
            if (peer.isRegistered() && peer.credentials().uid() == uid)
            {
                n++;
            }
        }
        return n;
    }
}
