package org.omnibus.codec.dbus;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DBusBodyCursorTest
{
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final DBusBodyCursor cursor = new DBusBodyCursor();

    @Test
    void readsEveryBasicType()
    {
        for (final ByteOrder order : new ByteOrder[]{ ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN })
        {
            wrap(DBusMessageBuilder.signal("/a", "a.b", "C").byteOrder(order).unixFds(3)
                .body("ybnqiuxtdhsog", (byte)-3, true, (short)-4, 65535, -5, 4294967295L, Long.MIN_VALUE, -1L, 0.5,
                    new DBusUnixFd(2), "ß", "/p", "a{sv}")
                .build());
            assertThat(cursor.readByte()).isEqualTo((byte)-3);
            assertThat(cursor.readBoolean()).isTrue();
            assertThat(cursor.readInt16()).isEqualTo((short)-4);
            assertThat(cursor.readUint16()).isEqualTo(65535);
            assertThat(cursor.readInt32()).isEqualTo(-5);
            assertThat(cursor.readUint32()).isEqualTo(4294967295L);
            assertThat(cursor.readInt64()).isEqualTo(Long.MIN_VALUE);
            assertThat(cursor.readUint64()).isEqualTo(-1L);
            assertThat(cursor.readDouble()).isEqualTo(0.5);
            assertThat(cursor.readUnixFd()).isEqualTo(2);
            assertThat(cursor.readString()).isEqualTo(2);
            assertThat(cursor.stringEquals("ß")).isTrue();
            assertThat(cursor.readStringAsString()).isEqualTo("/p");
            assertThat(cursor.peekType()).isEqualTo('g');
            assertThat(cursor.readStringAsString()).isEqualTo("a{sv}");
            assertThat(cursor.hasNext()).isFalse();
            assertThat(cursor.peekType()).isEqualTo(DBusBodyCursor.END);
        }
    }

    @Test
    void seeksArgumentsForMatchRules()
    {
        wrap(DBusMessageBuilder.signal("/a", "a.b", "NameOwnerChanged")
            .body("a{sv}sss", Map.of("x", 1), "org.example.Name", "", ":1.4").build());
        assertThat(cursor.seekArg(1)).isEqualTo('s');
        cursor.readString();
        assertThat(cursor.stringEquals("org.example.Name")).isTrue();
        assertThat(cursor.stringEquals("org.example.Nam")).isFalse();
        assertThat(cursor.seekArg(2)).isEqualTo('s');
        assertThat(cursor.readString()).isZero();
        assertThat(cursor.stringEquals("")).isTrue();
        assertThat(cursor.seekArg(3)).isEqualTo('s');
        cursor.readString();
        assertThat(message.buffer().getStringWithoutLengthAscii(cursor.stringOffset(), cursor.stringLength()))
            .isEqualTo(":1.4");
        assertThat(cursor.seekArg(4)).isEqualTo(DBusBodyCursor.END);
        assertThat(cursor.seekArg(9)).isEqualTo(DBusBodyCursor.END);
        assertThat(cursor.seekArg(0)).isEqualTo('a');
    }

    @Test
    void readsDriverArgumentsStructsAndDicts()
    {
        final Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("one", new DBusVariant("i", 1));
        dict.put("two", new DBusVariant("as", List.of("x", "y")));
        wrap(DBusMessageBuilder.signal("/a", "a.b", "C")
            .body("(su)a{sv}ax", DBusStruct.of("org.example.Name", 4L), dict, List.of()).build());

        cursor.enterStruct();
        assertThat(cursor.depth()).isEqualTo(1);
        assertThat(cursor.readStringAsString()).isEqualTo("org.example.Name");
        assertThat(cursor.readUint32()).isEqualTo(4);
        assertThat(cursor.hasNext()).isFalse();
        cursor.exit();

        assertThat(cursor.enterArray()).isPositive();
        assertThat(cursor.elementType()).isEqualTo('{');
        cursor.enterDictEntry();
        assertThat(cursor.readStringAsString()).isEqualTo("one");
        assertThat(cursor.enterVariant()).isEqualTo('i');
        assertThat(cursor.readInt32()).isEqualTo(1);
        cursor.exit();
        cursor.exit();
        cursor.enterDictEntry();
        assertThat(cursor.readStringAsString()).isEqualTo("two");
        cursor.exit(); // skips the unread variant
        assertThat(cursor.hasNext()).isFalse();
        cursor.exit();

        assertThat(cursor.enterArray()).isZero();
        assertThat(cursor.elementType()).isEqualTo('x');
        assertThat(cursor.hasNext()).isFalse();
        cursor.exit();
        assertThat(cursor.depth()).isZero();
        assertThat(cursor.hasNext()).isFalse();
    }

    @Test
    void exitSkipsTheRestOfAnArray()
    {
        wrap(DBusMessageBuilder.signal("/a", "a.b", "C").body("a(sv)s", List.of(
            DBusStruct.of("a", new DBusVariant("t", 1L)), DBusStruct.of("b", new DBusVariant("y", (byte)2))), "end")
            .build());
        cursor.enterArray();
        cursor.enterStruct();
        assertThat(cursor.readStringAsString()).isEqualTo("a");
        cursor.exit();
        cursor.exit();
        assertThat(cursor.readStringAsString()).isEqualTo("end");
    }

    @Test
    void typeMismatchIsACodecException()
    {
        wrap(DBusMessageBuilder.signal("/a", "a.b", "C").body("si", "x", 1).build());
        assertThatThrownBy(cursor::readInt32).isInstanceOfSatisfying(DBusCodecException.class,
            ex -> assertThat(ex.rule()).isEqualTo(DBusRule.TYPE_MISMATCH));
        assertThatThrownBy(cursor::enterArray).isInstanceOf(DBusCodecException.class);
        assertThatThrownBy(cursor::enterStruct).isInstanceOf(DBusCodecException.class);
        assertThatThrownBy(cursor::enterVariant).isInstanceOf(DBusCodecException.class);
        assertThatThrownBy(cursor::exit).isInstanceOf(DBusCodecException.class);
        cursor.skip();
        cursor.skip();
        assertThatThrownBy(cursor::skip).isInstanceOf(DBusCodecException.class);
        assertThatThrownBy(cursor::readString).isInstanceOf(DBusCodecException.class);
    }

    @Test
    void staysInsideAnUnvalidatedBody()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/a", "a.b", "C")
            .rawBody("asv", new byte[]{ 100, 0, 0, 0, 0, 0, 0, 0 }).buildUnvalidated();
        message.wrapHeader(new UnsafeBuffer(bytes), 0, bytes.length);
        cursor.wrap(message);
        assertThatThrownBy(cursor::enterArray).isInstanceOfSatisfying(DBusCodecException.class,
            ex -> assertThat(ex.rule()).isEqualTo(DBusRule.TRUNCATED));
        assertThatThrownBy(() -> DBusValues.readBody(message)).isInstanceOf(DBusCodecException.class);
    }

    @Test
    void validatesSignaturesOfBodiesHeldApart()
    {
        final UnsafeBuffer sig = new UnsafeBuffer("a{vs}".getBytes(StandardCharsets.US_ASCII));
        final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
        assertThatThrownBy(() -> cursor.wrap(body, 0, 8, ByteOrder.LITTLE_ENDIAN, sig, 0, 5))
            .isInstanceOfSatisfying(DBusCodecException.class,
                ex -> assertThat(ex.rule()).isEqualTo(DBusRule.SIGNATURE_DICT_KEY_NOT_BASIC));
        final UnsafeBuffer ok = new UnsafeBuffer("ax".getBytes(StandardCharsets.US_ASCII));
        cursor.wrap(body, 0, 8, ByteOrder.LITTLE_ENDIAN, ok, 0, 2);
        assertThat(cursor.enterArray()).isZero();
    }

    @Test
    void utf8EqualsEncodesOnTheFly()
    {
        final String text = "aß✓𝄞";
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertThat(DBusBodyCursor.utf8Equals(buffer, 0, bytes.length, text)).isTrue();
        assertThat(DBusBodyCursor.utf8Equals(buffer, 0, bytes.length, "aß✓")).isFalse();
        assertThat(DBusBodyCursor.utf8Equals(buffer, 0, bytes.length - 1, text)).isFalse();
        assertThat(DBusBodyCursor.utf8Equals(buffer, 0, bytes.length, "aß✗𝄞")).isFalse();
        assertThat(DBusBodyCursor.utf8Equals(buffer, 0, 0, "")).isTrue();
    }

    private void wrap(final byte[] bytes)
    {
        message.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        cursor.wrap(message);
    }
}
