package org.omnibus.codec.dbus;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DBusNamesTest
{
    @ParameterizedTest
    @ValueSource(strings = { "/", "/a", "/org/freedesktop/DBus", "/_/0/a_b9", "/A/Z" })
    void validObjectPaths(final String path)
    {
        assertThat(DBusNames.isValidObjectPath(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a", "//", "/a/", "/a//b", "/a-b", "/a.b", "/é", "a/b", "/a b" })
    void invalidObjectPaths(final String path)
    {
        assertThat(DBusNames.isValidObjectPath(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a.b", "org.freedesktop.DBus", "_a._b", "a1.b2.c3", "A.B" })
    void validInterfaceAndErrorNames(final String name)
    {
        assertThat(DBusNames.isValidInterfaceName(name)).isTrue();
        assertThat(DBusNames.isValidErrorName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a", ".a.b", "a.b.", "a..b", "1a.b", "a.1b", "a-b.c", "a.b c", ":a.b", "a.é" })
    void invalidInterfaceAndErrorNames(final String name)
    {
        assertThat(DBusNames.isValidInterfaceName(name)).isFalse();
        assertThat(DBusNames.isValidErrorName(name)).isFalse();
    }

    @Test
    void namesAreAtMost255Bytes()
    {
        final String name255 = "a." + "b".repeat(253);
        assertThat(DBusNames.isValidInterfaceName(name255)).isTrue();
        assertThat(DBusNames.isValidInterfaceName(name255 + "c")).isFalse();
        assertThat(DBusNames.isValidBusName(name255)).isTrue();
        assertThat(DBusNames.isValidBusName(name255 + "c")).isFalse();
        assertThat(DBusNames.isValidBusName(":" + "1.".repeat(126) + "12")).isTrue();
        assertThat(DBusNames.isValidBusName(":" + "1.".repeat(126) + "123")).isFalse();
        assertThat(DBusNames.isValidMemberName("m".repeat(255))).isTrue();
        assertThat(DBusNames.isValidMemberName("m".repeat(256))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Hello", "_x", "a1", "Get_Name_Owner" })
    void validMemberNames(final String name)
    {
        assertThat(DBusNames.isValidMemberName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1a", "a.b", "a-b", "a b", "é" })
    void invalidMemberNames(final String name)
    {
        assertThat(DBusNames.isValidMemberName(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { ":1.0", ":1.42", ":12.7", ":a-b.c", "org.example.Service", "a-b.c-d", "_1.a" })
    void validBusNames(final String name)
    {
        assertThat(DBusNames.isValidBusName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ":", ":1", ":1.", ":.1", "a", "1a.b", "a.1b", "a..b", "a.b.", "a b.c", "a.b/c" })
    void invalidBusNames(final String name)
    {
        assertThat(DBusNames.isValidBusName(name)).isFalse();
    }

    @Test
    void uniqueNamesStartWithColon()
    {
        final UnsafeBuffer unique = new UnsafeBuffer(":1.5".getBytes());
        final UnsafeBuffer wellKnown = new UnsafeBuffer("a.b".getBytes());
        assertThat(DBusNames.isValidUniqueName(unique, 0, 4)).isTrue();
        assertThat(DBusNames.isValidUniqueName(wellKnown, 0, 3)).isFalse();
    }

    @Test
    void strictUtf8()
    {
        assertThat(utf8(new byte[]{})).isTrue();
        assertThat(utf8("plain ascii that is longer than eight".getBytes())).isTrue();
        assertThat(utf8("grüße ✓ 𝄞 \uFFFE \uFDD0".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
        assertThat(utf8(new byte[]{ 'a', 0, 'b' })).as("nul").isFalse();
        assertThat(utf8(new byte[]{ 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 0 })).as("nul after word").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xC0, (byte)0x80 })).as("overlong nul").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xC1, (byte)0xBF })).as("overlong").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xE0, (byte)0x80, (byte)0x80 })).as("overlong 3").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xF0, (byte)0x80, (byte)0x80, (byte)0x80 })).as("overlong 4").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xED, (byte)0xA0, (byte)0x80 })).as("surrogate").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80 })).as("> U+10FFFF").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xF5, (byte)0x80, (byte)0x80, (byte)0x80 })).as("F5").isFalse();
        assertThat(utf8(new byte[]{ (byte)0x80 })).as("lone continuation").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xE2, (byte)0x9C })).as("truncated").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xE2, (byte)0x41, (byte)0x93 })).as("bad continuation").isFalse();
        assertThat(utf8(new byte[]{ (byte)0xF4, (byte)0x8F, (byte)0xBF, (byte)0xBF })).as("U+10FFFF").isTrue();
    }

    private static boolean utf8(final byte[] bytes)
    {
        return DBusNames.isValidUtf8(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
