/**
 * Test nodes, cluster builder, loss and partition switches, await helpers.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.test;
