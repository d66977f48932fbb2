package org.omnibus.bus.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omnibus.bus.BusFixture;
import org.omnibus.bus.BusOutput;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.MessageFlags;
import org.omnibus.bus.MessageView;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.router.RoutingDecision;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusObjectPath;
import org.omnibus.codec.dbus.DBusValues;
import org.omnibus.codec.dbus.DBusVariant;

/**
 * The codec's flyweight adapted to {@link MessageView}, and the bus' messages marshalled with the codec.
 */
class WireTest
{
    private final DBusMessageFlyweight flyweight = new DBusMessageFlyweight();
    private final DBusMessageView view = new DBusMessageView();

    private DBusMessageView wrap(final byte[] bytes)
    {
        flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        return view.wrap(flyweight);
    }

    private static String text(final CharSequence s)
    {
        return null == s ? null : s.toString();
    }

    private static void assertSameView(final MessageView expected, final MessageView actual)
    {
        assertThat(actual.type()).isEqualTo(expected.type());
        assertThat(actual.flags()).isEqualTo(expected.flags());
        assertThat(actual.serial()).isEqualTo(expected.serial());
        assertThat(actual.replySerial()).isEqualTo(expected.replySerial());
        assertThat(text(actual.path())).isEqualTo(text(expected.path()));
        assertThat(text(actual.interfaceName())).isEqualTo(text(expected.interfaceName()));
        assertThat(text(actual.member())).isEqualTo(text(expected.member()));
        assertThat(text(actual.errorName())).isEqualTo(text(expected.errorName()));
        assertThat(text(actual.destination())).isEqualTo(text(expected.destination()));
        final String sig = text(expected.signature());
        assertThat(text(actual.signature())).isEqualTo(null == sig || sig.isEmpty() ? null : sig);
        assertThat(actual.unixFds()).isEqualTo(expected.unixFds());
        for (int i = 0; i < 6; i++)
        {
            assertThat(actual.argType(i)).as("argType %d", i).isEqualTo(expected.argType(i));
            assertThat(actual.argLength(i)).as("argLength %d", i).isEqualTo(expected.argLength(i));
            for (int j = 0; j < Math.max(0, expected.argLength(i)); j++)
            {
                assertThat(actual.argByte(i, j)).isEqualTo(expected.argByte(i, j));
            }
        }
    }

    @Test
    void headerFieldsAndArguments()
    {
        final SimpleMessage m = SimpleMessage.signal("/org/x", "org.x.I", "Changed")
            .destination(":1.4").sender("org.freedesktop.DBus").serial(77).flags(MessageFlags.NO_REPLY_EXPECTED)
            .body("suoasvg", "h\u00e9llo", 5L, new DBusObjectPath("/p/q"), List.of("a", "b"),
                new DBusVariant("s", "v"), new org.omnibus.codec.dbus.DBusSignature("a{sv}"));
        final DBusMessageView v = wrap(BusOutputEncoder.encode(m, 77));
        assertSameView(m, v);
        assertThat(v.argType(6)).isZero();
        assertThat(v.argLength(6)).isEqualTo(-1);
        assertThat(v.decodeBody()).containsExactly("h\u00e9llo", 5L, new DBusObjectPath("/p/q"), List.of("a", "b"),
            new DBusVariant("s", "v"), new org.omnibus.codec.dbus.DBusSignature("a{sv}"));
        // arguments can be asked for in any order
        final DBusMessageView again = wrap(BusOutputEncoder.encode(m, 77));
        assertThat(again.argLength(2)).isEqualTo(4);
        assertThat(again.argType(0)).isEqualTo('s');
    }

    @Test
    void absentFieldsAreNull()
    {
        final byte[] bytes = DBusMessageBuilder.methodReturn(9).serial(3).build();
        final DBusMessageView v = wrap(bytes);
        assertThat(v.path()).isNull();
        assertThat(v.interfaceName()).isNull();
        assertThat(v.destination()).isNull();
        assertThat(v.signature()).isNull();
        assertThat(v.replySerial()).isEqualTo(9);
        assertThat(v.argType(0)).isZero();
    }

