package org.omnibus.bus.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.bus.BusFixture.driverCall;
import static org.omnibus.bus.BusFixture.single;
import static org.omnibus.bus.BusFixture.transcript;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omnibus.bus.BusFixture;
import org.omnibus.bus.BusOutput;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.router.RoutingDecision;

/**
 * BecomeMonitor as dbus-daemon 1.14 does it (checked against a running dbus-daemon).
 */
class MonitorTest
{
    private final BusFixture f = new BusFixture();

    private List<Peer> monitors()
    {
        final List<Peer> result = new ArrayList<>();
        for (int i = 0; i < f.decision.monitors().size(); i++)
        {
            result.add(f.decision.monitors().get(i));
        }
        return result;
    }

    private static SimpleMessage becomeMonitor(final String... rules)
    {
        return driverCall("BecomeMonitor", "asu", List.of(rules), 0L).interfaceName("org.freedesktop.DBus.Monitoring");
    }

    @Test
    void becomingAMonitorReleasesNamesInJoinOrderAfterTheAck()
    {
        final Peer watcher = f.client(1000);
        f.send(watcher, driverCall("AddMatch", "s", "member='NameOwnerChanged'"));
        final Peer m = f.client(BusFixture.BUS_UID);
        f.send(m, driverCall("RequestName", "su", "com.mon.Name", 0L));
        f.drain();
        final List<BusOutput> out = f.send(m, becomeMonitor());
        assertThat(transcript(out)).containsExactly(
            ":1.1 method_return  []",
            ":1.1 signal NameLost [:1.1]",
            ":1.0 signal NameOwnerChanged [:1.1, :1.1, ]",
            ":1.1 signal NameLost [com.mon.Name]",
            ":1.0 signal NameOwnerChanged [com.mon.Name, :1.1, ]");
        assertThat(m.state()).isEqualTo(Peer.STATE_MONITOR);
        assertThat(f.bus.names().listNames()).containsExactly(":1.0");
        assertThat(f.bus.matches().hasMonitors()).isTrue();
        // a monitor may not send
        f.send(m, driverCall("GetId"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DISCONNECT);
    }

    @Test
    void aMonitorGetsCopiesOfWhatItsRulesSelect()
    {
        final Peer m = f.client(BusFixture.BUS_UID);
        f.send(m, becomeMonitor());
        f.drain();
        final Peer a = f.connect(1000);
        final List<BusOutput> hello = f.send(a, BusFixture.hello());
        assertThat(monitors()).containsExactly(m);
        assertThat(transcript(hello)).containsExactly(
            ":1.1 :1.0 method_return  [:1.1]",
            ":1.0 signal NameOwnerChanged [:1.1, , :1.1]",
            ":1.1 :1.0 signal NameAcquired [:1.1]");
        final Peer b = f.client(1000);
        f.drain();
        final SimpleMessage call = SimpleMessage.methodCall(":1.2", "/o", "com.ex.I", "Do");
        f.send(a, call);
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(f.decision.recipients().get(0)).isEqualTo(b);
        assertThat(monitors()).containsExactly(m);
        f.send(a, SimpleMessage.signal("/o", "com.ex.I", "Sig"));
        assertThat(monitors()).containsExactly(m);
        // errors the bus sends are copied too
        final List<BusOutput> error = f.send(a, SimpleMessage.methodCall("no.such.Name", "/o", "a.b", "M"));
        assertThat(monitors()).containsExactly(m);
        assertThat(error.get(0).recipients()).containsExactly(a, m);
    }

    @Test
    void monitorRulesFilter()
    {
        final Peer m = f.client(BusFixture.BUS_UID);
        f.send(m, becomeMonitor("type='signal'", "destination=':1.2'"));
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        f.drain();
        f.send(a, SimpleMessage.methodCall(":1.2", "/o", "com.ex.I", "Do"));
        assertThat(monitors()).containsExactly(m);
        f.send(b, SimpleMessage.methodCall(":1.1", "/o", "com.ex.I", "Do"));
        assertThat(monitors()).isEmpty();
        f.send(b, SimpleMessage.signal("/o", "com.ex.I", "Sig"));
        assertThat(monitors()).containsExactly(m);
        f.bus.disconnect(m);
        assertThat(f.bus.matches().hasMonitors()).isFalse();
    }

    @Test
    void errors()
    {
        final Peer other = f.client(1001);
        assertThat(single(f.send(other, becomeMonitor()), other).errorName()).isEqualTo(DBusErrors.ACCESS_DENIED);
        final Peer m = f.client(BusFixture.BUS_UID);
        assertThat(single(f.send(m, driverCall("BecomeMonitor", "asu", List.of(), 1L)
            .interfaceName("org.freedesktop.DBus.Monitoring")), m).body())
            .containsExactly("BecomeMonitor does not support any flags yet");
        assertThat(single(f.send(m, becomeMonitor("type='nope'")), m).errorName())
            .isEqualTo(DBusErrors.MATCH_RULE_INVALID);
        assertThat(single(f.send(m, becomeMonitor().path("/elsewhere")), m).errorName())
            .isEqualTo(DBusErrors.UNKNOWN_INTERFACE);
        assertThat(m.isRegistered()).isTrue();
    }
}
