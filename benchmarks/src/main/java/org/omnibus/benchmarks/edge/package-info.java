/**
 * The side-by-side edge benchmark: Omnibus, dbus-daemon and dbus-broker started in one run and driven by the same
 * client processes. {@link org.omnibus.benchmarks.edge.EdgeBench} orchestrates (buses, runs, table),
 * {@link org.omnibus.benchmarks.edge.EdgeClient} is the entry point of each client process (echo service, caller,
 * signal emitter, subscriber), {@link org.omnibus.benchmarks.edge.BusConnection} the one D-Bus client
 * implementation. Run it with {@code benchmarks/run-edge-bench.sh}; method and results in docs/BENCHMARKS.md,
 * "Edge vs dbus-daemon and dbus-broker".
 */
package org.omnibus.benchmarks.edge;
