package org.omnibus.node;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusObjectPath;
import org.omnibus.codec.dbus.DBusSignature;
import org.omnibus.codec.dbus.DBusStruct;
import org.omnibus.codec.dbus.DBusVariant;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dbus-monitor format, checked against what dbus-monitor 1.14 printed on this machine for the same messages
 * (sent with python3-dbus through a private dbus-daemon).
 */
class DBusMonitorFormatTest
{
    private final DBusMonitorFormat format = new DBusMonitorFormat();

    @Test
    void shouldPrintEveryBasicTypeAndContainerAsDbusMonitorDoes()
    {
        final Map<String, DBusVariant> dict = new LinkedHashMap<>();
        dict.put("k", new DBusVariant("i", 1));
        dict.put("n", new DBusVariant("s", "v"));
        final byte[] message = DBusMessageBuilder.signal("/org/example/Obj", "org.example.Iface", "Changed")
            .serial(2).sender(":1.1")
            .body("ybnqiuxtdsogaiasa{sv}(is)ayaya(is)as",
                (byte)7, true, (short)-3, 4, -5, 6L, -7L, 8L, 1.5, "hello \"q\" \\ x", new DBusObjectPath("/a/b"),
                new DBusSignature("a{sv}"), List.of(1, 2), List.of(), dict, DBusStruct.of(1, "x"),
                new byte[] {65, 0, (byte)255}, "printable text".getBytes(StandardCharsets.US_ASCII),
                List.of(DBusStruct.of(1, "x")), List.of("a", "b"))
            .build();

        assertThat(format(message, 1_795_653_719_681_294_321L)).isEqualTo("""
            signal time=1795653719.681294 sender=:1.1 -> destination=(null destination) serial=2 \
            path=/org/example/Obj; interface=org.example.Iface; member=Changed
               byte 7
               boolean true
               int16 -3
               uint16 4
               int32 -5
               uint32 6
               int64 -7
               uint64 8
               double 1.5
               string "hello "q" \\ x"
               object path "/a/b"
               signature "a{sv}"
               array [
                  int32 1
                  int32 2
               ]
               array [
               ]
               array [
                  dict entry(
                     string "k"
                     variant             int32 1
                  )
                  dict entry(
                     string "n"
                     variant             string "v"
                  )
               ]
               struct {
                  int32 1
                  string "x"
               }
               array of bytes [
                  41 00 ff
               ]
               array of bytes "printable text"
               array [
                  struct {
                     int32 1
                     string "x"
                  }
               ]
               array [
                  string "a"
                  string "b"
               ]
            """);
    }

    @Test
    void shouldWrapHexBytesAndFormatDoublesAsDbusMonitorDoes()
    {
        final byte[] counting = new byte[40];
        for (int i = 0; i < counting.length; i++)
        {
            counting[i] = (byte)i;
        }
        final byte[] ones = new byte[30];
        java.util.Arrays.fill(ones, (byte)1);
        final byte[] message = DBusMessageBuilder.signal("/p", "a.b", "C").serial(2).sender(":1.1")
            .body("ayayayddddddd" + "txv(ay)s",
                counting, "abc\0".getBytes(StandardCharsets.US_ASCII), new byte[0],
                1e-10, 123456789.0, Double.NaN, Double.NEGATIVE_INFINITY, 0.1, 100000.0, -0.0,
                -1L, Long.MIN_VALUE, new DBusVariant("ai", List.of(1, 2)), DBusStruct.of((Object)ones),
                "multi\nline")
            .build();

        assertThat(format(message, 1_795_653_748_799_439_000L)).isEqualTo("""
            signal time=1795653748.799439 sender=:1.1 -> destination=(null destination) serial=2 path=/p; \
            interface=a.b; member=C
               array of bytes [
                  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17
                  18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27
               ]
               array of bytes "abc" + \\0
               array [
               ]
               double 1e-10
               double 1.23457e+08
               double nan
               double -inf
               double 0.1
               double 100000
               double -0
               uint64 18446744073709551615
               int64 -9223372036854775808
               variant       array [
                     int32 1
                     int32 2
                  ]
               struct {
                  array of bytes [
                     01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01
                     01 01 01 01 01 01 01
                  ]
               }
               string "multi
            line"
            """);
    }

    @Test
    void shouldPrintTheHeadersOfCallsRepliesAndErrors()
    {
        final byte[] call = DBusMessageBuilder.methodCall(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId")
            .serial(3).sender(":1.1").build();
        final byte[] reply = DBusMessageBuilder.methodReturn(3).serial(3).sender("org.freedesktop.DBus")
            .destination(":1.1").body("s", "2d89c88f5e573b2d10db70166b078056").build();
        final byte[] error = DBusMessageBuilder.error(2, "org.example.Error.Failed").serial(9).sender(":1.7")
            .destination(":1.1").body("s", "it broke").build();
        final byte[] noInterface = DBusMessageBuilder.methodCall(null, "/x", null, "Ping").serial(4).build();

        assertThat(format(call, 1_795_653_719_682_672_000L)).isEqualTo(
            "method call time=1795653719.682672 sender=:1.1 -> destination=org.freedesktop.DBus serial=3 " +
            "path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=GetId\n");
        assertThat(format(reply, 1_795_653_719_682_684_000L)).isEqualTo(
            "method return time=1795653719.682684 sender=org.freedesktop.DBus -> destination=:1.1 serial=3 " +
            "reply_serial=3\n   string \"2d89c88f5e573b2d10db70166b078056\"\n");
        assertThat(format(error, 5_000_001_000L)).isEqualTo(
            "error time=5.000001 sender=:1.7 -> destination=:1.1 error_name=org.example.Error.Failed " +
            "reply_serial=2\n   string \"it broke\"\n");
        assertThat(format(noInterface, 0)).isEqualTo(
            "method call time=0.000000 sender=(null sender) -> destination=(null destination) serial=4 " +
            "path=/x; interface=(null); member=Ping\n");
    }

    @ParameterizedTest
    @CsvSource({
        "1.5, 1.5", "0.1, 0.1", "100000, 100000", "1000000, 1e+06", "999999.5, 1e+06", "123456789, 1.23457e+08",
        "0.0001, 0.0001", "0.00001234, 1.234e-05", "1e-10, 1e-10", "-2.5, -2.5", "3.14159265, 3.14159",
        "1e300, 1e+300", "2.5e-300, 2.5e-300", "0.000123456789, 0.000123457", "42, 42", "-0.0, -0"})
    void shouldFormatDoublesAsCPercentG(final double value, final String expected)
    {
        final StringBuilder sb = new StringBuilder();
        DBusMonitorFormat.appendDouble(sb, value);
        assertThat(sb.toString()).isEqualTo(expected);
    }

    private String format(final byte[] message, final long timestampNs)
    {
        final DBusMessageFlyweight flyweight = new DBusMessageFlyweight()
            .wrap(new UnsafeBuffer(message), 0, message.length);
        final StringBuilder sb = new StringBuilder();
        format.appendMessage(sb, flyweight, timestampNs);
        return sb.toString();
    }
}
