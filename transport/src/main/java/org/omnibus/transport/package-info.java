/**
 * Aeron media driver lifecycle, channels, publications and subscriptions.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.transport;
