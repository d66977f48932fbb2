package org.omnibus.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omnibus.bus.BusFixture.driverCall;
import static org.omnibus.bus.BusFixture.hello;
import static org.omnibus.bus.BusFixture.transcript;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.router.RoutingDecision;
import org.omnibus.bus.wire.MalformedFrameException;
import org.omnibus.bus.wire.NameCommandCodec;
import org.omnibus.bus.wire.SnapshotTooLargeException;

/**
 * Buses over one command log (a miniature total order) where a node may stop receiving (a partition, a restart)
 * and then catches up by a state transfer: {@link Bus#takeSnapshot} on a node with the state,
 * {@link Bus#installSnapshot} on the one without, then deliveries from the snapshot's sequence on. Commands travel
 * as NameCommand frames.
 */
class StateTransferTest
{
    private final List<NameCommand> log = new ArrayList<>();
    private final Map<Bus, Integer> delivered = new HashMap<>();
    private final NameCommandCodec codec = new NameCommandCodec();
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
    private final RoutingDecision decision = new RoutingDecision();
    private int serial = 100;

    private Bus node(final long nodeId)
    {
        final Bus bus = new Bus(new BusContext().nodeId(nodeId).clustered(true).nameCommandSink(log::add)
            .busUid(1000).busPid(1).busId(BusFixture.BUS_ID).machineId(BusFixture.MACHINE_ID));
        delivered.put(bus, 0);
        return bus;
    }

    /** Deliver what the node has not seen yet, as frames. */
    private void deliver(final Bus... buses)
    {
        for (final Bus bus : buses)
        {
            for (int seq = delivered.get(bus); seq < log.size(); seq++)
            {
                final int length = codec.encode(log.get(seq), frame, 0);
                bus.applyNameCommand(frame, 0, length);
            }
            delivered.put(bus, log.size());
        }
    }

    /** State transfer from one node to another, as of everything in the log the source delivered. */
    private StateInstall transfer(final Bus from, final Bus to)
    {
        final long asOfSeq = delivered.get(from);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = from.takeSnapshot(asOfSeq, buffer, 0);
        final StateInstall install = to.installSnapshot(asOfSeq, new UnsafeBuffer(buffer), 0, length);
        assertThat(install.asOfSeq()).isEqualTo(asOfSeq);
        delivered.put(to, (int)asOfSeq);
        return install;
    }

    /** The body of the only output, byte arrays and variants spelled out. */
    private static String body(final Bus bus)
    {
        final List<BusOutput> out = new ArrayList<>();
        bus.outbox().drain(out::add);
        assertThat(out).hasSize(1);
        return MessageType.toString(out.get(0).message().type()) + " " + render(out.get(0).message().body());
    }

