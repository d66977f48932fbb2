package org.omnibus.bus.router;

import java.util.Arrays;

import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCollector;

/**
 * The recipients of one routing decision: local peers (in delivery order) and peers on other nodes (by id).
 * Reused from message to message; arrays only grow (on the first messages with many recipients).
 */
public final class RecipientList implements PeerCollector
{
    private Peer[] peers = new Peer[16];
    private int size;
    private long[] remote = new long[4];
    private int remoteSize;

    /**
     * @return number of local recipients.
     */
    public int size()
    {
        return size;
    }

    /**
     * @param index 0 &lt;= index &lt; {@link #size()}.
     * @return a local recipient.
     */
    public Peer get(final int index)
    {
        return peers[index];
    }

    /**
     * @return number of remote recipients (unicast to a peer of another node).
     */
    public int remoteSize()
    {
        return remoteSize;
    }

    /**
     * @param index 0 &lt;= index &lt; {@link #remoteSize()}.
     * @return the peer id of a remote recipient.
     */
    public long remote(final int index)
    {
        return remote[index];
    }

    /** {@inheritDoc} */
    public void add(final Peer peer)
    {
        if (size == peers.length)
        {
            peers = Arrays.copyOf(peers, size * 2);
        }
        peers[size++] = peer;
    }

    /**
     * @param peerId a recipient on another node.
     */
    public void addRemote(final long peerId)
    {
        if (remoteSize == remote.length)
        {
            remote = Arrays.copyOf(remote, remoteSize * 2);
        }
        remote[remoteSize++] = peerId;
    }

    /**
     * Forget every recipient (references are cleared so gone peers can be collected).
     */
    public void clear()
    {
        Arrays.fill(peers, 0, size, null);
        size = 0;
        remoteSize = 0;
    }
}
