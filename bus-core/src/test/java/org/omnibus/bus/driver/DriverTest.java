package org.omnibus.bus.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.bus.BusFixture.driverCall;
import static org.omnibus.bus.BusFixture.hello;
import static org.omnibus.bus.BusFixture.single;
import static org.omnibus.bus.BusFixture.transcript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.omnibus.bus.BusContext;
import org.omnibus.bus.BusFixture;
import org.omnibus.bus.BusOutput;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.MessageFlags;
import org.omnibus.bus.MessageType;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.codec.dbus.DBusVariant;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.router.RoutingDecision;

class DriverTest
{
    private final BusFixture f = new BusFixture();

    private static void isError(final SimpleMessage m, final String name, final String text)
    {
        assertThat(m.type()).isEqualTo(MessageType.ERROR);
        assertThat(m.errorName()).isEqualTo(name);
        assertThat(m.body()).containsExactly(text);
        assertThat(m.sender()).isEqualTo(DBusNames.DBUS_SERVICE);
    }

    private static void isReply(final SimpleMessage m, final String signature, final Object... values)
    {
        assertThat(m.type()).as(m.toString()).isEqualTo(MessageType.METHOD_RETURN);
        assertThat(m.signature()).isEqualTo(signature);
        assertThat(m.body()).containsExactly(values);
        assertThat(m.sender()).isEqualTo(DBusNames.DBUS_SERVICE);
        assertThat(m.flags() & MessageFlags.NO_REPLY_EXPECTED).isNotZero();
    }

