package org.omnibus.bus.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.MessageFlags;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.SimpleMessage;

class PolicySemanticsTest
{
    private static final long ALICE = 1000;
    private static final long BOB = 1001;
    private static final long RECEIVER = PeerIds.id(1, 7);
    private static final long SENDER = PeerIds.id(1, 8);

    /** A fake name registry: peer id to the names it owns or waits for. */
    static final class Names implements NameOwnershipView
    {
        final Map<Long, Set<String>> owned = new HashMap<>();

        Names own(final long peer, final String name)
        {
            owned.computeIfAbsent(peer, (k) -> new HashSet<>()).add(name);
            return this;
        }

        public boolean isInQueue(final long peerId, final CharSequence name)
        {
            return owned.getOrDefault(peerId, Set.of()).contains(name.toString());
        }

        public boolean isQueuedOwnerByPrefix(final long peerId, final CharSequence prefix)
        {
            for (final String n : owned.getOrDefault(peerId, Set.of()))
            {
                if (DBusNames.startsWithWords(n, prefix))
                {
                    return true;
                }
            }
            return false;
        }
    }

    private static PolicySnapshot snapshot(final String policies, final long uid, final long... gids)
    {
        final BusConfig config = new BusConfigParser(BusConfigParserTest.USERS)
            .parse("<busconfig>" + policies + "</busconfig>", Path.of("."));
        return config.policy().snapshot(uid, gids);
    }

    private static boolean send(final PolicySnapshot p, final SimpleMessage m, final long receiver, final Names names)
    {
        return PolicySnapshot.isAllowed(p.checkSend(m, false, receiver, names));
    }

    private static boolean receive(final PolicySnapshot p, final SimpleMessage m, final long sender,
        final boolean eavesdropping, final Names names)
    {
        return PolicySnapshot.isAllowed(p.checkReceive(m, false, sender, eavesdropping, names));
    }

    private static SimpleMessage call(final String destination, final String iface, final String member)
    {
        return SimpleMessage.methodCall(destination, "/obj", iface, member);
    }

    @Test
    void laterRulesWinAndNothingMatchingDenies()
    {
        final PolicySnapshot p = snapshot("<policy context='default'><allow own='*'/><deny own='a.b'/>" +
            "<allow own_prefix='a.b.c'/></policy>", ALICE);
        assertThat(p.canOwn("x.y")).isTrue();
        assertThat(p.canOwn("a.b")).isFalse();
        assertThat(p.canOwn("a.b.c")).isTrue();
        assertThat(p.canOwn("a.b.c.d")).isTrue();
        assertThat(p.canOwn("a.b.cd")).isTrue();
        assertThat(snapshot("", ALICE).canOwn("x.y")).isFalse();
        assertThat(PolicySnapshot.isAllowed(snapshot("", ALICE).checkSend(call(":1.1", "a.b", "M"), false,
            RECEIVER, new Names()))).isFalse();
    }

    @Test
    void orderIsDefaultGroupsUserMandatory()
    {
        final String policies = "<policy context='mandatory'><deny own='m.m'/></policy>" +
            "<policy user='alice'><allow own='m.m'/><deny own='g.g'/></policy>" +
            "<policy group='wheel'><allow own='g.g'/><allow own='u.u'/></policy>" +
            "<policy context='default'><allow own='*'/><deny own='u.u'/></policy>";
        final PolicySnapshot alice = snapshot(policies, ALICE, 10);
        assertThat(alice.canOwn("m.m")).isFalse();
        assertThat(alice.canOwn("g.g")).isFalse();
        assertThat(alice.canOwn("u.u")).isTrue();
        final PolicySnapshot bobInWheel = snapshot(policies, BOB, 10);
        assertThat(bobInWheel.canOwn("g.g")).isTrue();
        assertThat(bobInWheel.canOwn("u.u")).isTrue();
        final PolicySnapshot bob = snapshot(policies, BOB);
        assertThat(bob.canOwn("u.u")).isFalse();
        assertThat(bob.canOwn("x.x")).isTrue();
    }

    @Test
    void catchAllRuleDropsEarlierRulesOfItsKind()
    {
        final PolicySnapshot p = snapshot("<policy context='default'><allow own='a.b'/><allow send_type='signal'/>" +
            "<deny own='*'/><allow own='c.d'/></policy>", ALICE);
        assertThat(p.rules()).hasSize(3);
        assertThat(p.canOwn("a.b")).isFalse();
        assertThat(p.canOwn("c.d")).isTrue();
    }

