/**
 * The cluster network over Aeron: an embedded (or external) media driver per node, the channels of the configured
 * {@link org.omnibus.transport.ChannelMode} (multicast with a named interface, MDC, or unicast endpoint lists), the
 * four {@link org.omnibus.transport.TransportStream}s, sends that return codes under back-pressure, image
 * availability callbacks, and a loss generator for tests. Entry point: {@link org.omnibus.transport.Transport}.
 */
package org.omnibus.transport;
