/**
 * The D-Bus wire protocol server on a Unix socket: SASL, framing, queues.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.edge;
