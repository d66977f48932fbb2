package org.omnibus.systemtest;

import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusObjectPath;
import org.omnibus.codec.dbus.DBusProtocol;
import org.omnibus.codec.dbus.DBusVariant;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * A scripted scenario with several clients (names and the owner queue, match rules, signals, calls, errors,
 * unrequested replies, disconnects) that records what every client observes into a {@link Transcript}. Run against
 * two buses, the transcripts must be equal.
 * <p>
 * Ordering is made deterministic by the bus's own guarantees: each step waits for its reply, and after each step
 * every client does a round trip to the bus driver (a barrier). A bus handles one connection's messages in order and
 * queues to a connection in order, so everything a step caused reaches a client before the answer to its barrier.
 * A disconnection is awaited through the NameOwnerChanged that ends it, seen by the watcher W.
 */
public final class DifferentialScenario
{
    /** The well-known name the owner queue is played with. */
    public static final String NAME = "org.omnibus.Diff.Name";

    /** A name nobody owns. */
    public static final String NOBODY = "org.omnibus.Diff.Nobody";

    /** The service's name. */
    public static final String SERVICE = "org.omnibus.Diff.Service";

    /** A second queued name, handed over on disconnect. */
    public static final String TWO = "org.omnibus.Diff.Two";

    private static final String DIFF_IFACE = "org.omnibus.Diff";
    private static final String SERVICE_IFACE = "org.omnibus.Diff.Service";
    private static final String OBJECT = "/org/omnibus/diff/obj";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Bus bus;
    private final Transcript transcript = new Transcript();
    private final Map<String, Actor> actors = new LinkedHashMap<>();

    private static final class Actor
    {
        private final String label;
        private final WireClient client;
        private String uniqueName;
        private boolean connected = true;

        private Actor(final String label, final WireClient client)
        {
            this.label = label;
            this.client = client;
        }
    }

    private DifferentialScenario(final Bus bus)
    {
        this.bus = bus;
    }

    /**
     * Play the scenario against a bus.
     *
     * @param bus the bus.
     * @return what every client observed.
     * @throws IOException if a client cannot connect at all.
     */
    public static Transcript run(final Bus bus) throws IOException
    {
        final DifferentialScenario scenario = new DifferentialScenario(bus);
        try
        {
            scenario.play();
        }
        finally
        {
            scenario.actors.values().forEach(a -> a.client.close());
        }
        return scenario.transcript;
    }

    private void play() throws IOException
    {
        step("connect W");
        final Actor w = connect("W");
        call(w, driver("AddMatch").body("s",
            "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged'"));
        call(w, driver("AddMatch").body("s", "eavesdrop='true',type='method_call',interface='" + SERVICE_IFACE + "'"));

        step("connect A B C S");
        final Actor a = connect("A");
        final Actor b = connect("B");
        final Actor c = connect("C");
        final Actor s = connect("S");

        names(w, a, b, c, s);
        driverErrors(a);
        driverAnswers(a);
        matchesAndSignals(a, b, c, s);
        calls(w, a, b, s);
        edgeCases(a, b, c);

        step("disconnect hands a queued name over");
        final Actor d = connect("D");
        call(d, driver("RequestName").body("su", TWO, 0));
        call(b, driver("RequestName").body("su", TWO, 0));
        disconnect(d, w);
        call(b, driver("GetNameOwner").body("s", TWO));

        step("list names");
        call(w, driver("ListNames"), this::sortedList);
        step("end");
    }

