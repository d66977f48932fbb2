/**
 * End-to-end test harness: real D-Bus clients against a running bus.
 * <p>
 * {@link org.omnibus.systemtest.Bus} is a running bus of a {@link org.omnibus.systemtest.BusKind}: a private
 * dbus-daemon (the reference, also in a strict variant that refuses unrequested replies), or Omnibus in the test JVM
 * or as a child process with dbus-daemon's command line; all read the same generated configuration
 * ({@link org.omnibus.systemtest.BusConfig}). Clients: {@link org.omnibus.systemtest.Cli} (dbus-send, busctl,
 * gdbus), {@link org.omnibus.systemtest.PyClient} (python3-dbus) and {@link org.omnibus.systemtest.WireClient}
 * (raw wire protocol over the project's codec). {@link org.omnibus.systemtest.DifferentialScenario} records a
 * multi-client {@link org.omnibus.systemtest.Transcript} to compare two buses.
 */
package org.omnibus.systemtest;
