/**
 * JMH micro-benchmarks and the side-by-side harness against peers: {@code codec} (the D-Bus wire codec),
 * {@code journal} (the Chronicle Queue journal), {@code edge} (the harness against dbus-daemon and dbus-broker).
 * Build with {@code mvn -B -pl benchmarks -am package -DskipTests}, run the JMH ones with
 * {@code java -jar benchmarks/target/benchmarks.jar}; see docs/BENCHMARKS.md.
 */
package org.omnibus.benchmarks;