    private void names(final Actor w, final Actor a, final Actor b, final Actor c, final Actor s) throws IOException
    {
        step("owner queue");
        call(a, driver("RequestName").body("su", NAME, 1));
        call(b, driver("RequestName").body("su", NAME, 0));
        call(c, driver("RequestName").body("su", NAME, 4));
        call(w, driver("ListQueuedOwners").body("s", NAME));
        call(c, driver("RequestName").body("su", NAME, 2));
        call(w, driver("ListQueuedOwners").body("s", NAME));
        call(a, driver("RequestName").body("su", NAME, 1));
        call(c, driver("RequestName").body("su", NAME, 0));
        call(c, driver("ReleaseName").body("s", NAME));
        call(b, driver("ReleaseName").body("s", NAME));
        call(b, driver("ReleaseName").body("s", "org.omnibus.Diff.Never"));
        call(c, driver("ReleaseName").body("s", NAME));
        call(w, driver("ListQueuedOwners").body("s", NAME));
        call(w, driver("GetNameOwner").body("s", NAME));
        call(w, driver("NameHasOwner").body("s", NAME));
        call(w, driver("NameHasOwner").body("s", NOBODY));
        call(s, driver("RequestName").body("su", SERVICE, 4));
        call(a, driver("RequestName").body("su", "org.omnibus.Diff.Flags", 8));
        call(a, driver("ReleaseName").body("s", "org.omnibus.Diff.Flags"));
    }

    private void driverErrors(final Actor a) throws IOException
    {
        step("driver errors");
        call(a, driver("RequestName").body("su", ":1.9", 0));
        call(a, driver("RequestName").body("su", "org.freedesktop.DBus", 0));
        call(a, driver("RequestName").body("su", "bad..name", 0));
        call(a, driver("RequestName").body("su", "nodots", 0));
        call(a, driver("RequestName").body("i", 5));
        call(a, driver("RequestName"));
        call(a, driver("ReleaseName").body("s", ":1.1"));
        call(a, driver("ReleaseName").body("s", "org.freedesktop.DBus"));
        call(a, driver("GetNameOwner").body("s", NOBODY));
        call(a, driver("GetNameOwner").body("s", "bad..name"));
        call(a, driver("ListQueuedOwners").body("s", NOBODY));
        call(a, driver("GetConnectionUnixUser").body("s", NOBODY));
        call(a, driver("GetConnectionUnixProcessID").body("s", ":1.9999"));
        call(a, driver("GetConnectionCredentials").body("s", ":1.9999"));
        call(a, driver("StartServiceByName").body("su", NOBODY, 0));
        call(a, driver("Hello"));
        call(a, driver("NoSuchMethod"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH, "org.example.Nope", "Foo"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Properties", "Get").body("ss", WireClient.DRIVER_IFACE, "Nope"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Properties", "Set").body("ssv", WireClient.DRIVER_IFACE, "Features",
            new DBusVariant("as", List.of())));
        call(a, DBusMessageBuilder.methodCall(NOBODY, "/org/omnibus/diff", DIFF_IFACE, "Anything"));
        call(a, DBusMessageBuilder.methodCall(":1.9999", "/org/omnibus/diff", DIFF_IFACE, "Anything"));
    }

    private void driverAnswers(final Actor a) throws IOException
    {
        step("driver answers");
        call(a, driver("GetId"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, "/org/omnibus/elsewhere", WireClient.DRIVER_IFACE,
            "GetId"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH, null, "GetId"));
        call(a, driver("ListActivatableNames"));
        call(a, driver("GetConnectionUnixUser").body("s", a.uniqueName));
        call(a, driver("GetConnectionUnixProcessID").body("s", a.uniqueName));
        call(a, driver("GetConnectionCredentials").body("s", a.uniqueName));
        call(a, driver("GetConnectionUnixUser").body("s", NAME));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Properties", "Get").body("ss", WireClient.DRIVER_IFACE, "Features"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Properties", "Get").body("ss", WireClient.DRIVER_IFACE, "Interfaces"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Properties", "GetAll").body("s", WireClient.DRIVER_IFACE));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Peer", "Ping"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Peer", "GetMachineId"));
        call(a, DBusMessageBuilder.methodCall(null, "/org/omnibus/diff", "org.freedesktop.DBus.Peer", "Ping"));
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Introspectable", "Introspect"), this::introspection);
        call(a, DBusMessageBuilder.methodCall(WireClient.DRIVER, "/",
            "org.freedesktop.DBus.Introspectable", "Introspect"), this::introspection);
        call(a, driver("ReloadConfig"));
    }

