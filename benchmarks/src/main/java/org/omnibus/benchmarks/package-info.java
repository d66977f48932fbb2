/**
 * JMH micro-benchmarks and the side-by-side harness against peers.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.benchmarks;
