package org.omnibus.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.bus.BusFixture.driverCall;
import static org.omnibus.bus.BusFixture.hello;
import static org.omnibus.bus.BusFixture.transcript;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.router.RoutingDecision;

/**
 * Two buses (nodes 1 and 2) whose name commands go through one shared queue, applied to both in the same order:
 * a miniature total order. Shows the seams a cluster plugs into: the command sink, remote recipients, routing of
 * messages that arrive from another node, and node departure.
 */
class ClusterSeamTest
{
    private final ArrayDeque<NameCommand> order = new ArrayDeque<>();
    private final Bus one = node(1);
    private final Bus two = node(2);
    private final RoutingDecision decision = new RoutingDecision();
    private int serial = 100;

    private Bus node(final long nodeId)
    {
        return new Bus(new BusContext().nodeId(nodeId).clustered(true).nameCommandSink(order::add)
            .busUid(1000).busPid(1).busId(BusFixture.BUS_ID).machineId(BusFixture.MACHINE_ID));
    }

    /** Deliver every ordered command to both nodes. */
    private void pump()
    {
        NameCommand command;
        while (null != (command = order.poll()))
        {
            one.applyNameCommand(command);
            two.applyNameCommand(command);
        }
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

    /** A registered peer; earlier outputs of its bus are discarded, its Hello outputs stay in the outbox. */
    private Peer client(final Bus bus)
    {
        final Peer peer = bus.connect(PeerCredentials.of(1000, new long[]{1000}, 7));
        drain(bus);
        send(bus, peer, hello());
        assertThat(peer.isHelloPending()).isTrue();
        assertThat(bus.outbox().isEmpty()).isTrue();
        pump();
        assertThat(peer.isRegistered()).isTrue();
        return peer;
    }

    private List<Peer> local()
    {
        final List<Peer> result = new ArrayList<>();
        for (int i = 0; i < decision.recipients().size(); i++)
        {
            result.add(decision.recipients().get(i));
        }
        return result;
    }

    @Test
    void namesAreReplicatedAndSignalsStayLocal()
    {
        final Peer a = client(one);
        assertThat(drain(one)).containsExactly(":1.0 method_return  [:1.0]", ":1.0 signal NameAcquired [:1.0]");
        final Peer b = client(two);
        drain(two);
        send(two, b, driverCall("AddMatch", "s", "member='NameOwnerChanged'"));
        drain(two);

        send(one, a, driverCall("RequestName", "su", "com.example.Svc", 0L));
        assertThat(decision.action()).isEqualTo(RoutingDecision.DRIVER);
        assertThat(one.outbox().isEmpty()).isTrue();
        pump();
        assertThat(drain(one)).containsExactly(":1.0 signal NameAcquired [com.example.Svc]",
            ":1.0 method_return  [1]");
        assertThat(drain(two)).containsExactly(":2.0 signal NameOwnerChanged [com.example.Svc, , :1.0]");
        assertThat(one.names().dump()).isEqualTo(two.names().dump());
        assertThat(two.names().listNames()).containsExactly("com.example.Svc", ":1.0", ":2.0");

        // the driver of either node answers from the replicated state
        send(two, b, driverCall("GetConnectionUnixProcessID", "s", "com.example.Svc"));
        assertThat(drain(two)).containsExactly(":2.0 method_return  [7]");
    }

    @Test
    void callsAndRepliesCrossNodes()
    {
        final Peer a = client(one);
        final Peer b = client(two);
        drain(one);
        drain(two);
        send(one, a, driverCall("RequestName", "su", "com.example.Svc", 0L));
        pump();
        drain(one);

        // b calls a: node 2 lists a as a remote recipient; node 1 delivers it
        final SimpleMessage call = SimpleMessage.methodCall("com.example.Svc", "/o", "com.example.I", "Do");
        send(two, b, call);
        assertThat(decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(decision.recipients().size()).isZero();
        assertThat(decision.recipients().remoteSize()).isEqualTo(1);
        assertThat(decision.recipients().remote(0)).isEqualTo(a.id());
        assertThat(one.routeFromCluster(b.id(), call, 0, decision)).isTrue();
        assertThat(local()).containsExactly(a);

        // a's reply passes on node 1 (it recorded the call) and on node 2 (it recorded it too)
        final SimpleMessage reply = SimpleMessage.methodReturn(b.uniqueName(), call.serial());
        send(one, a, reply);
        assertThat(decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(decision.recipients().remote(0)).isEqualTo(b.id());
        two.routeFromCluster(a.id(), reply, 0, decision);
        assertThat(local()).containsExactly(b);
        assertThat(one.replies().size()).isZero();
        assertThat(two.replies().size()).isZero();

        // an unrequested reply arriving from the cluster is refused, the error left for the sender's node
        two.routeFromCluster(a.id(), SimpleMessage.methodReturn(b.uniqueName(), 555).serial(9), 0, decision);
        assertThat(decision.action()).isEqualTo(RoutingDecision.REJECTED);
        assertThat(decision.errorName()).isEqualTo(DBusErrors.ACCESS_DENIED);
        assertThat(two.outbox().isEmpty()).isTrue();
    }

    @Test
    void broadcastsAreFilteredOnTheSubscribersNode()
    {
        final Peer a = client(one);
        final Peer b = client(two);
        final Peer c = client(two);
        send(two, b, driverCall("AddMatch", "s", "type='signal',interface='com.example.I'"));
        send(two, c, driverCall("AddMatch", "s", "type='signal',interface='com.example.Other'"));
        final SimpleMessage signal = SimpleMessage.signal("/o", "com.example.I", "Changed");
        send(one, a, signal);
        assertThat(decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(decision.toCluster()).isTrue();
        assertThat(local()).isEmpty();
        two.routeFromCluster(a.id(), signal, 0, decision);
        assertThat(decision.toCluster()).isFalse();
        assertThat(local()).containsExactly(b);
    }

    @Test
    void ownBroadcastComingBackInTheOrderReachesLocalSubscribersAlsoAfterTheSenderLeft()
    {
        final Peer a = client(one);
        final Peer local = client(one);
        send(one, local, driverCall("AddMatch", "s", "type='signal',interface='com.example.I'"));
        drain(one);
        final SimpleMessage signal = SimpleMessage.signal("/o", "com.example.I", "Changed");
        send(one, a, signal);
        assertThat(decision.toCluster()).isTrue();

        assertThat(one.routeFromCluster(a.id(), signal, 0, decision)).isTrue();
        assertThat(decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(local()).containsExactly(local);

        // the sender disconnects before its signal is delivered: the signal was accepted, it still arrives
        send(one, a, signal);
        one.disconnect(a);
        assertThat(one.routeFromCluster(a.id(), signal, 0, decision)).isTrue();
        assertThat(local()).containsExactly(local);
        pump();
        assertThat(one.routeFromCluster(a.id(), signal, 0, decision)).isFalse();
    }

    @Test
    void departuresReleaseNamesEverywhere()
    {
        final Peer a = client(one);
        final Peer b = client(two);
        send(two, b, driverCall("AddMatch", "s", "member='NameOwnerChanged'"));
        send(one, a, driverCall("RequestName", "su", "com.example.Svc", 0L));
        pump();
        drain(one);
        drain(two);

        // b waits for a reply from a when a disconnects: b gets NoReply on its own node
        final SimpleMessage call = SimpleMessage.methodCall("com.example.Svc", "/o", "com.example.I", "Do");
        send(two, b, call);
        one.disconnect(a);
        pump();
        assertThat(drain(two)).containsExactly(
            ":2.0 signal NameOwnerChanged [com.example.Svc, :1.0, ]",
            ":2.0 signal NameOwnerChanged [:1.0, :1.0, ]",
            ":2.0 error org.freedesktop.DBus.Error.NoReply " +
                "[Message recipient disconnected from message bus without replying]");
        assertThat(one.names().dump()).isEqualTo(two.names().dump());

        // node 2 leaves: node 1 releases everything its peers had
        final Peer c = client(one);
        send(one, c, driverCall("AddMatch", "s", "member='NameOwnerChanged'"));
        drain(one);
        order.add(NameCommand.unregisterNode(2));
        pump();
        assertThat(drain(one)).containsExactly(":1.1 signal NameOwnerChanged [:2.0, :2.0, ]");
        assertThat(one.names().listNames()).containsExactly(":1.1");
        assertThat(two.remotePeer(a.id())).isNull();
    }
}