    private void matchesAndSignals(final Actor a, final Actor b, final Actor c, final Actor s) throws IOException
    {
        step("match rules");
        call(b, driver("AddMatch").body("s", "type='signal',sender='" + NAME + "'"));
        call(c, driver("AddMatch").body("s", "type='signal',path_namespace='/org/omnibus/diff',arg0='x'"));
        call(s, driver("AddMatch").body("s", "interface='" + DIFF_IFACE + "',member='Tick',arg1path='/org/omnibus/'"));
        call(s, driver("AddMatch").body("s", "type='signal',arg0namespace='" + DIFF_IFACE + "'"));
        call(c, driver("AddMatch").body("s", "type='signal',member='Quote',arg0='don'\\''t'"));
        for (final String rule : List.of(
            "type='bogus'", "member='a',member='b'", "arg64='x'", "path='not/a/path'", "path_namespace='/a/'",
            "path='/a',path_namespace='/a'", "eavesdrop='maybe'", "interface='nodots'", "sender='bad..name'",
            "nokey='x'", "member='unterminated", "arg3namespace='a.b'", "arg0='a',arg0path='/a'",
            "type='signal',", "type = 'signal'", "destination='bad..name'"))
        {
            call(a, driver("AddMatch").body("s", rule));
        }
        call(a, driver("RemoveMatch").body("s", "type='signal',member='Never'"));
        call(a, driver("RemoveMatch").body("s", "type='bogus'"));

        step("signals");
        emit(a, DBusMessageBuilder.signal("/org/omnibus/diff/a", DIFF_IFACE, "Tick")
            .body("so", "x", new DBusObjectPath("/org/omnibus/diff/a")));
        emit(a, DBusMessageBuilder.signal("/other", DIFF_IFACE, "Tock").body("s", "y"));
        emit(b, DBusMessageBuilder.signal("/org/omnibus/diff/b", DIFF_IFACE, "Tick")
            .body("so", "x", new DBusObjectPath("/org/omnibus/diff/b")));
        emit(a, DBusMessageBuilder.signal("/org/omnibus/diff/u", DIFF_IFACE, "Tick").destination(c.uniqueName)
            .body("s", "unicast"));
        emit(s, DBusMessageBuilder.signal("/x", "org.omnibus.Other", "Ping").body("s", DIFF_IFACE + ".Sub"));
        emit(a, DBusMessageBuilder.signal("/org/omnibus/diff", DIFF_IFACE, "Tick").destination(b.uniqueName)
            .body("s", "x"));
        emit(a, DBusMessageBuilder.signal("/org/omnibus/diff/q", DIFF_IFACE, "Quote").body("s", "don't"));

        step("sender rule follows the name's owner");
        call(a, driver("ReleaseName").body("s", NAME));
        emit(a, DBusMessageBuilder.signal("/org/omnibus/diff/a2", DIFF_IFACE, "Tick").body("s", "x"));
        call(c, driver("RequestName").body("su", NAME, 0));
        emit(c, DBusMessageBuilder.signal("/org/omnibus/diff/c", DIFF_IFACE, "Tick").body("s", "x"));
        call(b, driver("RemoveMatch").body("s", "type='signal',sender='" + NAME + "'"));
        emit(c, DBusMessageBuilder.signal("/org/omnibus/diff/c2", DIFF_IFACE, "Tick").body("s", "x"));
    }

