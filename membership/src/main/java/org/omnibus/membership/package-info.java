/**
 * Views, failure detection, total order and flush as deterministic state machines.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.membership;
