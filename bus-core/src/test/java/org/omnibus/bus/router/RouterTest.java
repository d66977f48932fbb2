package org.omnibus.bus.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.bus.BusFixture.driverCall;
import static org.omnibus.bus.BusFixture.single;
import static org.omnibus.bus.BusFixture.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.omnibus.bus.BusFixture;
import org.omnibus.bus.BusOutput;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.MessageFlags;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.peer.Peer;

class RouterTest
{
    private final BusFixture f = new BusFixture();

    private List<Peer> recipients()
    {
        final List<Peer> result = new ArrayList<>();
        for (int i = 0; i < f.decision.recipients().size(); i++)
        {
            result.add(f.decision.recipients().get(i));
        }
        return result;
    }

    private static SimpleMessage call(final String destination)
    {
        return SimpleMessage.methodCall(destination, "/obj", "com.example.I", "Do");
    }

    private static void isError(final SimpleMessage m, final String name, final String text)
    {
        assertThat(m.errorName()).isEqualTo(name);
        assertThat(m.body()).containsExactly(text);
    }

    @Test
    void methodCallAndItsReply()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        final SimpleMessage c = call(":1.1");
        assertThat(f.send(a, c)).isEmpty();
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(f.decision.hasAddressedRecipient()).isTrue();
        assertThat(recipients()).containsExactly(b);
        assertThat(f.bus.replies().isExpected(b.id(), a.id(), c.serial())).isTrue();

        f.send(b, SimpleMessage.methodReturn(":1.0", c.serial()));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(recipients()).containsExactly(a);