    @Test
    void sendDestinationLooksAtTheReceiversNames()
    {
        final PolicySnapshot p = snapshot("<policy context='default'><allow send_destination='*'/>" +
            "<deny send_destination='com.secret'/><allow send_destination='com.secret' send_member='Open' " +
            "send_interface='com.secret.I'/></policy>", ALICE);
        final Names names = new Names().own(RECEIVER, "com.secret");
        assertThat(send(p, call(":1.7", "com.secret.I", "Close"), RECEIVER, names)).isFalse();
        assertThat(send(p, call(":1.7", "com.secret.I", "Open"), RECEIVER, names)).isTrue();
        assertThat(send(p, call(":1.7", "com.secret.I", "Close"), RECEIVER, new Names())).isTrue();
        // no interface: the allow rule with send_interface does not apply
        assertThat(send(p, call(":1.7", null, "Open"), RECEIVER, names)).isFalse();
        final PolicySnapshot prefix = snapshot("<policy context='default'><allow send_destination='*'/>" +
            "<deny send_destination_prefix='com.secret'/></policy>", ALICE);
        assertThat(send(prefix, call(":1.7", "a.b", "M"), RECEIVER, new Names().own(RECEIVER, "com.secret.x")))
            .isFalse();
        assertThat(send(prefix, call(":1.7", "a.b", "M"), RECEIVER, new Names().own(RECEIVER, "com.secretx")))
            .isTrue();
        // the bus driver is matched by the destination header
        assertThat(send(p, call("com.secret", "com.secret.I", "Close"), PeerIds.NONE, names)).isFalse();
        assertThat(send(prefix, call("com.secret.a", "a.b", "M"), PeerIds.NONE, names)).isFalse();
    }

    @Test
    void denyRuleWithInterfaceAppliesToMessagesWithoutInterface()
    {
        final PolicySnapshot p = snapshot("<policy context='default'><allow send_destination='*'/>" +
            "<deny send_interface='com.x.I'/></policy>", ALICE);
        assertThat(send(p, call(":1.7", null, "M"), RECEIVER, new Names())).isFalse();
        assertThat(send(p, call(":1.7", "com.x.J", "M"), RECEIVER, new Names())).isTrue();
    }

    @Test
    void requestedReplySemantics()
    {
        final PolicySnapshot p = snapshot("<policy context='default'>" +
            "<allow send_requested_reply='true' send_type='method_return'/>" +
            "<allow send_type='error'/><deny send_requested_reply='false' send_type='error' send_error='x.y.Z'/>" +
            "</policy>", ALICE);
        final SimpleMessage ret = SimpleMessage.methodReturn(":1.7", 5);
        assertThat(PolicySnapshot.isAllowed(p.checkSend(ret, true, RECEIVER, new Names()))).isTrue();
        assertThat(PolicySnapshot.isAllowed(p.checkSend(ret, false, RECEIVER, new Names()))).isFalse();
        assertThat(PolicySnapshot.matchedRules(p.checkSend(ret, false, RECEIVER, new Names()))).isZero();
        final SimpleMessage err = SimpleMessage.error(":1.7", 5, "x.y.Z", "boom");
        // a deny with requested_reply=false only applies to unrequested replies
        assertThat(PolicySnapshot.isAllowed(p.checkSend(err, true, RECEIVER, new Names()))).isTrue();
        assertThat(PolicySnapshot.isAllowed(p.checkSend(err, false, RECEIVER, new Names()))).isFalse();
        assertThat(PolicySnapshot.matchedRules(p.checkSend(err, false, RECEIVER, new Names()))).isEqualTo(2);
    }

    @Test
    void receiveSenderAndEavesdropping()
    {
        final PolicySnapshot p = snapshot("<policy context='default'><allow receive_type='signal'/>" +
            "<allow receive_type='method_call' eavesdrop='true'/>" +
            "<deny receive_sender='com.bad'/><deny receive_interface='a.b' eavesdrop='true'/></policy>", ALICE);
        final Names names = new Names().own(SENDER, "com.bad");
        final SimpleMessage sig = SimpleMessage.signal("/o", "c.d", "S");
        assertThat(receive(p, sig, SENDER, false, new Names())).isTrue();
        assertThat(receive(p, sig, SENDER, false, names)).isFalse();
        // an allow rule without eavesdrop does not let eavesdroppers in
        assertThat(receive(p, sig.destination(":1.3"), SENDER, true, new Names())).isFalse();
        assertThat(receive(p, call(":1.3", "c.d", "M"), SENDER, true, new Names())).isTrue();
        // a deny rule with eavesdrop only applies when eavesdropping
        assertThat(receive(p, call(":1.3", "a.b", "M"), SENDER, false, new Names())).isTrue();
        assertThat(receive(p, call(":1.3", "a.b", "M"), SENDER, true, new Names())).isFalse();
        // messages from the bus driver match receive_sender by name
        final PolicySnapshot fromBus = snapshot("<policy context='default'><allow receive_type='signal'/>" +
            "<deny receive_sender='org.freedesktop.DBus'/></policy>", ALICE);
        assertThat(receive(fromBus, sig, PeerIds.NONE, false, new Names())).isFalse();
        assertThat(receive(fromBus, sig, SENDER, false, new Names())).isTrue();
    }

