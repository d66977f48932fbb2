/**
 * The edge: a D-Bus wire protocol server on Unix sockets. It accepts connections, reads peer credentials
 * (SO_PEERCRED) and passed file descriptors (SCM_RIGHTS) through junixsocket, runs the SASL exchange,
 * frames D-Bus messages out of the byte stream and hands them to the bus layer, and queues what the bus
 * layer sends back with per-connection quotas. One {@link org.omnibus.edge.EdgeAgent} owns all sockets.
 */
package org.omnibus.edge;