        // a second reply to the same call is refused, as any reply nobody waits for
        final SimpleMessage again = SimpleMessage.methodReturn(":1.0", c.serial());
        isError(single(f.send(b, again), b), DBusErrors.ACCESS_DENIED, "Rejected send message, 1 matched rules; " +
            "type=\"method_return\", sender=\":1.1\" (uid=1000 pid=6000 comm=\"\") interface=\"(unset)\" " +
            "member=\"(unset)\" error name=\"(unset)\" requested_reply=\"0\" destination=\":1.0\" " +
            "(uid=1000 pid=6000 comm=\"\")");
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.REJECTED);
        assertThat(f.decision.errorName()).isEqualTo(DBusErrors.ACCESS_DENIED);
    }

    @Test
    void callsToWellKnownNamesGoToThePrimaryOwner()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        final Peer c = f.client(1000);
        f.send(b, driverCall("RequestName", "su", "com.example.Svc", 0L));
        f.send(c, driverCall("RequestName", "su", "com.example.Svc", 0L));
        final SimpleMessage toB = call("com.example.Svc");
        f.send(a, toB);
        assertThat(recipients()).containsExactly(b);
        f.send(b, driverCall("ReleaseName", "s", "com.example.Svc"));
        final SimpleMessage toC = call("com.example.Svc");
        f.send(a, toC);
        assertThat(recipients()).containsExactly(c);
        // c may not answer the call b got, only its own
        f.send(c, SimpleMessage.error(":1.0", toB.serial(), "com.example.Error", "nope"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.REJECTED);
        f.send(c, SimpleMessage.error(":1.0", toC.serial(), "com.example.Error", "nope"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(recipients()).containsExactly(a);
        f.send(b, SimpleMessage.methodReturn(":1.0", toB.serial()));
        assertThat(recipients()).containsExactly(a);
    }

    @Test
    void unknownDestinations()
    {
        final Peer a = f.client(1000);
        isError(single(f.send(a, call("com.nope.X")), a), DBusErrors.SERVICE_UNKNOWN,
            "The name com.nope.X was not provided by any .service files");
        isError(single(f.send(a, call(":1.999")), a), DBusErrors.SERVICE_UNKNOWN,
            "The name :1.999 was not provided by any .service files");
        isError(single(f.send(a, call(":1.999").flags(MessageFlags.NO_AUTO_START)), a),
            DBusErrors.NAME_HAS_NO_OWNER, "Name \":1.999\" does not exist");
        isError(single(f.send(a, SimpleMessage.signal("/o", "a.b", "S").destination("com.nope.Y")), a),
            DBusErrors.SERVICE_UNKNOWN, "The name com.nope.Y was not provided by any .service files");
    }

    @Test
    void duplicateSerialAndReplyLimit()
    {
        final BusFixture g = new BusFixture(BusFixture.config("<policy context='default'><allow own='*'/>" +
            "<allow send_destination='*'/><allow receive_sender='*'/></policy>" +
            "<limit name='max_replies_per_connection'>2</limit>"));
        final Peer a = g.client(1000);
        g.client(1000);
        g.send(a, call(":1.1").serial(7));
        isError(single(g.send(a, call(":1.1").serial(7)), a), DBusErrors.ACCESS_DENIED,
            "Message has the same reply serial as a currently-outstanding existing method call");
        g.send(a, call(":1.1").serial(8));
        isError(single(g.send(a, call(":1.1").serial(9)), a), DBusErrors.LIMITS_EXCEEDED,
            "The maximum number of pending replies per connection has been reached");
        // calls that want no reply do not count
        g.send(a, call(":1.1").serial(10).flags(MessageFlags.NO_REPLY_EXPECTED));
        assertThat(g.decision.action()).isEqualTo(RoutingDecision.DELIVER);
    }

    @Test
    void calleeDisconnectGivesNoReply()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        f.send(a, driverCall("AddMatch", "s", "member='NameOwnerChanged'"));
        final SimpleMessage c = call(":1.1");
        f.send(a, c);
        f.bus.disconnect(b);
        final List<BusOutput> out = f.drain();
        assertThat(transcript(out)).containsExactly(
            ":1.0 signal NameOwnerChanged [:1.1, :1.1, ]",
            ":1.0 error org.freedesktop.DBus.Error.NoReply " +
                "[Message recipient disconnected from message bus without replying]");
        assertThat(out.get(1).message().replySerial()).isEqualTo(c.serial());
        assertThat(f.bus.replies().size()).isZero();
    }

    @Test
    void replyTimeout()
    {
        final BusFixture g = new BusFixture(BusFixture.config("<policy context='default'><allow own='*'/>" +
            "<allow send_destination='*'/><allow receive_sender='*'/></policy>" +
            "<limit name='reply_timeout'>1000</limit>"));
        final Peer a = g.client(1000);
        final Peer b = g.client(1000);
        final SimpleMessage c = call(":1.1");
        g.send(a, c);
        assertThat(g.bus.nextDeadlineNs()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(g.bus.poll(TimeUnit.MILLISECONDS.toNanos(999))).isZero();
        assertThat(g.bus.poll(TimeUnit.MILLISECONDS.toNanos(1000))).isEqualTo(1);
        final SimpleMessage err = single(g.drain(), a);
        isError(err, DBusErrors.NO_REPLY, "Message did not receive a reply (timeout by message bus)");
        assertThat(err.replySerial()).isEqualTo(c.serial());
        // the late reply is refused
        g.send(b, SimpleMessage.methodReturn(":1.0", c.serial()));
        assertThat(g.decision.action()).isEqualTo(RoutingDecision.REJECTED);
    }

    @Test
    void broadcastGoesToMatchingPeersOnly()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        final Peer c = f.client(1000);
        final Peer d = f.client(1000);
        f.send(b, driverCall("AddMatch", "s", "type='signal',interface='com.example.I'"));
        f.send(c, driverCall("AddMatch", "s", "type='signal',member='Other'"));
        f.send(d, driverCall("AddMatch", "s", "type='signal',sender=':1.0',path='/obj'"));
        f.send(a, driverCall("AddMatch", "s", "type='signal',sender=':1.0'"));
        f.send(a, SimpleMessage.signal("/obj", "com.example.I", "Changed"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(f.decision.hasAddressedRecipient()).isFalse();
        assertThat(f.decision.toCluster()).isFalse();
        assertThat(recipients()).containsExactlyInAnyOrder(a, b, d);
        f.send(b, SimpleMessage.signal("/obj", "com.example.I", "Changed"));
        assertThat(recipients()).containsExactly(b);
    }

    @Test
    void unicastSignalGoesToItsDestination()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        final Peer c = f.client(1000);
        f.send(c, driverCall("AddMatch", "s", "type='signal'"));
        f.send(a, SimpleMessage.signal("/obj", "com.example.I", "S").destination(":1.1"));
        assertThat(recipients()).containsExactly(b);
        assertThat(f.bus.replies().size()).isZero();
    }

    @Test
    void eavesdroppersGetCopiesOfUnicast()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        final Peer spy = f.client(BusFixture.BUS_UID);
        f.send(spy, driverCall("AddMatch", "s", "type='method_call',eavesdrop='true'"));
        f.send(a, call(":1.1"));
        assertThat(recipients()).containsExactly(b, spy);
        // the spy is not expected to reply
        assertThat(f.bus.replies().size()).isEqualTo(1);
        // messages to the driver are not eavesdropped
        f.send(a, driverCall("GetId"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DRIVER);
        assertThat(recipients()).isEmpty();
    }

    @Test
    void sendAndReceivePolicy()
    {
        final BusFixture g = new BusFixture(BusFixture.config("<policy context='default'><allow own='*'/>" +
            "<allow send_destination='*'/><allow receive_sender='*'/>" +
            "<deny send_interface='com.example.Forbidden'/></policy>" +
            "<policy user='bob'><deny receive_interface='com.example.Private'/></policy>"));
        final Peer alice = g.client(1000);
        final Peer bob = g.client(1001);
        isError(single(g.send(alice, SimpleMessage.methodCall(":1.1", "/o", "com.example.Forbidden", "M")), alice),
            DBusErrors.ACCESS_DENIED, "Rejected send message, 2 matched rules; type=\"method_call\", " +
            "sender=\":1.0\" (uid=1000 pid=6000 comm=\"\") interface=\"com.example.Forbidden\" member=\"M\" " +
            "error name=\"(unset)\" requested_reply=\"0\" destination=\":1.1\" (uid=1001 pid=6001 comm=\"\")");
        isError(single(g.send(alice, SimpleMessage.methodCall(":1.1", "/o", "com.example.Private", "M")), alice),
            DBusErrors.ACCESS_DENIED, "Rejected receive message, 2 matched rules; type=\"method_call\", " +
            "sender=\":1.0\" (uid=1000 pid=6000 comm=\"\") interface=\"com.example.Private\" member=\"M\" " +
            "error name=\"(unset)\" requested_reply=\"0\" destination=\":1.1\" (uid=1001 pid=6001 comm=\"\")");
        // broadcasts are filtered silently
        g.send(bob, driverCall("AddMatch", "s", "type='signal'"));
        g.send(alice, SimpleMessage.signal("/o", "com.example.Private", "S"));
        assertThat(g.decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(recipients(g)).isEmpty();
        g.send(alice, SimpleMessage.signal("/o", "com.example.Public", "S"));
        assertThat(recipients(g)).containsExactly(bob);
    }

    private static List<Peer> recipients(final BusFixture g)
    {
        final List<Peer> result = new ArrayList<>();
        for (int i = 0; i < g.decision.recipients().size(); i++)
        {
            result.add(g.decision.recipients().get(i));
        }
        return result;
    }

    @Test
    void messagesToTheDriverAreSubjectToSendPolicy()
    {
        final BusFixture g = new BusFixture(BusFixture.config("<policy context='default'><allow own='*'/>" +
            "<allow send_destination='*'/><allow receive_sender='*'/>" +
            "<deny send_destination='org.freedesktop.DBus' send_interface='org.freedesktop.DBus' " +
            "send_member='GetId'/></policy>"));
        final Peer a = g.client(1000);
        isError(single(g.send(a, driverCall("GetId")), a), DBusErrors.ACCESS_DENIED, "Rejected send message, " +
            "2 matched rules; type=\"method_call\", sender=\":1.0\" (uid=1000 pid=6000 comm=\"\") " +
            "interface=\"org.freedesktop.DBus\" member=\"GetId\" error name=\"(unset)\" requested_reply=\"0\" " +
            "destination=\"org.freedesktop.DBus\" (bus)");
    }

    @Test
    void unixFdsNeedARecipientThatSupportsThem()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        isError(single(f.send(a, call(":1.1").unixFds(1)), a), DBusErrors.NOT_SUPPORTED,
            "Tried to send message with Unix file descriptorsto a client that doesn't support that.");
        assertThat(f.bus.replies().size()).isZero();
        b.unixFdsEnabled(true);
        f.send(a, call(":1.1").unixFds(1));
        assertThat(recipients()).containsExactly(b);
        // broadcast recipients without fd support are skipped
        final Peer c = f.client(1000);
        f.send(c, driverCall("AddMatch", "s", "type='signal'"));
        f.send(b, driverCall("AddMatch", "s", "type='signal'"));
        f.send(a, SimpleMessage.signal("/o", "a.b", "S").unixFds(1));
        assertThat(recipients()).containsExactly(b);
    }

    @Test
    void fullQueueIsLimitsExceeded()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        b.outgoingQueueFull(true);
        final SimpleMessage m = single(f.send(a, call(":1.1")), a);
        assertThat(m.errorName()).isEqualTo(DBusErrors.LIMITS_EXCEEDED);
        assertThat((String)m.body()[0]).startsWith("Rejected: destination has a full message queue, 0 matched rules;");
    }

    @Test
    void disconnectReleasesNamesInOrderAndDropsRulesAboutThePeer()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        final Peer watcher = f.client(1000);
        f.send(watcher, driverCall("AddMatch", "s", "member='NameOwnerChanged'"));
        f.send(watcher, driverCall("AddMatch", "s", "sender=':1.0'"));
        f.send(a, driverCall("RequestName", "su", "com.example.One", 0L));
        f.send(a, driverCall("RequestName", "su", "com.example.Two", 0L));
        f.send(b, driverCall("RequestName", "su", "com.example.Two", 0L));
        f.drain();
        f.bus.disconnect(a);
        assertThat(transcript(f.drain())).containsExactly(
            ":1.2 signal NameOwnerChanged [com.example.Two, :1.0, :1.1]",
            ":1.1 signal NameAcquired [com.example.Two]",
            ":1.2 signal NameOwnerChanged [com.example.One, :1.0, ]",
            ":1.2 signal NameOwnerChanged [:1.0, :1.0, ]");
        assertThat(f.bus.matches().count(watcher)).isEqualTo(1);
        assertThat(f.bus.names().listNames()).containsExactly("com.example.Two", ":1.1", ":1.2");
        // messages from a gone peer are dropped
        f.send(a, call(":1.1"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DROPPED);
    }

    @Test
    void aMonitorMustNotSend()
    {
        final Peer a = f.client(1000);
        a.state(Peer.STATE_MONITOR);
        f.send(a, call(":1.0"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DISCONNECT);
    }
}
