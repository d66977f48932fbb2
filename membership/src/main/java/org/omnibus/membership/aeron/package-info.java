/**
 * The membership state machine ({@link org.omnibus.membership.Membership}) driven over Aeron: a
 * {@link org.omnibus.membership.aeron.Group} owns a {@link org.omnibus.transport.Transport}, an agent with a duty
 * cycle and a real clock, and the thread-safe submit path the upper layers use. Frames of the membership schema map
 * onto the transport's streams by template id band; deliveries and views reach the listener on the agent thread.
 * <p>
 * This package does I/O (network, the incarnation file); {@code org.omnibus.membership} itself stays free of it.
 * docs/ARCHITECTURE.md, "Cluster over Aeron", describes threads, streams and the API.
 */
package org.omnibus.membership.aeron;