    private void calls(final Actor w, final Actor a, final Actor b, final Actor s) throws IOException
    {
        step("call and reply");
        long serial = send(a, service(SERVICE, "Echo").body("sv", "hi", new DBusVariant("i", 3)));
        WireMessage call = awaitCall(s);
        send(s, DBusMessageBuilder.methodReturn(call.serial()).destination(call.sender())
            .body("sv", "hi", new DBusVariant("i", 3)));
        awaitReply(a, serial, null);
        barrier();

        step("call and error");
        serial = send(a, service(SERVICE, "Fail").body("s", "please"));
        call = awaitCall(s);
        send(s, DBusMessageBuilder.error(call.serial(), "org.omnibus.Diff.Error.Failed").destination(call.sender())
            .body("s", "boom"));
        awaitReply(a, serial, null);
        barrier();

        step("call without reply expected");
        send(a, service(s.uniqueName, "Notify").flags(DBusProtocol.FLAG_NO_REPLY_EXPECTED).body("s", "fyi"));
        awaitCall(s);
        barrier();

        step("reply to a call never made");
        send(s, DBusMessageBuilder.methodReturn(9999).destination(a.uniqueName).body("s", "unasked"));
        barrier();

        step("second reply to one call");
        serial = send(a, service(SERVICE, "Echo").body("s", "once"));
        call = awaitCall(s);
        send(s, DBusMessageBuilder.methodReturn(call.serial()).destination(call.sender()).body("s", "first"));
        send(s, DBusMessageBuilder.methodReturn(call.serial()).destination(call.sender()).body("s", "second"));
        awaitReply(a, serial, null);
        barrier();

        step("reply sent to the wrong client");
        serial = send(a, service(SERVICE, "Echo").body("s", "misdirected"));
        call = awaitCall(s);
        send(s, DBusMessageBuilder.methodReturn(call.serial()).destination(b.uniqueName).body("s", "wrong"));
        send(s, DBusMessageBuilder.methodReturn(call.serial()).destination(call.sender()).body("s", "right"));
        awaitReply(a, serial, null);
        barrier();

        step("service disconnects with a call pending");
        send(a, service(SERVICE, "Hold").body("s", "wait"));
        awaitCall(s);
        disconnect(s, w);
        call(a, service(SERVICE, "Echo").body("s", "anyone?"));
    }

    private void edgeCases(final Actor a, final Actor b, final Actor c) throws IOException
    {
        step("driver call without reply expected");
        send(a, driver("RequestName").flags(DBusProtocol.FLAG_NO_REPLY_EXPECTED)
            .body("su", "org.omnibus.Diff.Quiet", 0));
        barrier();
        call(a, driver("GetNameOwner").body("s", "org.omnibus.Diff.Quiet"));

        step("unicast signal to a well-known name");
        emit(b, DBusMessageBuilder.signal("/org/omnibus/diff", DIFF_IFACE, "ToName")
            .destination("org.omnibus.Diff.Quiet").body("s", "x"));

        step("unicast signal to a name nobody owns");
        emit(b, DBusMessageBuilder.signal("/org/omnibus/diff", DIFF_IFACE, "ToNobody").destination(NOBODY));

        step("signal addressed to the driver");
        emit(b, DBusMessageBuilder.signal("/org/omnibus/diff", DIFF_IFACE, "ToDriver").destination(WireClient.DRIVER));

        step("call with NO_AUTO_START to a name nobody owns");
        call(b, DBusMessageBuilder.methodCall(NOBODY, "/org/omnibus/diff", DIFF_IFACE, "Anything")
            .flags(DBusProtocol.FLAG_NO_AUTO_START));

        step("forged sender is replaced");
        emit(b, DBusMessageBuilder.signal("/org/omnibus/diff", DIFF_IFACE, "Forged").destination(c.uniqueName)
            .sender(":1.4242").body("s", "x"));

        step("unknown header field");
        emit(b, DBusMessageBuilder.signal("/org/omnibus/diff", DIFF_IFACE, "Unknown").destination(c.uniqueName)
            .unknownField(42, "s", "extra").body("s", "x"));

        step("reply addressed to the driver");
        send(b, DBusMessageBuilder.methodReturn(1).destination(WireClient.DRIVER));
        barrier();

        step("error addressed to the driver");
        send(b, DBusMessageBuilder.error(1, "org.omnibus.Diff.Error.ToDriver").destination(WireClient.DRIVER));
        barrier();

        step("call to the driver on the org.freedesktop.DBus.Local interface");
        call(b, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH, "org.example.Local", "Ping"));

