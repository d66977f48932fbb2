package org.omnibus.transport;

/**
 * Where another node (or this one) is reached outside multicast.
 *
 * @param nodeId          the node's id in the cluster.
 * @param endpoint        the node's unicast endpoint {@code host:port}, or null if unknown (multicast mode only:
 *                        then nothing can be sent to that node alone).
 * @param controlEndpoint the node's MDC control endpoint {@code host:port}; required in
 *                        {@link ChannelMode#MDC_DYNAMIC}, ignored otherwise.
 */
public record TransportPeer(int nodeId, String endpoint, String controlEndpoint)
{
    /**
     * A peer reached by its unicast endpoint only.
     *
     * @param nodeId   the node's id.
     * @param endpoint the node's unicast endpoint {@code host:port}.
     * @return the peer.
     */
    public static TransportPeer of(final int nodeId, final String endpoint)
    {
        return new TransportPeer(nodeId, endpoint, null);
    }
}
