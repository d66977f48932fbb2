package org.omnibus.codec.dbus;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;
import org.omnibus.codec.sbe.bus.MessageType;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DBusSbeConverterTest
{
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final ExpandableArrayBuffer sbe = new ExpandableArrayBuffer(512);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final BusMessageEncoder encoder = new BusMessageEncoder();
    private final BusMessageDecoder decoder = new BusMessageDecoder();
    private final DBusSbeConverter converter = new DBusSbeConverter();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(512);

    @Test
    void messagesWithFieldsInCodeOrderComeBackByteForByte()
    {
        for (final ByteOrder order : new ByteOrder[]{ ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN })
        {
            final byte[] call = new DBusMessageBuilder(DBusProtocol.TYPE_METHOD_CALL).byteOrder(order).serial(12)
                .flags(DBusProtocol.FLAG_ALLOW_INTERACTIVE_AUTHORIZATION)
                .path("/org/x").interfaceName("org.x.I").member("M").destination("org.x").sender(":1.1")
                .signature("a{sv}u").unixFds(2)
                .body("a{sv}u", Map.of("k", new DBusVariant("ai", List.of(1, 2))), 9L).build();
            assertRoundTripBytes(call);
            assertRoundTripBytes(DBusMessageBuilder.error(3, "org.x.Error").byteOrder(order).destination(":1.2")
                .signature("s").body("s", "why").build());
            assertRoundTripBytes(DBusMessageBuilder.methodReturn(4).byteOrder(order).build());
        }
    }

    @Test
    void keepsUnknownTypesFlagsAndTheEnvelope()
    {
        final byte[] odd = new DBusMessageBuilder(77).flags(0xF8).serial(5).build();
        message.wrap(new UnsafeBuffer(odd), 0, odd.length);
        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder).globalSeq(123).viewId(4).originNode(2).originSeq(9)
            .timestampNs(1000L).senderUid(1000).senderGid(100).senderPid(4242).priority((short)3);
        DBusSbeConverter.toSbe(message, encoder);
        decoder.wrapAndApplyHeader(sbe, 0, headerDecoder);
        assertThat(decoder.messageTypeRaw()).isEqualTo((short)77);
        assertThat(decoder.flags().getRaw()).isEqualTo((short)0xF8);
        assertThat(decoder.globalSeq()).isEqualTo(123);
        assertThat(decoder.originNode()).isEqualTo(2);
        assertThat(decoder.senderPid()).isEqualTo(4242);
        final int length = converter.toDBus(decoder, out, 0);
        assertThat(Arrays.copyOf(out.byteArray(), length)).isEqualTo(odd);
    }

    @Test
    void theEdgeStampsTheSender()
    {
        final byte[] signal = DBusMessageBuilder.signal("/a", "a.b", "C").sender(":6.6").body("s", "x").build();
        message.wrap(new UnsafeBuffer(signal), 0, signal.length);

        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder);
        DBusSbeConverter.toSbe(message, encoder, ":1.7");
        assertThat(toDBusMessage().sender()).isEqualTo(":1.7");

        final UnsafeBuffer name = new UnsafeBuffer(":3.4".getBytes());
        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder);
        DBusSbeConverter.toSbe(message, encoder, name, 0, 4);
        final DBusMessageFlyweight back = toDBusMessage();
        assertThat(back.sender()).isEqualTo(":3.4");
        assertThat(DBusValues.readBody(back)).containsExactly("x");
    }

    @Test
    void aCursorReadsTheBodyInsideTheSbeFrame()
    {
        final byte[] signal = DBusMessageBuilder.signal("/a", "a.b", "C").byteOrder(ByteOrder.BIG_ENDIAN)
            .body("tsa{sv}", 5L, "arg1", Map.of("k", 1)).build();
        message.wrap(new UnsafeBuffer(signal), 0, signal.length);
        encoder.wrapAndApplyHeader(sbe, 3, headerEncoder);
        DBusSbeConverter.toSbe(message, encoder);
        decoder.wrapAndApplyHeader(sbe, 3, headerDecoder);
        final int limit = decoder.limit();
        final DBusBodyCursor cursor = DBusSbeConverter.wrapBody(decoder, new DBusBodyCursor());
        assertThat(decoder.limit()).isEqualTo(limit);
        assertThat(cursor.seekArg(1)).isEqualTo('s');
        cursor.readString();
        assertThat(cursor.stringEquals("arg1")).isTrue();
        assertThat(DBusValues.readAll(cursor.rewind()))
            .containsExactly(5L, "arg1", Map.of("k", new DBusVariant("i", 1)));
        assertThat(decoder.path()).isEqualTo("/a");
    }

    @Test
    void corruptFramesRaiseCodecExceptions()
    {
        final byte[] signal = DBusMessageBuilder.signal("/a", "a.b", "C").build();
        message.wrap(new UnsafeBuffer(signal), 0, signal.length);
        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + DBusSbeConverter.toSbe(message, encoder);
        final UnsafeBuffer frame = new UnsafeBuffer(Arrays.copyOf(sbe.byteArray(), length));
        frame.putInt(MessageHeaderEncoder.ENCODED_LENGTH + BusMessageEncoder.BLOCK_LENGTH, 1 << 30,
            BusMessageDecoder.BYTE_ORDER);
        decoder.wrapAndApplyHeader(frame, 0, headerDecoder);
        assertThatThrownBy(() -> DBusSbeConverter.dbusLength(decoder)).isInstanceOf(DBusCodecException.class);
        assertThatThrownBy(() -> converter.toDBus(decoder, out, 0)).isInstanceOf(DBusCodecException.class);
        assertThatThrownBy(() -> DBusSbeConverter.wrapBody(decoder, new DBusBodyCursor()))
            .isInstanceOf(DBusCodecException.class);

        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder);
        DBusSbeConverter.toSbe(message, encoder);
        sbe.putByte(MessageHeaderEncoder.ENCODED_LENGTH + BusMessageEncoder.endiannessEncodingOffset(), (byte)'x');
        decoder.wrapAndApplyHeader(sbe, 0, headerDecoder);
        assertThatThrownBy(() -> converter.toDBus(decoder, out, 0)).isInstanceOfSatisfying(DBusCodecException.class,
            ex -> assertThat(ex.rule()).isEqualTo(DBusRule.NOT_CONVERTIBLE));
    }

    @Test
    void messageTypesMatchTheSchemaEnum()
    {
        assertThat(MessageType.METHOD_CALL.value()).isEqualTo((short)DBusProtocol.TYPE_METHOD_CALL);
        assertThat(MessageType.METHOD_RETURN.value()).isEqualTo((short)DBusProtocol.TYPE_METHOD_RETURN);
        assertThat(MessageType.ERROR.value()).isEqualTo((short)DBusProtocol.TYPE_ERROR);
        assertThat(MessageType.SIGNAL.value()).isEqualTo((short)DBusProtocol.TYPE_SIGNAL);
    }

    private void assertRoundTripBytes(final byte[] original)
    {
        message.wrap(new UnsafeBuffer(original), 0, original.length);
        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder);
        DBusSbeConverter.toSbe(message, encoder);
        decoder.wrapAndApplyHeader(sbe, 0, headerDecoder);
        assertThat(DBusSbeConverter.dbusLength(decoder)).isEqualTo(original.length);
        final int length = converter.toDBus(decoder, out, 5);
        assertThat(Arrays.copyOfRange(out.byteArray(), 5, 5 + length)).isEqualTo(original);
    }

    private DBusMessageFlyweight toDBusMessage()
    {
        decoder.wrapAndApplyHeader(sbe, 0, headerDecoder);
        final int length = converter.toDBus(decoder, out, 0);
        return new DBusMessageFlyweight().wrap(out, 0, length);
    }
}