    static long[] seeds()
    {
        return new long[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomMessagesLookTheSameThroughBothViews(final long seed)
    {
        final SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 50; i++)
        {
            final SimpleMessage m = SimpleMessage.methodCall(r.nextBoolean() ? "com.x.Y" : null, "/a/b" + r.nextInt(9),
                r.nextBoolean() ? "i.j" : null, "M" + r.nextInt(5)).serial(1 + r.nextInt(1000));
            final StringBuilder sig = new StringBuilder();
            final List<Object> values = new ArrayList<>();
            for (int k = r.nextInt(5); k > 0; k--)
            {
                switch (r.nextInt(5))
                {
                    case 0:
                        sig.append('s');
                        values.add("v" + r.nextInt(100));
                        break;
                    case 1:
                        sig.append('u');
                        values.add((long)r.nextInt(1 << 20));
                        break;
                    case 2:
                        sig.append('o');
                        values.add(new DBusObjectPath("/o" + r.nextInt(10)));
                        break;
                    case 3:
                        sig.append("a{sv}");
                        values.add(Map.of("k", new DBusVariant("u", 3L)));
                        break;
                    default:
                        sig.append("(ss)");
                        values.add(List.of("x", "y"));
                        break;
                }
            }
            m.body(sig.toString(), values.toArray());
            assertSameView(m, wrap(BusOutputEncoder.encode(m, m.serial())));
        }
    }

    /**
     * A client talks to the bus in wire bytes: Hello and RequestName built with the codec, routed through the
     * flyweight view, the bus' answers marshalled and parsed back.
     */
    @Test
    void wireRoundTripThroughTheBus()
    {
        final BusFixture f = new BusFixture();
        final Peer peer = f.connect(1000);
        final RoutingDecision decision = new RoutingDecision();

        f.bus.route(peer, wrap(DBusMessageBuilder.methodCall(DBusNames.DBUS_SERVICE, DBusNames.DBUS_PATH,
            DBusNames.DBUS_INTERFACE, "Hello").serial(1).build()), 0, decision);
        List<BusOutput> out = f.drain();
        assertThat(out).hasSize(2);
        DBusMessageFlyweight reply = parse(out.get(0), 1);
        assertThat(reply.replySerial()).isEqualTo(1);
        assertThat(reply.sender()).isEqualTo("org.freedesktop.DBus");
        assertThat(reply.destination()).isEqualTo(":1.0");
        assertThat(DBusValues.readBody(reply)).containsExactly(":1.0");
        final DBusMessageFlyweight acquired = parse(out.get(1), 2);
        assertThat(acquired.member()).isEqualTo("NameAcquired");
        assertThat(DBusValues.readBody(acquired)).containsExactly(":1.0");

        f.bus.route(peer, wrap(DBusMessageBuilder.methodCall(DBusNames.DBUS_SERVICE, DBusNames.DBUS_PATH,
            DBusNames.DBUS_INTERFACE, "RequestName").serial(2).body("su", "com.example.Wire", 4L).build()), 0,
            decision);
        out = f.drain();
        assertThat(out).hasSize(2);
        reply = parse(out.get(1), 4);
        assertThat(reply.replySerial()).isEqualTo(2);
        assertThat(DBusValues.readBody(reply)).containsExactly(1L);

        f.bus.route(peer, wrap(DBusMessageBuilder.methodCall(DBusNames.DBUS_SERVICE, DBusNames.DBUS_PATH,
            DBusNames.DBUS_INTERFACE, "GetConnectionCredentials").serial(3).body("s", ":1.0").build()), 0,
            decision);
        reply = parse(f.drain().get(0), 5);
        assertThat(DBusValues.readBody(reply).get(0)).asInstanceOf(
            org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("UnixUserID",
            new DBusVariant("u", 1000L));
    }

    private static DBusMessageFlyweight parse(final BusOutput output, final long serial)
    {
        final byte[] bytes = BusOutputEncoder.encode(output.message(), serial);
        return new DBusMessageFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