    @Test
    void broadcastAndFds()
    {
        final PolicySnapshot p = snapshot("<policy context='default'><allow send_type='signal'/>" +
            "<deny send_type='signal' send_broadcast='true'/><allow send_type='method_call'/>" +
            "<deny send_type='method_call' min_fds='1'/><allow send_type='method_call' min_fds='3'/></policy>",
            ALICE);
        final SimpleMessage broadcastSignal = SimpleMessage.signal("/o", "a.b", "S");
        assertThat(send(p, broadcastSignal, RECEIVER, new Names())).isFalse();
        assertThat(send(p, SimpleMessage.signal("/o", "a.b", "S").destination(":1.7"), RECEIVER, new Names()))
            .isTrue();
        assertThat(send(p, call(":1.7", "a.b", "M").unixFds(1), RECEIVER, new Names())).isFalse();
        assertThat(send(p, call(":1.7", "a.b", "M").unixFds(3), RECEIVER, new Names())).isTrue();
        assertThat(send(p, call(":1.7", "a.b", "M"), RECEIVER, new Names())).isTrue();
    }

    @Test
    void catchAllIgnoresFdAndBroadcastAttributesLikeDbusDaemon()
    {
        // bus_client_policy_optimize only looks at type, path, interface, member, error and destination
        final PolicySnapshot p = snapshot("<policy context='default'><allow send_type='signal'/>" +
            "<deny send_destination='*' min_fds='1'/></policy>", ALICE);
        assertThat(p.rules()).hasSize(1);
        assertThat(send(p, SimpleMessage.signal("/o", "a.b", "S"), RECEIVER, new Names())).isFalse();
    }

    @Test
    void whoMayConnect()
    {
        final Policy none = new Policy();
        assertThat(none.allowsUnixUser(ALICE, new long[0], ALICE)).isTrue();
        assertThat(none.allowsUnixUser(BOB, new long[0], ALICE)).isFalse();
        final BusConfig config = new BusConfigParser(BusConfigParserTest.USERS).parse("<busconfig>" +
            "<policy context='default'><allow user='*'/><deny group='wheel'/></policy>" +
            "<policy context='mandatory'><allow user='alice'/></policy></busconfig>", Path.of("."));
        assertThat(config.policy().allowsUnixUser(BOB, new long[0], 0)).isTrue();
        assertThat(config.policy().allowsUnixUser(BOB, new long[]{10}, 0)).isFalse();
        assertThat(config.policy().allowsUnixUser(ALICE, new long[]{10}, 0)).isTrue();
    }

    /** Semantics of the session.conf dbus ships: everything is allowed. */
    static void checkSessionSemantics(final BusConfig config)
    {
        final PolicySnapshot p = config.policy().snapshot(ALICE, new long[]{ALICE});
        final Names names = new Names();
        assertThat(p.canOwn("com.example.Anything")).isTrue();
        assertThat(send(p, call(":1.7", "a.b", "M"), RECEIVER, names)).isTrue();
        assertThat(send(p, SimpleMessage.signal("/o", "a.b", "S"), RECEIVER, names)).isTrue();
        assertThat(PolicySnapshot.isAllowed(p.checkSend(SimpleMessage.methodReturn(":1.7", 3), false, RECEIVER,
            names))).isTrue();
        assertThat(receive(p, call(":1.7", "a.b", "M"), SENDER, false, names)).isTrue();
        assertThat(receive(p, call(":1.3", "a.b", "M"), SENDER, true, names)).isTrue();
    }

