/**
 * D-Bus semantics as pure logic: peers, names, matches, policy, replies and the driver.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.bus;
