package org.omnibus.codec.dbus;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DBusHeaderEncoderTest
{
    @Test
    void reframesAForwardedMessageWithANewSenderAndTheBodyUntouched()
    {
        for (final ByteOrder order : new ByteOrder[]{ ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN })
        {
            final byte[] original = DBusMessageBuilder.methodCall("org.example.Dest", "/o", "org.example.I", "M")
                .byteOrder(order).serial(77).flags(DBusProtocol.FLAG_NO_AUTO_START).sender(":9.9").unixFds(1)
                .body("a{sv}h", Map.of("k", 1.5), new DBusUnixFd(0)).build();
            final DBusMessageFlyweight in = new DBusMessageFlyweight()
                .wrap(new UnsafeBuffer(original), 0, original.length);

            final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
            final int headerLength = new DBusHeaderEncoder().wrap(out, 3, in.endianness())
                .type(in.type()).flags(in.flags()).serial(in.serial()).bodyLength(in.bodyLength())
                .copyFields(in, 1 << DBusHeaderField.SENDER)
                .sender(":1.42")
                .finish();
            assertThat(headerLength % 8).isZero();
            out.putBytes(3 + headerLength, in.buffer(), in.bodyOffset(), in.bodyLength());

            final DBusMessageFlyweight forwarded = new DBusMessageFlyweight()
                .wrap(out, 3, headerLength + in.bodyLength());
            assertThat(forwarded.sender()).isEqualTo(":1.42");
            assertThat(forwarded.destination()).isEqualTo("org.example.Dest");
            assertThat(forwarded.path()).isEqualTo("/o");
            assertThat(forwarded.member()).isEqualTo("M");
            assertThat(forwarded.serial()).isEqualTo(77);
            assertThat(forwarded.flags()).isEqualTo(DBusProtocol.FLAG_NO_AUTO_START);
            assertThat(forwarded.unixFds()).isEqualTo(1);
            assertThat(forwarded.byteOrder()).isEqualTo(order);
            assertThat(DBusValues.readBody(forwarded)).isEqualTo(DBusValues.readBody(in));
        }
    }

    @Test
    void reservedFieldsAreFilledByTheCaller()
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        final DBusHeaderEncoder encoder = new DBusHeaderEncoder().wrap(out, 0, DBusProtocol.BIG_ENDIAN)
            .type(DBusProtocol.TYPE_SIGNAL).serial(3);
        out.putStringWithoutLengthAscii(encoder.reserveStringField(DBusHeaderField.PATH, 2), "/x");
        out.putStringWithoutLengthAscii(encoder.reserveStringField(DBusHeaderField.INTERFACE, 3), "a.b");
        out.putStringWithoutLengthAscii(encoder.reserveStringField(DBusHeaderField.MEMBER, 1), "S");
        out.putStringWithoutLengthAscii(encoder.reserveStringField(DBusHeaderField.SIGNATURE, 0), "");
        final int length = encoder.finish();
        final DBusMessageFlyweight message = new DBusMessageFlyweight().wrap(out, 0, length);
        assertThat(message.path()).isEqualTo("/x");
        assertThat(message.interfaceName()).isEqualTo("a.b");
        assertThat(message.member()).isEqualTo("S");
        assertThat(message.hasField(DBusHeaderField.SIGNATURE)).isTrue();
        assertThat(message.signature()).isEmpty();
    }

    @Test
    void rejectsUnknownEndiannessAndFields()
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        assertThatThrownBy(() -> new DBusHeaderEncoder().wrap(out, 0, (byte)'x'))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DBusHeaderEncoder().wrap(out, 0, DBusProtocol.LITTLE_ENDIAN).stringField(12, "x"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderWritesFieldsInTheOrderSet()
    {
        final byte[] a = new DBusMessageBuilder(DBusProtocol.TYPE_SIGNAL).member("M").interfaceName("a.b").path("/p")
            .build();
        final byte[] b = DBusMessageBuilder.signal("/p", "a.b", "M").build();
        assertThat(a).hasSameSizeAs(b).isNotEqualTo(b);
        assertThat(Arrays.copyOfRange(a, 16, 24)[0]).isEqualTo((byte)DBusHeaderField.MEMBER);
        assertThat(Arrays.copyOfRange(b, 16, 24)[0]).isEqualTo((byte)DBusHeaderField.PATH);
    }

    @Test
    void builderRejectsInvalidMessagesAndValues()
    {
        assertThatThrownBy(() -> DBusMessageBuilder.signal("/p", "ab", "M").build())
            .isInstanceOf(DBusCodecException.class);
        assertThatThrownBy(() -> DBusMessageBuilder.signal("/p", "a.b", "M").body("i", "x").build())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DBusMessageBuilder.signal("/p", "a.b", "M").body("ii", 1).build())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DBusMessageBuilder.signal("/p", "a.b", "M").body("i", 1, 2).build())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DBusMessageBuilder.signal("/p", "a.b", "M").body("(ii)", List.of(1)).build())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DBusVariant.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderAcceptsConvenientJavaForms()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/p", "a.b", "M")
            .body("aiayadabvvvv(is)aog", new int[]{ 1, 2 }, new byte[]{ 3 }, new double[]{ 0.5 },
                new boolean[]{ true }, "inferred", List.of(1L), Map.of((byte)1, new DBusObjectPath("/o")),
                DBusStruct.of((short)1), new Object[]{ 5, "s" }, List.of("/x"), "ii")
            .build();
        final DBusMessageFlyweight message = new DBusMessageFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        assertThat(DBusValues.readBody(message)).containsExactly(
            List.of(1, 2), List.of((byte)3), List.of(0.5), List.of(true), new DBusVariant("s", "inferred"),
            new DBusVariant("ax", List.of(1L)), new DBusVariant("a{yo}", Map.of((byte)1, new DBusObjectPath("/o"))),
            new DBusVariant("(n)", DBusStruct.of((short)1)), DBusStruct.of(5, "s"),
            List.of(new DBusObjectPath("/x")), new DBusSignature("ii"));
    }
}
