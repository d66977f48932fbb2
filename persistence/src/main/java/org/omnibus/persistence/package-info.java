/**
 * The Chronicle Queue journal of the ordered stream.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.persistence;