    private SimpleMessage callOne(final Peer peer, final SimpleMessage call)
    {
        final List<BusOutput> out = f.send(peer, call);
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DRIVER);
        final SimpleMessage answer = single(out, peer);
        assertThat(answer.replySerial()).isEqualTo(call.serial());
        return answer;
    }

    @Test
    void helloRepliesFirstThenNameAcquired()
    {
        final Peer watcher = f.client(1000);
        f.send(watcher, driverCall("AddMatch", "s", "member='NameOwnerChanged'"));
        final Peer peer = f.connect(1000);
        final SimpleMessage hello = hello();
        final List<BusOutput> out = f.send(peer, hello);
        assertThat(transcript(out)).containsExactly(
            ":1.1 method_return  [:1.1]",
            ":1.0 signal NameOwnerChanged [:1.1, , :1.1]",
            ":1.1 signal NameAcquired [:1.1]");
        assertThat(out.get(0).message().replySerial()).isEqualTo(hello.serial());
        assertThat(out.get(0).message().destination()).isEqualTo(":1.1");
        assertThat(out.get(2).message().destination()).isEqualTo(":1.1");
        assertThat(out.get(2).message().path()).isEqualTo(DBusNames.DBUS_PATH);
        assertThat(out.get(1).message().destination()).isNull();
        assertThat(peer.isRegistered()).isTrue();
        isError(callOne(peer, hello()), DBusErrors.FAILED, "Already handled an Hello message");
    }

    @Test
    void onlyHelloBeforeHello()
    {
        final Peer peer = f.connect(1000);
        final SimpleMessage answer = single(f.send(peer, driverCall("GetId")), peer);
        isError(answer, DBusErrors.ACCESS_DENIED,
            "Client tried to send a message other than Hello without being registered");
        assertThat(answer.destination()).isNull();
        f.send(peer, SimpleMessage.methodCall(":1.5", "/", "a.b", "M"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DISCONNECT);
        f.send(peer, SimpleMessage.signal("/", "a.b", "S"));
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DISCONNECT);
        assertThat(transcript(f.send(peer, hello()))).containsExactly(":1.0 method_return  [:1.0]",
            ":1.0 signal NameAcquired [:1.0]");
    }

    @Test
    void requestNameSignalsComeBeforeTheReply()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1000);
        f.send(b, driverCall("AddMatch", "s", "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'," +
            "arg0='com.example.Svc'"));
        assertThat(transcript(f.send(a, driverCall("RequestName", "su", "com.example.Svc", 1L)))).containsExactly(
            ":1.1 signal NameOwnerChanged [com.example.Svc, , :1.0]",
            ":1.0 signal NameAcquired [com.example.Svc]",
            ":1.0 method_return  [1]");
        assertThat(transcript(f.send(b, driverCall("RequestName", "su", "com.example.Svc", 0L))))
            .containsExactly(":1.1 method_return  [2]");
        assertThat(transcript(f.send(b, driverCall("RequestName", "su", "com.example.Svc", 2L)))).containsExactly(
            ":1.0 signal NameLost [com.example.Svc]",
            ":1.1 signal NameOwnerChanged [com.example.Svc, :1.0, :1.1]",
            ":1.1 signal NameAcquired [com.example.Svc]",
            ":1.1 method_return  [1]");
        assertThat(transcript(f.send(b, driverCall("ReleaseName", "s", "com.example.Svc")))).containsExactly(
            ":1.1 signal NameLost [com.example.Svc]",
            ":1.1 signal NameOwnerChanged [com.example.Svc, :1.1, :1.0]",
            ":1.0 signal NameAcquired [com.example.Svc]",
            ":1.1 method_return  [1]");
        assertThat(transcript(f.send(b, driverCall("ReleaseName", "s", "com.example.Svc"))))
            .containsExactly(":1.1 method_return  [3]");
        assertThat(transcript(f.send(b, driverCall("ReleaseName", "s", "com.example.None"))))
            .containsExactly(":1.1 method_return  [2]");
    }

    @Test
    void requestNameErrors()
    {
        final Peer a = f.client(1000);
        isError(callOne(a, driverCall("RequestName", "su", "foo", 0L)), DBusErrors.INVALID_ARGS,
            "Requested bus name \"foo\" is not valid");
        isError(callOne(a, driverCall("RequestName", "su", ":1.5", 0L)), DBusErrors.INVALID_ARGS,
            "Cannot acquire a service starting with ':' such as \":1.5\"");
        isError(callOne(a, driverCall("RequestName", "su", "org.freedesktop.DBus", 0L)), DBusErrors.INVALID_ARGS,
            "Connection \":1.0\" is not allowed to own the service \"org.freedesktop.DBus\"because it is reserved " +
            "for D-Bus' use only");
        isError(callOne(a, driverCall("RequestName", "s", "a.b")), DBusErrors.INVALID_ARGS,
            "Call to RequestName has wrong args (s, expected su)\n");
        isError(callOne(a, driverCall("ReleaseName", "s", "foo")), DBusErrors.INVALID_ARGS,
            "Given bus name \"foo\" is not valid");
        isError(callOne(a, driverCall("ReleaseName", "s", ":1.0")), DBusErrors.INVALID_ARGS,
            "Cannot release a service starting with ':' such as \":1.0\"");
        isError(callOne(a, driverCall("ReleaseName", "s", "org.freedesktop.DBus")), DBusErrors.INVALID_ARGS,
            "Cannot release the org.freedesktop.DBus service because it is owned by the bus");
    }

    @Test
    void requestNameRefusedByPolicyAndLimit()
    {
        final BusFixture g = new BusFixture(BusFixture.config("<policy context='default'><allow own='*'/>" +
            "<deny own='com.secret'/><allow send_destination='*'/><allow receive_sender='*'/></policy>" +
            "<limit name='max_names_per_connection'>2</limit>"));
        final Peer a = g.client(1000);
        isError(single(g.send(a, driverCall("RequestName", "su", "com.secret", 0L)), a), DBusErrors.ACCESS_DENIED,
            "Connection \":1.0\" is not allowed to own the service \"com.secret\" due to security policies in the " +
            "configuration file");
        assertThat(transcript(g.send(a, driverCall("RequestName", "su", "a.b", 0L))))
            .endsWith(":1.0 method_return  [1]");
        isError(single(g.send(a, driverCall("RequestName", "su", "c.d", 0L)), a), DBusErrors.LIMITS_EXCEEDED,
            "Connection \":1.0\" is not allowed to own more services (increase limits in configuration file if " +
            "required; max_names_per_connection=2)");
    }

    @Test
    void nameQueries()
    {
        final Peer a = f.client(1000);
        final Peer b = f.client(1001);
        f.send(a, driverCall("RequestName", "su", "com.example.Svc", 0L));
        f.send(b, driverCall("RequestName", "su", "com.example.Svc", 0L));
        isReply(callOne(a, driverCall("ListQueuedOwners", "s", "com.example.Svc")), "as", List.of(":1.0", ":1.1"));
        isReply(callOne(a, driverCall("ListQueuedOwners", "s", "org.freedesktop.DBus")), "as",
            List.of("org.freedesktop.DBus"));
        isError(callOne(a, driverCall("ListQueuedOwners", "s", "no.such")), DBusErrors.NAME_HAS_NO_OWNER,
            "Could not get owners of name 'no.such': no such name");
        isReply(callOne(a, driverCall("GetNameOwner", "s", "com.example.Svc")), "s", ":1.0");
        isReply(callOne(a, driverCall("GetNameOwner", "s", ":1.1")), "s", ":1.1");
        isReply(callOne(a, driverCall("GetNameOwner", "s", "org.freedesktop.DBus")), "s", "org.freedesktop.DBus");
        isError(callOne(a, driverCall("GetNameOwner", "s", "no.such")), DBusErrors.NAME_HAS_NO_OWNER,
            "Could not get owner of name 'no.such': no such name");
        isReply(callOne(a, driverCall("NameHasOwner", "s", "com.example.Svc")), "b", true);
        isReply(callOne(a, driverCall("NameHasOwner", "s", "org.freedesktop.DBus")), "b", true);
        isReply(callOne(a, driverCall("NameHasOwner", "s", "no.such")), "b", false);
        isReply(callOne(a, driverCall("ListNames")), "as",
            List.of("org.freedesktop.DBus", "com.example.Svc", ":1.0", ":1.1"));
        isReply(callOne(a, driverCall("ListActivatableNames")), "as", List.of("org.freedesktop.DBus"));
        // no .service files: dbus-daemon says so even for a name that has an owner
        isError(callOne(a, driverCall("StartServiceByName", "su", "com.example.Svc", 0L)), DBusErrors.SERVICE_UNKNOWN,
            "The name com.example.Svc was not provided by any .service files");
        isError(callOne(a, driverCall("StartServiceByName", "su", "no.such", 0L)), DBusErrors.SERVICE_UNKNOWN,
            "The name no.such was not provided by any .service files");
        isError(callOne(a, driverCall("StartServiceByName", "su", "org.freedesktop.DBus", 0L)),
            DBusErrors.SERVICE_UNKNOWN, "The name org.freedesktop.DBus was not provided by any .service files");
    }

    @Test
    void connectionInformation()
    {
        final Peer a = f.client(1000);
        final Peer anonymous = f.bus.connect(PeerCredentials.unknown());
        f.send(anonymous, hello());
        isReply(callOne(a, driverCall("GetConnectionUnixUser", "s", ":1.0")), "u", 1000L);
        isReply(callOne(a, driverCall("GetConnectionUnixUser", "s", "org.freedesktop.DBus")), "u",
            BusFixture.BUS_UID);
        isError(callOne(a, driverCall("GetConnectionUnixUser", "s", ":1.1")), DBusErrors.FAILED,
            "Could not determine UID for ':1.1'");
        isError(callOne(a, driverCall("GetConnectionUnixUser", "s", "no.such")), DBusErrors.NAME_HAS_NO_OWNER,
            "Could not get UID of name 'no.such': no such name");
        isReply(callOne(a, driverCall("GetConnectionUnixProcessID", "s", ":1.0")), "u", 6000L);
        isReply(callOne(a, driverCall("GetConnectionUnixProcessID", "s", "org.freedesktop.DBus")), "u",
            BusFixture.BUS_PID);
        isError(callOne(a, driverCall("GetConnectionUnixProcessID", "s", ":1.1")),
            DBusErrors.UNIX_PROCESS_ID_UNKNOWN, "Could not determine PID for ':1.1'");
        isError(callOne(a, driverCall("GetConnectionUnixProcessID", "s", "no.such")), DBusErrors.NAME_HAS_NO_OWNER,
            "Could not get PID of name 'no.such': no such name");
        isError(callOne(a, driverCall("GetAdtAuditSessionData", "s", ":1.0")), DBusErrors.ADT_AUDIT_DATA_UNKNOWN,
            "Could not determine audit session data for ':1.0'");
        isError(callOne(a, driverCall("GetAdtAuditSessionData", "s", "no.such")), DBusErrors.NAME_HAS_NO_OWNER,
            "Could not get audit session data of name 'no.such': no such name");
        isError(callOne(a, driverCall("GetConnectionSELinuxSecurityContext", "s", "org.freedesktop.DBus")),
            DBusErrors.SELINUX_SECURITY_CONTEXT_UNKNOWN,
            "Could not determine security context for 'org.freedesktop.DBus'");

        final Map<String, DBusVariant> peer = new LinkedHashMap<>();
        peer.put("ProcessID", new DBusVariant("u", 6000L));
        peer.put("UnixUserID", new DBusVariant("u", 1000L));
        peer.put("UnixGroupIDs", new DBusVariant("au", List.of(1000L)));
        isReply(callOne(a, driverCall("GetConnectionCredentials", "s", ":1.0")), "a{sv}", peer);
        final Map<String, DBusVariant> self = new LinkedHashMap<>();
        self.put("ProcessID", new DBusVariant("u", BusFixture.BUS_PID));
        self.put("UnixUserID", new DBusVariant("u", BusFixture.BUS_UID));
        isReply(callOne(a, driverCall("GetConnectionCredentials", "s", "org.freedesktop.DBus")), "a{sv}", self);
        isReply(callOne(a, driverCall("GetConnectionCredentials", "s", ":1.1")), "a{sv}", Map.of());
        isError(callOne(a, driverCall("GetConnectionCredentials", "s", ":1.9")), DBusErrors.NAME_HAS_NO_OWNER,
            "Could not get credentials of name ':1.9': no such name");
        isReply(callOne(a, driverCall("GetId")), "s", BusFixture.BUS_ID);
    }

    @Test
    void securityLabelHasATrailingNul()
    {
        final Peer a = f.bus.connect(new PeerCredentials(7, new long[0], 8, "x", "unconfined".getBytes(
            StandardCharsets.US_ASCII)));
        f.send(a, hello());
        @SuppressWarnings("unchecked")
        final Map<String, DBusVariant> creds = (Map<String, DBusVariant>)callOne(a,
            driverCall("GetConnectionCredentials", "s", ":1.0")).body()[0];
        assertThat((byte[])creds.get("LinuxSecurityLabel").value()).endsWith(0).hasSize(11);
    }

    @Test
    void matchRulesThroughTheDriver()
    {
        final Peer a = f.client(1000);
        isReply(callOne(a, driverCall("AddMatch", "s", "type='signal',member='X'")), "");
        assertThat(f.send(a, driverCall("AddMatch", "s", "member='Y'").flags(MessageFlags.NO_REPLY_EXPECTED)))
            .isEmpty();
        assertThat(f.bus.matches().count(a)).isEqualTo(2);
        isError(callOne(a, driverCall("AddMatch", "s", "type='bogus'")), DBusErrors.MATCH_RULE_INVALID,
            "Invalid message type (bogus) in match rule\n");
        isReply(callOne(a, driverCall("RemoveMatch", "s", "member='X',type='signal'")), "");
        isError(callOne(a, driverCall("RemoveMatch", "s", "member='X',type='signal'")),
            DBusErrors.MATCH_RULE_NOT_FOUND, "The given match rule wasn't found and can't be removed");
        isError(callOne(a, driverCall("RemoveMatch", "s", "foo")), DBusErrors.MATCH_RULE_INVALID,
            "Match rule has a key with no subsequent '=' character");
        // eavesdropping needs the bus' uid or root
        isReply(callOne(a, driverCall("AddMatch", "s", "eavesdrop='true'")), "");
        final Peer other = f.client(1001);
        isError(callOne(other, driverCall("AddMatch", "s", "eavesdrop='true'")), DBusErrors.ACCESS_DENIED,
            "rejected attempt to call AddMatch by connection :1.1 (uid=1001 pid=6001 comm=\"\") with uid 1001");
    }

    @Test
    void matchRuleLimit()
    {
        final BusFixture g = new BusFixture(BusFixture.config("<policy context='default'><allow own='*'/>" +
            "<allow send_destination='*'/><allow receive_sender='*'/></policy>" +
            "<limit name='max_match_rules_per_connection'>1</limit>"));
        final Peer a = g.client(1000);
        g.send(a, driverCall("AddMatch", "s", "member='X'"));
        isError(single(g.send(a, driverCall("AddMatch", "s", "member='Y'")), a), DBusErrors.LIMITS_EXCEEDED,
            "Connection \":1.0\" is not allowed to add more match rules (increase limits in configuration file if " +
            "required; max_match_rules_per_connection=1)");
    }

    @Test
    void peerAndIntrospectable() throws IOException
    {
        final Peer a = f.client(1000);
        isReply(callOne(a, driverCall("Ping").interfaceName("org.freedesktop.DBus.Peer").path("/anything")), "");
        isReply(callOne(a, driverCall("GetMachineId").interfaceName("org.freedesktop.DBus.Peer")), "s",
            BusFixture.MACHINE_ID);
        for (final String[] pathAndFile : new String[][]{{DBusNames.DBUS_PATH, "introspect-canonical.xml"},
            {"/", "introspect-root.xml"}, {"/org", "introspect-org.xml"}, {"/foo", "introspect-other.xml"}})
        {
            final SimpleMessage reply = callOne(a, driverCall("Introspect")
                .interfaceName("org.freedesktop.DBus.Introspectable").path(pathAndFile[0]));
            assertThat(reply.body()[0]).as(pathAndFile[0]).isEqualTo(resource(pathAndFile[1]));
        }
    }

    private static String resource(final String name) throws IOException
    {
        try (InputStream in = DriverTest.class.getResourceAsStream("/" + name))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void properties()
    {
        final Peer a = f.client(1000);
        final SimpleMessage get = driverCall("Get", "ss", "org.freedesktop.DBus", "Features")
            .interfaceName("org.freedesktop.DBus.Properties");
        isReply(callOne(a, get), "v", new DBusVariant("as", List.of("ActivatableServicesChanged", "HeaderFiltering")));
        final Map<String, DBusVariant> all = new LinkedHashMap<>();
        all.put("Features", new DBusVariant("as", List.of("ActivatableServicesChanged", "HeaderFiltering")));
        all.put("Interfaces", new DBusVariant("as", List.of("org.freedesktop.DBus.Monitoring")));
        isReply(callOne(a, driverCall("GetAll", "s", "org.freedesktop.DBus")
            .interfaceName("org.freedesktop.DBus.Properties")), "a{sv}", all);
        // interface omitted: the first interface with a GetAll method, at the canonical path only
        isReply(callOne(a, driverCall("GetAll", "s", "org.freedesktop.DBus").interfaceName(null)), "a{sv}", all);
        isError(callOne(a, driverCall("GetAll", "s", "org.freedesktop.DBus").interfaceName(null).path("/foo")),
            DBusErrors.UNKNOWN_METHOD, "org.freedesktop.DBus does not understand message GetAll");
        isError(callOne(a, driverCall("GetAll", "s", "org.freedesktop.DBus")
            .interfaceName("org.freedesktop.DBus.Properties").path("/foo")), DBusErrors.UNKNOWN_INTERFACE,
            "org.freedesktop.DBus does not understand message GetAll");
        isReply(callOne(a, driverCall("GetAll", "s", "org.freedesktop.DBus.Peer")
            .interfaceName("org.freedesktop.DBus.Properties")), "a{sv}", Map.of());
        isError(callOne(a, driverCall("Get", "ss", "org.freedesktop.DBus", "Foo")
            .interfaceName("org.freedesktop.DBus.Properties")), DBusErrors.UNKNOWN_PROPERTY,
            "Property \"org.freedesktop.DBus.Foo\" not found");
        isError(callOne(a, driverCall("Get", "ss", "org.foo", "Foo")
            .interfaceName("org.freedesktop.DBus.Properties")), DBusErrors.UNKNOWN_INTERFACE,
            "Interface \"org.foo\" not found");
        isError(callOne(a, driverCall("Set", "ssv", "org.freedesktop.DBus", "Features", new DBusVariant("s", "x"))
            .interfaceName("org.freedesktop.DBus.Properties")), DBusErrors.PROPERTY_READ_ONLY,
            "Property 'org.freedesktop.DBus.Features' cannot be set");
    }

    @Test
    void unknownMethodsAndInterfaces()
    {
        final Peer a = f.client(1000);
        isError(callOne(a, driverCall("Foo")), DBusErrors.UNKNOWN_METHOD,
            "org.freedesktop.DBus does not understand message Foo");
        isError(callOne(a, driverCall("Foo").interfaceName("org.foo.Bar")), DBusErrors.UNKNOWN_INTERFACE,
            "org.freedesktop.DBus does not understand message Foo");
        isReply(callOne(a, driverCall("GetId").interfaceName(null).path("/somewhere")), "s", BusFixture.BUS_ID);
        // signals to the driver are ignored
        assertThat(f.send(a, SimpleMessage.signal("/", "a.b", "S").destination(DBusNames.DBUS_SERVICE))).isEmpty();
    }

    @Test
    void updateActivationEnvironment()
    {
        final Peer owner = f.client(BusFixture.BUS_UID);
        final Peer other = f.client(1001);
        final SimpleMessage update = driverCall("UpdateActivationEnvironment", "a{ss}", Map.of("A", "B"));
        isReply(callOne(owner, update), "");
        assertThat(f.bus.driver().activationEnvironment()).containsEntry("A", "B");
        isError(callOne(other, driverCall("UpdateActivationEnvironment", "a{ss}", Map.of())),
            DBusErrors.ACCESS_DENIED, "rejected attempt to call UpdateActivationEnvironment by connection :1.1 " +
            "(uid=1001 pid=6001 comm=\"\") with uid 1001");
        isError(callOne(owner, driverCall("UpdateActivationEnvironment", "a{ss}", Map.of()).path("/x")),
            DBusErrors.ACCESS_DENIED, "Method 'UpdateActivationEnvironment' is only available at the canonical " +
            "object path '/org/freedesktop/DBus'");
        final BusFixture system = new BusFixture(BusFixture.config("<type>system</type><policy context='default'>" +
            "<allow send_destination='*'/><allow receive_sender='*'/></policy>"));
        final Peer root = system.client(0);
        isError(single(system.send(root, driverCall("UpdateActivationEnvironment", "a{ss}", Map.of())), root),
            DBusErrors.ACCESS_DENIED, "Cannot change activation environment on a system bus.");
    }

    @Test
    void reloadConfigInstallsTheNewPolicy()
    {
        final BusContext context = new BusContext().config(BusFixture.config(
            "<policy context='default'><allow own='*'/><allow send_destination='*'/>" +
            "<allow receive_sender='*'/></policy>"))
            .configReloader(() -> BusFixture.config("<policy context='default'><deny own='*'/>" +
                "<allow send_destination='*'/><allow receive_sender='*'/></policy>"));
        final BusFixture g = new BusFixture(context);
        final Peer a = g.client(1000);
        assertThat(a.policy().canOwn("a.b")).isTrue();
        isReply(single(g.send(a, driverCall("ReloadConfig")), a), "");
        assertThat(a.policy().canOwn("a.b")).isFalse();
        assertThat(g.bus.config().policy().defaultRules()).hasSize(3);
    }

    @Test
    void callsWithoutDestinationAreAnsweredLikeLibdbusDoes()
    {
        final Peer a = f.client(1000);
        SimpleMessage m = single(f.send(a, SimpleMessage.methodCall(null, "/x", "org.freedesktop.DBus.Peer",
            "Ping")), a);
        assertThat(m.type()).isEqualTo(MessageType.METHOD_RETURN);
        assertThat(m.sender()).isNull();
        assertThat(m.destination()).isNull();
        m = single(f.send(a, SimpleMessage.methodCall(null, "/x", "org.freedesktop.DBus.Peer", "GetMachineId")), a);
        assertThat(m.body()).containsExactly(BusFixture.MACHINE_ID);
        m = single(f.send(a, SimpleMessage.methodCall(null, "/x", "org.freedesktop.DBus.Peer", "Foo")), a);
        assertThat(m.body()).containsExactly("Unknown method invoked on org.freedesktop.DBus.Peer interface");
        m = single(f.send(a, SimpleMessage.methodCall(null, "/foo", "org.foo", "Bar")), a);
        assertThat(m.errorName()).isEqualTo(DBusErrors.UNKNOWN_METHOD);
        assertThat(m.body()).containsExactly("Method \"Bar\" with signature \"\" on interface \"org.foo\" doesn't " +
            "exist\n");
        assertThat(f.send(a, SimpleMessage.methodReturn(null, 3))).isEmpty();
        assertThat(f.decision.action()).isEqualTo(RoutingDecision.DROPPED);
    }

    @Test
    void theTableDrivesIntrospection()
    {
        final List<DriverInterface> table = f.bus.driver().interfaces();
        assertThat(table).extracting(DriverInterface::name).containsExactly("org.freedesktop.DBus",
            "org.freedesktop.DBus.Properties", "org.freedesktop.DBus.Introspectable", "org.freedesktop.DBus.Monitoring",
            "org.freedesktop.DBus.Peer", "org.omnibus.Journal");
        assertThat(table.get(0).methods()).extracting(DriverMethod::name).contains("Hello", "RequestName",
            "ReleaseName", "ListQueuedOwners", "ListNames", "ListActivatableNames", "NameHasOwner", "GetNameOwner",
            "StartServiceByName", "UpdateActivationEnvironment", "AddMatch", "RemoveMatch", "GetId",
            "GetConnectionUnixUser", "GetConnectionUnixProcessID", "GetConnectionCredentials",
            "GetAdtAuditSessionData", "GetConnectionSELinuxSecurityContext", "ReloadConfig");
        final DriverMethod requestName = table.get(0).method("RequestName");
        assertThat(requestName.inSignature()).isEqualTo("su");
        assertThat(requestName.outSignature()).isEqualTo("u");
    }
}