    private static String render(final Object value)
    {
        if (null != value && value.getClass().isArray())
        {
            final StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++)
            {
                sb.append(render(java.lang.reflect.Array.get(value, i))).append(", ");
            }
            return sb.append(']').toString();
        }
        if (value instanceof Map)
        {
            final StringBuilder sb = new StringBuilder("{");
            new java.util.TreeMap<>((Map<?, ?>)value).forEach((k, v) -> sb.append(k).append('=').append(render(v))
                .append(", "));
            return sb.append('}').toString();
        }
        if (value instanceof org.omnibus.codec.dbus.DBusVariant)
        {
            final org.omnibus.codec.dbus.DBusVariant variant = (org.omnibus.codec.dbus.DBusVariant)value;
            return variant.signature() + ":" + render(variant.value());
        }
        if (value instanceof List)
        {
            return render(((List<?>)value).toArray());
        }
        return String.valueOf(value);
    }

    private static List<String> drain(final Bus bus)
    {
        final List<BusOutput> out = new ArrayList<>();
        bus.outbox().drain(out::add);
        return transcript(out);
    }

    private void send(final Bus bus, final Peer peer, final SimpleMessage message)
    {
        if (message.serial() == 0)
        {
            message.serial(++serial);
        }
        bus.route(peer, message, 0, decision);
    }

    private Peer connect(final Bus bus, final PeerCredentials credentials)
    {
        final Peer peer = bus.connect(credentials);
        send(bus, peer, hello());
        return peer;
    }

    @Test
    void aJoinerTakesTheStateAndAnswersFromIt()
    {
        final Bus one = node(1);
        final Bus two = node(2);
        final Peer a = connect(one, PeerCredentials.of(1000, new long[]{1000}, 7));
        final PeerCredentials bCredentials =
            new PeerCredentials(1001, new long[]{1001, 27}, 77, "b-process", "system_u:system_r:b_t".getBytes());
        final Peer b = connect(two, bCredentials);
        deliver(one, two);
        send(one, a, driverCall("RequestName", "su", "com.example.A", 0L));
        send(two, b, driverCall("RequestName", "su", "com.example.A", 0L));
        deliver(one, two);
        drain(one);
        drain(two);

        final Bus three = node(3);
        final StateInstall install = transfer(one, three);
        assertThat(install.orphans()).isEmpty();
        assertThat(install.unknownIds()).isEmpty();
        assertThat(install.changes()).extracting(c -> c.name() + " " + c.oldOwner() + " " + c.newOwner())
            .containsExactly(":1.0 null :1.0", ":2.0 null :2.0", "com.example.A null :1.0");
        assertThat(three.outbox().isEmpty()).isTrue();
        assertThat(three.names().dump()).isEqualTo(one.names().dump());
        assertThat(three.names().exportState()).isEqualTo(one.names().exportState());
        assertThat(three.names().queuedOwners("com.example.A")).containsExactly(":1.0", ":2.0");

        // the joiner answers from the transferred state exactly as the others do
        final Peer c = connect(three, PeerCredentials.of(1000, new long[]{1000}, 9));
        deliver(one, two, three);
        assertThat(c.isRegistered()).isTrue();
        drain(one);
        drain(three);
        for (final String call : List.of("GetConnectionCredentials", "GetConnectionUnixUser",
            "GetConnectionUnixProcessID", "GetConnectionSELinuxSecurityContext", "GetNameOwner"))
        {
            final String name = call.equals("GetNameOwner") ? "com.example.A" : b.uniqueName();
            send(one, a, driverCall(call, "s", name));
            send(three, c, driverCall(call, "s", name));
            final String fromOne = body(one);
            // (the SELinux context is an error on both: dbus-daemon answers it only with SELinux enabled)
            assertThat(body(three)).as(call).isEqualTo(fromOne);
            if (call.equals("GetConnectionCredentials"))
            {
                assertThat(fromOne).contains("UnixUserID=u:1001", "UnixGroupIDs=au:[1001, 27, ]", "ProcessID=u:77",
                    "LinuxSecurityLabel=ay:" + render("system_u:system_r:b_t\0".getBytes()));
            }
        }

        // and goes on in step with them
        send(one, a, driverCall("ReleaseName", "s", "com.example.A"));
        send(three, c, driverCall("RequestName", "su", "com.example.C", 0L));
        deliver(one, two, three);
        assertThat(three.names().dump()).isEqualTo(one.names().dump()).isEqualTo(two.names().dump());
        assertThat(three.names().primaryOwner("com.example.A").uniqueName()).isEqualTo(":2.0");
    }

    @Test
    void aNodeBackFromAMinorityCatchesUpAndTellsItsPeers()
    {
        final Bus one = node(1);
        final Bus two = node(2);
        final Peer a = connect(one, PeerCredentials.of(1000, new long[]{1000}, 7));
        final Peer b = connect(two, PeerCredentials.of(1000, new long[]{1000}, 8));
        deliver(one, two);
        send(two, b, driverCall("AddMatch", "s", "member='NameOwnerChanged'"));
        send(one, a, driverCall("RequestName", "su", "com.example.A", 0L));
        deliver(one, two);
        drain(one);
        drain(two);

        // b waits for a reply from a
        final SimpleMessage call = SimpleMessage.methodCall("com.example.A", "/o", "com.example.I", "Do");
        send(two, b, call);
        assertThat(decision.recipients().remote(0)).isEqualTo(a.id());

        // node 2 is cut off: its Hello for b2 is ordered but node 2 does not receive it, nor what follows
        final Peer b2 = connect(two, PeerCredentials.of(1000, new long[]{1000}, 9));
        assertThat(b2.isHelloPending()).isTrue();
        final Peer a2 = connect(one, PeerCredentials.of(1000, new long[]{1000}, 10));
        send(one, a2, driverCall("RequestName", "su", "com.example.B", 0L));
        deliver(one);
        one.disconnect(a);
        deliver(one);
        assertThat(drain(two)).isEmpty();

        final StateInstall install = transfer(one, two);
        assertThat(drain(two)).containsExactly(
            ":2.1 method_return  [:2.1]",
            ":2.0 signal NameOwnerChanged [:1.1, , :1.1]",
            ":2.0 signal NameOwnerChanged [:2.1, , :2.1]",
            ":2.1 signal NameAcquired [:2.1]",
            ":2.0 signal NameOwnerChanged [com.example.A, :1.0, ]",
            ":2.0 signal NameOwnerChanged [com.example.B, , :1.1]",
            ":2.0 signal NameOwnerChanged [:1.0, :1.0, ]",
            ":2.0 error org.freedesktop.DBus.Error.NoReply " +
                "[Message recipient disconnected from message bus without replying]");
        assertThat(install.orphans()).isEmpty();
        assertThat(install.unknownIds()).isEmpty();
        assertThat(b2.isRegistered()).isTrue();
        assertThat(b2.isHelloPending()).isFalse();
        assertThat(two.names().dump()).isEqualTo(one.names().dump());
        assertThat(two.remotePeer(a.id())).isNull();
        assertThat(two.remotePeer(a2.id()).credentials().pid()).isEqualTo(10);

        // the ordered Hello is not delivered again; later commands are
        send(two, b2, driverCall("RequestName", "su", "com.example.B", 0L));
        deliver(one, two);
        assertThat(drain(two)).containsExactly(":2.1 method_return  [2]");
        assertThat(two.names().dump()).isEqualTo(one.names().dump());
    }

    @Test
    void peersOfADepartedNodeAreOrphansWhenItComesBack()
    {
        final Bus one = node(1);
        final Bus two = node(2);
        final Peer a = connect(one, PeerCredentials.of(1000, new long[]{1000}, 7));
        final Peer b = connect(two, PeerCredentials.of(1000, new long[]{1000}, 8));
        final Peer pending = two.connect(PeerCredentials.of(1000, new long[]{1000}, 9));
        deliver(one, two);
        send(two, b, driverCall("RequestName", "su", "com.example.B", 0L));
        deliver(one, two);
        drain(one);
        drain(two);

        // node 2 leaves the view: the others release its peers' names
        log.add(NameCommand.unregisterNode(2));
        deliver(one);
        assertThat(one.names().listNames()).containsExactly(a.uniqueName());

        final StateInstall install = transfer(one, two);
        assertThat(install.orphans()).containsExactly(b);
        assertThat(pending.state()).isEqualTo(Peer.STATE_CONNECTED);
        assertThat(drain(two)).containsExactly(
            ":2.0 signal NameLost [com.example.B]",
            ":2.0 signal NameLost [:2.0]");
        assertThat(two.names().dump()).isEqualTo(one.names().dump());

        // the node closes the orphan; its unregistration changes nothing anywhere
        two.disconnect(b);
        deliver(one, two);
        assertThat(two.names().dump()).isEqualTo(one.names().dump());
        assertThat(one.names().listNames()).containsExactly(a.uniqueName());
    }

    @Test
    void aBecomeMonitorThatTookEffectElsewhereMakesTheMonitor()
    {
        final Bus one = node(1);
        final Bus two = node(2);
        final Peer a = connect(one, PeerCredentials.of(1000, new long[]{1000}, 7));
        final Peer m = connect(two, PeerCredentials.of(1000, new long[]{1000}, 8));
        deliver(one, two);
        drain(two);
        send(two, m, driverCall("BecomeMonitor", "asu", List.of(), 0L)
            .interfaceName("org.freedesktop.DBus.Monitoring"));
        assertThat(drain(two)).containsExactly(":2.0 method_return  []");
        deliver(one);

        final StateInstall install = transfer(one, two);
        assertThat(install.orphans()).isEmpty();
        assertThat(m.state()).isEqualTo(Peer.STATE_MONITOR);
        assertThat(drain(two)).containsExactly(":2.0 signal NameLost [:2.0]");
        assertThat(two.matches().hasMonitors()).isTrue();
        assertThat(two.names().listNames()).containsExactly(a.uniqueName());
    }

    @Test
    void aRestartedNodeNeverReusesAUniqueName()
    {
        final Bus one = node(1);
        final Bus two = node(2);
        connect(one, PeerCredentials.of(1000, new long[]{1000}, 7));
        connect(two, PeerCredentials.of(1000, new long[]{1000}, 8));
        final Peer gone = connect(two, PeerCredentials.of(1000, new long[]{1000}, 9));
        connect(two, PeerCredentials.of(1000, new long[]{1000}, 10));
        deliver(one, two);
        two.disconnect(gone);
        deliver(one, two);
        assertThat(one.names().highestConnectionId(2)).isEqualTo(2);

        // node 2 restarts before the others noticed: its peers :2.0 and :2.2 are still registered
        final Bus restarted = node(2);
        final StateInstall install = transfer(one, restarted);
        assertThat(install.unknownIds()).containsExactly(PeerIds.id(2, 0), PeerIds.id(2, 2));
        assertThat(install.orphans()).isEmpty();
        final Peer fresh = connect(restarted, PeerCredentials.of(1000, new long[]{1000}, 11));
        assertThat(fresh.uniqueName()).isEqualTo(":2.3");

        for (final long id : install.unknownIds())
        {
            log.add(NameCommand.unregister(id));
        }
        deliver(one, restarted);
        assertThat(one.names().listNames()).containsExactly(":1.0", ":2.3");
        assertThat(restarted.names().dump()).isEqualTo(one.names().dump());
    }

    @Test
    void badSnapshotsAndCommandsChangeNothing()
    {
        final Bus one = node(1);
        connect(one, PeerCredentials.of(1000, new long[]{1000}, 7));
        deliver(one);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = one.takeSnapshot(5, buffer, 0);

        final Bus two = node(2);
        connect(two, PeerCredentials.of(1000, new long[]{1000}, 8));
        deliver(two);
        drain(two);
        final String before = two.names().dump();
        assertThatThrownBy(() -> two.installSnapshot(6, new UnsafeBuffer(buffer), 0, length))
            .isInstanceOf(MalformedFrameException.class).hasMessageContaining("as of 5 installed as of 6");
        assertThatThrownBy(() -> two.installSnapshot(5, new UnsafeBuffer(buffer), 0, length - 1))
            .isInstanceOf(MalformedFrameException.class);
        final int commandLength = codec.encode(NameCommand.unregister(PeerIds.id(2, 0)), frame, 0);
        assertThatThrownBy(() -> two.installSnapshot(5, frame, 0, commandLength))
            .isInstanceOf(MalformedFrameException.class).hasMessageContaining("template id 2");
        assertThatThrownBy(() -> two.applyNameCommand(buffer, 0, length))
            .isInstanceOf(MalformedFrameException.class).hasMessageContaining("template id 3");
        assertThatThrownBy(() -> two.applyNameCommand(frame, 0, commandLength - 1))
            .isInstanceOf(MalformedFrameException.class);
        assertThat(two.names().dump()).isEqualTo(before);
        assertThat(two.outbox().isEmpty()).isTrue();

        final Bus small = new Bus(new BusContext().nodeId(3).maxSnapshotLength(length - 1)
            .busUid(1000).busPid(1).busId(BusFixture.BUS_ID).machineId(BusFixture.MACHINE_ID));
        small.installSnapshot(5, new UnsafeBuffer(buffer), 0, length);
        assertThatThrownBy(() -> small.takeSnapshot(5, new ExpandableArrayBuffer(), 0))
            .isInstanceOf(SnapshotTooLargeException.class);
        assertThat(small.names().highestConnectionId(1)).isEqualTo(0);
        assertThat(small.names().highestConnectionId(3)).isEqualTo(NameRegistry.NO_CONNECTION);
    }

    @Test
    void commandsSayWhoAnswersThem()
    {
        final long peer = PeerIds.id(4, 2);
        assertThat(NameCommand.register(peer, PeerCredentials.unknown(), 1).answersCaller()).isTrue();
        assertThat(NameCommand.requestName(peer, "a.b", 0, 1, 1).answersCaller()).isTrue();
        assertThat(NameCommand.releaseName(peer, "a.b", 1).answersCaller()).isTrue();
        assertThat(NameCommand.unregister(peer).answersCaller()).isFalse();
        assertThat(NameCommand.becomeMonitor(peer).answersCaller()).isFalse();
        assertThat(NameCommand.unregisterNode(4).answersCaller()).isFalse();
        assertThat(NameCommand.requestName(peer, "a.b", 0, 1, 1).callerNode()).isEqualTo(4);
        assertThat(NameCommand.unregisterNode(4).callerNode()).isEqualTo(PeerIds.NONE);

        // applying on a node that is not the caller's answers nobody there and signals only its own subscribers
        final Bus one = node(1);
        final Bus two = node(2);
        final Peer a = connect(one, PeerCredentials.of(1000, new long[]{1000}, 7));
        final Peer b = connect(two, PeerCredentials.of(1000, new long[]{1000}, 8));
        deliver(one, two);
        drain(one);
        drain(two);
        send(one, a, driverCall("RequestName", "su", "com.example.A", 0L));
        deliver(one, two);
        assertThat(drain(two)).isEmpty();
        assertThat(drain(one)).containsExactly(":1.0 signal NameAcquired [com.example.A]", ":1.0 method_return  [1]");
        assertThat(b.isRegistered()).isTrue();
    }
}
