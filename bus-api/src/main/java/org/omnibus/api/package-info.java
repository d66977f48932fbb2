/**
 * The Java client API of Omnibus.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.api;
