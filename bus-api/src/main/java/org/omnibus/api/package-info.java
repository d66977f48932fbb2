/**
 * The Java client API of Omnibus: {@link org.omnibus.api.BusConnection} (a D-Bus connection over a Unix socket:
 * SASL EXTERNAL, Hello, calls with replies, signal handlers) and {@link org.omnibus.api.DurableSubscription}
 * (signals from the node's journal from a stored position, resumed after a reconnect with no gap and no
 * duplicate).
 */
package org.omnibus.api;