        step("message of an unknown type");
        send(b, new DBusMessageBuilder(5).destination(c.uniqueName).body("s", "from the future"));
        barrier();

        step("more driver corners");
        call(b, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Properties", "Get").body("ss", "org.example.Nope", "Features"));
        call(b, DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
            "org.freedesktop.DBus.Properties", "GetAll").body("s", "org.freedesktop.DBus.Introspectable"));
        call(b, DBusMessageBuilder.methodCall(WireClient.DRIVER, "/org",
            "org.freedesktop.DBus.Introspectable", "Introspect"), this::introspection);
        call(b, driver("GetConnectionUnixProcessID").body("s", NAME));
        call(b, driver("UpdateActivationEnvironment").body("a{ss}", Map.of("OMNIBUS_TEST", "1")));
        call(b, driver("GetAdtAuditSessionData").body("s", b.uniqueName));
        call(b, driver("GetConnectionSELinuxSecurityContext").body("s", b.uniqueName));
        call(b, driver("GetConnectionCredentials").body("s", "org.freedesktop.DBus"), this::busCredentials);
        call(b, driver("StartServiceByName").body("su", "org.freedesktop.DBus", 0));
        call(b, driver("NameHasOwner").body("s", "org.freedesktop.DBus"));
        call(b, driver("GetNameOwner").body("s", "org.freedesktop.DBus"));
        call(b, driver("ListQueuedOwners").body("s", "org.freedesktop.DBus"));
        call(b, driver("RequestName").body("su", b.uniqueName, 0));
        call(b, driver("ReleaseName").body("s", b.uniqueName));
        call(b, driver("AddMatch").body("s", "type='signal',type='signal'"));
        call(b, driver("AddMatch").body("s", "arg0path='/a/',arg1namespace='x'"));
        call(b, driver("AddMatch").body("s", "sender=':1.9999'"));
        call(b, driver("RemoveMatch").body("s", "sender=':1.9999'"));
        call(b, driver("AddMatch").body("s", "member='A',path='/x'"));
        call(b, driver("RemoveMatch").body("s", "path='/x',member='A'"));
        call(b, driver("AddMatch").body("s", "eavesdrop='false',member='E'"));
        call(b, driver("RemoveMatch").body("s", "member='E'"));

        step("flags are forwarded");
        send(b, DBusMessageBuilder.methodCall(c.uniqueName, "/org/omnibus/diff", DIFF_IFACE, "Interactive")
            .flags(DBusProtocol.FLAG_ALLOW_INTERACTIVE_AUTHORIZATION | DBusProtocol.FLAG_NO_AUTO_START));
        awaitCall(c);
        barrier();

