/**
 * Assembles a node (edge, bus, membership, journal) and provides the {@code omnibus} command.
 */
package org.omnibus.node;
