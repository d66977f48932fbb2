package org.omnibus.transport;

/**
 * How a node reaches the whole group.
 */
public enum ChannelMode
{
    /**
     * One UDP multicast group for everybody. The interface is always named.
     */
    MULTICAST,

    /**
     * Multi-destination-cast with manual control: each node's publication sends to the endpoint of every known node
     * (destinations added and removed by the transport as peers come and go).
     */
    MDC_MANUAL,

    /**
     * Multi-destination-cast with dynamic control: each node's publication has a control endpoint; every node
     * subscribes to every known node's control endpoint and the publisher learns receivers from their status
     * messages.
     */
    MDC_DYNAMIC,

    /**
     * Plain unicast: one publication per known node and stream; a send to all offers to each of them.
     */
    UNICAST
}
