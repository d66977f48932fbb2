package org.omnibus.bus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.policy.BusConfig;
import org.omnibus.bus.policy.BusConfigParser;
import org.omnibus.bus.policy.UserDatabase;
import org.omnibus.bus.router.RoutingDecision;

/**
 * A bus with a fixed identity and helpers to play clients against it.
 */
public final class BusFixture
{
    public static final long BUS_UID = 1000;
    public static final long BUS_PID = 42;
    public static final String BUS_ID = "0123456789abcdef0123456789abcdef";
    public static final String MACHINE_ID = "fedcba9876543210fedcba9876543210";

    public final Bus bus;
    public final RoutingDecision decision = new RoutingDecision();
    public long nowNs;
    private final Map<Peer, Integer> serials = new HashMap<>();

    public BusFixture()
    {
        this(BusConfig.embeddedSession());
    }

    public BusFixture(final BusConfig config)
    {
        this(new BusContext().config(config));
    }

    public BusFixture(final BusContext context)
    {
        bus = new Bus(context.busUid(BUS_UID).busPid(BUS_PID).busId(BUS_ID).machineId(MACHINE_ID));
    }

    public static BusConfig config(final String xml)
    {
        return new BusConfigParser(UserDatabase.of(Map.of("alice", 1000L, "bob", 1001L, "root", 0L),
            Map.of("wheel", 10L))).parse("<busconfig>" + xml + "</busconfig>", Path.of("."));
    }

    public Peer connect(final long uid)
    {
        return bus.connect(PeerCredentials.of(uid, new long[]{uid}, 5000 + uid));
    }

    /** Connect and Hello, discarding the outputs. */
    public Peer client(final long uid)
    {
        final Peer peer = connect(uid);
        send(peer, hello());
        return peer;
    }

    public int nextSerial(final Peer peer)
    {
        return serials.merge(peer, 1, Integer::sum);
    }

    /** Route a message (a fresh serial unless one was set) and return the outbox content. */
    public List<BusOutput> send(final Peer sender, final SimpleMessage message)
    {
        if (message.serial() == 0)
        {
            message.serial(nextSerial(sender));
        }
        bus.route(sender, message, nowNs, decision);
        return drain();
    }

    public List<BusOutput> drain()
    {
        final List<BusOutput> out = new ArrayList<>();
        bus.outbox().drain(out::add);
        return out;
    }

    public static SimpleMessage hello()
    {
        return driverCall("Hello");
    }

    public static SimpleMessage driverCall(final String member)
    {
        return SimpleMessage.methodCall(DBusNames.DBUS_SERVICE, DBusNames.DBUS_PATH, DBusNames.DBUS_INTERFACE,
            member);
    }

    public static SimpleMessage driverCall(final String member, final String signature, final Object... args)
    {
        return driverCall(member).body(signature, args);
    }

    /** The only output, which must go to {@code to} only. */
    public static SimpleMessage single(final List<BusOutput> outputs, final Peer to)
    {
        if (outputs.size() != 1 || !outputs.get(0).recipients().equals(List.of(to)))
        {
            throw new AssertionError("expected one output to " + to + " but got " + outputs);
        }
        return outputs.get(0).message();
    }

    /** A compact transcript line per output: recipients, type, member or error, body. */
    public static List<String> transcript(final List<BusOutput> outputs)
    {
        final List<String> lines = new ArrayList<>();
        for (final BusOutput output : outputs)
        {
            final StringBuilder sb = new StringBuilder();
            for (final Peer p : output.recipients())
            {
                sb.append(p.uniqueName()).append(' ');
            }
            final SimpleMessage m = output.message();
            sb.append(MessageType.toString(m.type())).append(' ');
            if (null != m.member())
            {
                sb.append(m.member());
            }
            if (null != m.errorName())
            {
                sb.append(m.errorName());
            }
            sb.append(' ').append(java.util.Arrays.deepToString(m.body()));
            lines.add(sb.toString());
        }
        return lines;
    }
}
