package org.omnibus.node;

import org.omnibus.transport.ChannelMode;
import org.omnibus.transport.TransportPeer;

import java.util.ArrayList;
import java.util.List;

/**
 * How a node takes part in a cluster: the initial members, the cluster secret, and the network. A node started
 * without a cluster configuration forms a cluster of its own (one member, unicast on an ephemeral loopback
 * port), so its traffic is still ordered and journaled.
 */
public final class ClusterSettings
{
    /** Multicast group used when none is given. */
    public static final String MULTICAST_ENDPOINT_DEFAULT = "224.0.1.1:40456";

    private int[] initialMembers;
    private byte[] secret;
    private ChannelMode channelMode = ChannelMode.MULTICAST;
    private String multicastEndpoint = MULTICAST_ENDPOINT_DEFAULT;
    private String multicastInterface;
    private String endpoint;
    private String controlEndpoint;
    private final List<TransportPeer> peers = new ArrayList<>();
    private boolean journal = true;
    private boolean bootstrapAlways;

    /**
     * A one-member cluster private to this node: unicast on an ephemeral loopback port.
     *
     * @param nodeId the node.
     * @return the settings.
     */
    public static ClusterSettings single(final int nodeId)
    {
        final ClusterSettings settings = new ClusterSettings();
        settings.initialMembers = new int[] {nodeId};
        settings.secret = ("omnibus-single-node-" + nodeId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        settings.channelMode = ChannelMode.UNICAST;
        settings.endpoint = "127.0.0.1:0";
        // a cluster of one is always its own majority: it founds itself again at every start
        settings.bootstrapAlways = true;
        return settings;
    }

    /**
     * @return a description of what is wrong, or null when consistent.
     */
    String validate(final int nodeId)
    {
        if (initialMembers == null || initialMembers.length == 0)
        {
            return "a cluster needs its initial members (--cluster-members)";
        }
        boolean self = false;
        for (final int member : initialMembers)
        {
            self |= member == nodeId;
        }
        if (!self && initialMembers.length > 0 && peers.isEmpty() && channelMode != ChannelMode.MULTICAST)
        {
            return "a node that is not an initial member needs the endpoints of some members (--cluster-peer)";
        }
        if (secret == null || secret.length < 16)
        {
            return "the cluster secret must be at least 16 bytes (--cluster-secret-file)";
        }
        if (channelMode == ChannelMode.MULTICAST && (multicastInterface == null || multicastInterface.isEmpty()))
        {
            return "multicast needs the interface to use, e.g. --cluster-interface=127.0.0.1 on one machine";
        }
        if (channelMode != ChannelMode.MULTICAST && endpoint == null)
        {
            return channelMode + " needs this node's endpoint (--cluster-endpoint=HOST:PORT)";
        }
        return null;
    }

    public int[] initialMembers()
    {
        return initialMembers;
    }

    public ClusterSettings initialMembers(final int... initialMembers)
    {
        this.initialMembers = initialMembers.clone();
        return this;
    }

    public byte[] secret()
    {
        return secret;
    }

    public ClusterSettings secret(final byte[] secret)
    {
        this.secret = secret.clone();
        return this;
    }

    public ChannelMode channelMode()
    {
        return channelMode;
    }

    public ClusterSettings channelMode(final ChannelMode channelMode)
    {
        this.channelMode = channelMode;
        return this;
    }

    public String multicastEndpoint()
    {
        return multicastEndpoint;
    }

    public ClusterSettings multicastEndpoint(final String multicastEndpoint)
    {
        this.multicastEndpoint = multicastEndpoint;
        return this;
    }

    public String multicastInterface()
    {
        return multicastInterface;
    }

    public ClusterSettings multicastInterface(final String multicastInterface)
    {
        this.multicastInterface = multicastInterface;
        return this;
    }

    public String endpoint()
    {
        return endpoint;
    }

    public ClusterSettings endpoint(final String endpoint)
    {
        this.endpoint = endpoint;
        return this;
    }

    public String controlEndpoint()
    {
        return controlEndpoint;
    }

    public ClusterSettings controlEndpoint(final String controlEndpoint)
    {
        this.controlEndpoint = controlEndpoint;
        return this;
    }

    public List<TransportPeer> peers()
    {
        return peers;
    }

    public ClusterSettings addPeer(final TransportPeer peer)
    {
        peers.add(peer);
        return this;
    }

    /**
     * @return whether the node founds the cluster at every start (a one-node cluster), not only at its first.
     */
    public boolean bootstrapAlways()
    {
        return bootstrapAlways;
    }

    public boolean journal()
    {
        return journal;
    }

    /**
     * @param journal whether the node journals the ordered stream (default true).
     * @return this.
     */
    public ClusterSettings journal(final boolean journal)
    {
        this.journal = journal;
        return this;
    }
}