        step("empty match rule matches everything");
        call(c, driver("AddMatch").body("s", ""));
        emit(b, DBusMessageBuilder.signal("/any", "org.omnibus.Any", "Thing").body("s", "everything"));
        call(c, driver("RemoveMatch").body("s", ""));
    }

    private static DBusMessageBuilder driver(final String member)
    {
        return DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH, WireClient.DRIVER_IFACE,
            member);
    }

    private static DBusMessageBuilder service(final String destination, final String member)
    {
        return DBusMessageBuilder.methodCall(destination, OBJECT, SERVICE_IFACE, member);
    }

    private void step(final String name)
    {
        for (final Actor actor : actors.values())
        {
            if (actor.connected)
            {
                transcript.add(actor.label, "== " + name);
            }
        }
    }

    private Actor connect(final String label) throws IOException
    {
        final WireClient client = WireClient.open(bus.socketPath());
        final Actor actor = new Actor(label, client);
        actors.put(label, actor);
        client.authenticate();
        final long serial = client.send(driver("Hello"));
        final List<WireMessage> received = new ArrayList<>();
        WireMessage reply = null;
        while (reply == null)
        {
            final WireMessage m = client.poll(WAIT);
            if (m == null || m.isEndOfStream())
            {
                throw new IOException(label + ": no answer to Hello from " + bus.kind());
            }
            received.add(m);
            if ((m.isReturn() || m.isError()) && m.replySerial() == serial)
            {
                reply = m;
            }
        }
        if (reply.isReturn())
        {
            actor.uniqueName = (String)reply.arg(0);
            transcript.nameClient(actor.uniqueName, label);
        }
        transcript.add(label, "== connect");
        received.forEach(m -> transcript.add(label, m));
        barrier();
        return actor;
    }

    private long send(final Actor actor, final DBusMessageBuilder message) throws IOException
    {
        return actor.client.send(message);
    }

    private void call(final Actor actor, final DBusMessageBuilder message) throws IOException
    {
        call(actor, message, null);
    }

    private void call(
        final Actor actor, final DBusMessageBuilder message, final Function<WireMessage, List<String>> render)
        throws IOException
    {
        final long serial = send(actor, message);
        awaitReply(actor, serial, render);
        barrier();
    }

    private void emit(final Actor actor, final DBusMessageBuilder signal) throws IOException
    {
        send(actor, signal);
        barrier();
    }

    private void disconnect(final Actor actor, final Actor observer) throws IOException
    {
        actor.client.close();
        actor.connected = false;
        final String gone = actor.uniqueName;
        receiveUntil(observer, m -> m.isSignal() && "NameOwnerChanged".equals(m.member()) &&
            m.body().equals(List.of(gone, gone, "")), null, "NameOwnerChanged for " + actor.label + " gone");
        barrier();
    }

    private WireMessage awaitReply(
        final Actor actor, final long serial, final Function<WireMessage, List<String>> render)
    {
        return receiveUntil(actor, m -> (m.isReturn() || m.isError()) && m.replySerial() == serial, render,
            "reply to " + serial);
    }

    private WireMessage awaitCall(final Actor actor)
    {
        return receiveUntil(actor, WireMessage::isCall, null, "a method call");
    }

    /**
     * Record messages until one matches (recorded too, by {@code render} if given); null after a timeout or the end
     * of the stream (both recorded).
     */
    private WireMessage receiveUntil(
        final Actor actor,
        final Predicate<WireMessage> condition,
        final Function<WireMessage, List<String>> render,
        final String what)
    {
        if (!actor.connected)
        {
            return null;
        }
        while (true)
        {
            final WireMessage m = actor.client.poll(WAIT);
            if (m == null)
            {
                transcript.add(actor.label, "<nothing more within " + WAIT.toMillis() + " ms, waiting for " + what +
                    ">");
                return null;
            }
            if (m.isEndOfStream())
            {
                transcript.add(actor.label, m);
                actor.connected = false;
                return null;
            }
            if (condition.test(m))
            {
                if (render != null && m.isReturn())
                {
                    render.apply(m).forEach(line -> transcript.add(actor.label, line));
                }
                else
                {
                    transcript.add(actor.label, m);
                }
                return m;
            }
            transcript.add(actor.label, m);
        }
    }

    /**
     * Every connected client makes a round trip to the driver; what arrives before the answer is recorded.
     */
    private void barrier() throws IOException
    {
        for (final Actor actor : actors.values())
        {
            if (!actor.connected)
            {
                continue;
            }
            final long serial = actor.client.send(DBusMessageBuilder.methodCall(WireClient.DRIVER,
                WireClient.DRIVER_PATH, "org.freedesktop.DBus.Peer", "Ping"));
            while (true)
            {
                final WireMessage m = actor.client.poll(WAIT);
                if (m == null)
                {
                    transcript.add(actor.label, "<no answer to the barrier within " + WAIT.toMillis() + " ms>");
                    break;
                }
                if (m.isEndOfStream())
                {
                    transcript.add(actor.label, m);
                    actor.connected = false;
                    break;
                }
                if ((m.isReturn() || m.isError()) && m.replySerial() == serial)
                {
                    if (m.isError())
                    {
                        transcript.add(actor.label, "<barrier failed: " + transcript.render(m) + ">");
                    }
                    break;
                }
                transcript.add(actor.label, m);
            }
        }
    }

    /**
     * The driver's own credentials: its ProcessID is the bus's pid, which differs between buses by nature.
     */
    private List<String> busCredentials(final WireMessage reply)
    {
        final Map<Object, Object> credentials = new TreeMap<>();
        ((Map<?, ?>)reply.arg(0)).forEach((k, v) -> credentials.put(k, "ProcessID".equals(k) &&
            v instanceof DBusVariant && Long.valueOf(bus.pid()).equals(((DBusVariant)v).value()) ? "<bus pid>" : v));
        return List.of(transcript.header(reply) + " " + transcript.value(List.of(credentials)));
    }

    private List<String> sortedList(final WireMessage reply)
    {
        final List<String> names = new ArrayList<>();
        for (final Object name : (List<?>)reply.arg(0))
        {
            names.add(transcript.value(name));
        }
        Collections.sort(names);
        return List.of(transcript.header(reply) + " (sorted) " + names);
    }

    /**
     * The introspection XML as one line per interface member (sorted), so that layout and order do not matter.
     */
    private List<String> introspection(final WireMessage reply)
    {
        final List<String> lines = new ArrayList<>();
        try
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setExpandEntityReferences(false);
            final Document document = factory.newDocumentBuilder().parse(
                new ByteArrayInputStream(((String)reply.arg(0)).getBytes(StandardCharsets.UTF_8)));
            final NodeList interfaces = document.getElementsByTagName("interface");
            for (int i = 0; i < interfaces.getLength(); i++)
            {
                final Element iface = (Element)interfaces.item(i);
                if (Transcript.OPTIONAL_INTERFACE.equals(iface.getAttribute("name")))
                {
                    continue;
                }
                final NodeList members = iface.getChildNodes();
                lines.add("introspect interface " + iface.getAttribute("name"));
                for (int j = 0; j < members.getLength(); j++)
                {
                    if (members.item(j).getNodeType() == Node.ELEMENT_NODE)
                    {
                        lines.add("introspect " + iface.getAttribute("name") + " " + member((Element)members.item(j)));
                    }
                }
            }
            final NodeList nodes = document.getElementsByTagName("node");
            for (int i = 1; i < nodes.getLength(); i++)
            {
                lines.add("introspect child node " + ((Element)nodes.item(i)).getAttribute("name"));
            }
        }
        catch (final Exception ex)
        {
            lines.add("introspect <unparsable: " + ex.getMessage() + ">");
        }
        Collections.sort(lines);
        lines.add(0, transcript.header(reply) + " (introspection, one line per member)");
        return lines;
    }

    private static String member(final Element member)
    {
        final StringBuilder sb = new StringBuilder(member.getTagName()).append(' ').append(member.getAttribute("name"));
        if (member.hasAttribute("type"))
        {
            sb.append(" type=").append(member.getAttribute("type"));
        }
        if (member.hasAttribute("access"))
        {
            sb.append(" access=").append(member.getAttribute("access"));
        }
        final NodeList children = member.getChildNodes();
        for (int k = 0; k < children.getLength(); k++)
        {
            if (children.item(k).getNodeType() != Node.ELEMENT_NODE)
            {
                continue;
            }
            final Element child = (Element)children.item(k);
            if (child.getTagName().equals("arg"))
            {
                sb.append(" arg(").append(child.getAttribute("direction").isEmpty() ? "" :
                    child.getAttribute("direction") + " ").append(child.getAttribute("type")).append(')');
            }
            else if (child.getTagName().equals("annotation"))
            {
                sb.append(" @").append(child.getAttribute("name")).append('=').append(child.getAttribute("value"));
            }
        }
        return sb.toString();
    }
}