    /** Semantics of the system.conf dbus ships (plus its system.d files). */
    static void checkSystemSemantics(final BusConfig config, final boolean withSystemD)
    {
        final PolicySnapshot alice = config.policy().snapshot(ALICE, new long[]{ALICE});
        final Names names = new Names();
        assertThat(config.policy().allowsUnixUser(ALICE, new long[]{ALICE}, 100)).isTrue();
        assertThat(alice.canOwn("com.example.Anything")).isFalse();
        assertThat(send(alice, call(":1.7", "a.b", "M"), RECEIVER, names)).isFalse();
        assertThat(send(alice, SimpleMessage.signal("/o", "a.b", "S"), RECEIVER, names)).isTrue();
        final SimpleMessage ret = SimpleMessage.methodReturn(":1.7", 3);
        assertThat(PolicySnapshot.isAllowed(alice.checkSend(ret, true, RECEIVER, names))).isTrue();
        assertThat(PolicySnapshot.isAllowed(alice.checkSend(ret, false, RECEIVER, names))).isFalse();
        final SimpleMessage err = SimpleMessage.error(":1.7", 3, "a.b.E", "x");
        assertThat(PolicySnapshot.isAllowed(alice.checkSend(err, false, RECEIVER, names))).isFalse();
        for (final String type : new String[]{"method_call", "method_return", "error", "signal"})
        {
            final SimpleMessage m = type.equals("method_call") ? call(":1.7", "a.b", "M") :
                type.equals("signal") ? SimpleMessage.signal("/o", "a.b", "S") :
                type.equals("error") ? err : ret;
            assertThat(PolicySnapshot.isAllowed(alice.checkReceive(m, true, SENDER, false, names))).as(type).isTrue();
        }
        // the bus driver: its own interfaces, but not UpdateActivationEnvironment or Debug.Stats
        final SimpleMessage getId = call(DBusNames.DBUS_SERVICE, DBusNames.DBUS_INTERFACE, "GetId");
        assertThat(send(alice, getId, PeerIds.NONE, names)).isTrue();
        assertThat(send(alice, call(DBusNames.DBUS_SERVICE, "org.freedesktop.DBus.Introspectable", "Introspect"),
            PeerIds.NONE, names)).isTrue();
        assertThat(send(alice, call(DBusNames.DBUS_SERVICE, DBusNames.DBUS_INTERFACE,
            "UpdateActivationEnvironment"), PeerIds.NONE, names)).isFalse();
        assertThat(send(alice, call(DBusNames.DBUS_SERVICE, "org.freedesktop.DBus.Debug.Stats", "GetStats"),
            PeerIds.NONE, names)).isFalse();
        final PolicySnapshot root = config.policy().snapshot(0, new long[]{0});
        assertThat(send(root, call(DBusNames.DBUS_SERVICE, "org.freedesktop.DBus.Debug.Stats", "GetStats"),
            PeerIds.NONE, names)).isTrue();
        assertThat(send(root, call(DBusNames.DBUS_SERVICE, "org.freedesktop.DBus.Monitoring", "BecomeMonitor")
            .flags(MessageFlags.NO_REPLY_EXPECTED), PeerIds.NONE, names)).isTrue();
        assertThat(send(alice, call(DBusNames.DBUS_SERVICE, "org.freedesktop.DBus.Monitoring", "BecomeMonitor"),
            PeerIds.NONE, names)).isFalse();

        if (withSystemD && Files.isRegularFile(Path.of("/usr/share/dbus-1/system.d/org.freedesktop.login1.conf")))
        {
            final Names login1 = new Names().own(RECEIVER, "org.freedesktop.login1");
            assertThat(root.canOwn("org.freedesktop.login1")).isTrue();
            assertThat(alice.canOwn("org.freedesktop.login1")).isFalse();
            assertThat(send(alice, call(":1.7", "org.freedesktop.login1.Manager", "ListSessions"), RECEIVER,
                login1)).isTrue();
            assertThat(send(alice, call(":1.7", "org.freedesktop.login1.Manager", "NoSuchMethod"), RECEIVER,
                login1)).isFalse();
            assertThat(send(alice, call(":1.7", "org.freedesktop.DBus.Peer", "Ping"), RECEIVER, login1)).isTrue();
        }
    }

    @Test
    void craftedSystemLikeConfiguration()
    {
        final BusConfig config = new BusConfigParser(BusConfigParserTest.USERS).parse("<busconfig>" +
            "<type>system</type><policy context='default'><allow user='*'/><deny own='*'/>" +
            "<deny send_type='method_call'/><allow send_type='signal'/>" +
            "<allow send_requested_reply='true' send_type='method_return'/>" +
            "<allow send_requested_reply='true' send_type='error'/>" +
            "<allow receive_type='method_call'/><allow receive_type='method_return'/>" +
            "<allow receive_type='error'/><allow receive_type='signal'/>" +
            "<allow send_destination='org.freedesktop.DBus' send_interface='org.freedesktop.DBus'/>" +
            "<allow send_destination='org.freedesktop.DBus' send_interface='org.freedesktop.DBus.Introspectable'/>" +
            "<deny send_destination='org.freedesktop.DBus' send_interface='org.freedesktop.DBus' " +
            "send_member='UpdateActivationEnvironment'/>" +
            "<deny send_destination='org.freedesktop.DBus' send_interface='org.freedesktop.DBus.Debug.Stats'/>" +
            "</policy><policy user='root'>" +
            "<allow send_destination='org.freedesktop.DBus' send_interface='org.freedesktop.DBus.Debug.Stats'/>" +
            "</policy><policy user='root'>" +
            "<allow send_destination='org.freedesktop.DBus' send_interface='org.freedesktop.DBus.Monitoring'/>" +
            "</policy></busconfig>", Path.of("."));
        checkSystemSemantics(config, false);
    }
}
