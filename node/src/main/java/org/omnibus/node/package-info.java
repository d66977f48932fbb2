/**
 * Assembles a node and provides the omnibus command.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.node;
