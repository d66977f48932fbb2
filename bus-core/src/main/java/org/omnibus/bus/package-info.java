/**
 * D-Bus semantics as pure logic: peers, names, matches, policy, replies, the driver and the router.
 * <p>
 * {@link org.omnibus.bus.Bus} is what the edge calls; {@link org.omnibus.bus.MessageView} is what it hands in
 * (its codec flyweight adapted), {@link org.omnibus.bus.router.RoutingDecision} and
 * {@link org.omnibus.bus.Outbox} are what it gets back. Subpackages mirror dbus-broker's src/bus: {@code peer},
 * {@code name}, {@code match}, {@code policy}, {@code reply}, {@code driver}, {@code router}. No sockets, no
 * threads, no cluster: the cluster plugs in through {@link org.omnibus.bus.name.NameCommandSink}. See the
 * "bus-core" section of docs/ARCHITECTURE.md.
 */
package org.omnibus.bus;
