package org.omnibus.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;
import org.omnibus.codec.sbe.bus.MessageType;
import org.omnibus.codec.sbe.membership.HeartbeatEncoder;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCheckTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));

    @Test
    void acceptsBusMessageOfOwnSchemaAndRoundTripsIt()
    {
        final int length = encodeBusMessage();

        assertThat(FrameCheck.check(buffer, 0, length, BusMessageDecoder.SCHEMA_ID, BusMessageDecoder.SCHEMA_VERSION))
            .isEqualTo(FrameCheck.OK);

        final BusMessageDecoder decoder = new BusMessageDecoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertThat(decoder.globalSeq()).isEqualTo(42);
        assertThat(decoder.messageType()).isEqualTo(MessageType.SIGNAL);
        assertThat(decoder.senderUid()).isEqualTo(1000);
        assertThat(decoder.path()).isEqualTo("/org/example");
        assertThat(decoder.interfaceName()).isEqualTo("org.example.Iface");
        assertThat(decoder.member()).isEqualTo("Changed");
        assertThat(decoder.errorName()).isEmpty();
        assertThat(decoder.destination()).isEmpty();
        assertThat(decoder.sender()).isEqualTo(":1.7");
        assertThat(decoder.signature()).isEqualTo("u");
        final byte[] body = new byte[decoder.bodyLength()];
        decoder.getBody(body, 0, body.length);
        assertThat(body).containsExactly(1, 0, 0, 0);
    }

    @Test
    void rejectsForeignSchemaNewerVersionAndShortFrames()
    {
        final int length = encodeBusMessage();

        assertThat(FrameCheck.check(buffer, 0, length, 7002, 1)).isEqualTo(FrameCheck.WRONG_SCHEMA);
        assertThat(FrameCheck.check(buffer, 0, 7, BusMessageDecoder.SCHEMA_ID, 1)).isEqualTo(FrameCheck.TOO_SHORT);
        assertThat(FrameCheck.check(buffer, 0, 20, BusMessageDecoder.SCHEMA_ID, 1)).isEqualTo(FrameCheck.TOO_SHORT);

        buffer.putShort(6, (short)(BusMessageDecoder.SCHEMA_VERSION + 1), java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(FrameCheck.check(buffer, 0, length, BusMessageDecoder.SCHEMA_ID, BusMessageDecoder.SCHEMA_VERSION))
            .isEqualTo(FrameCheck.UNSUPPORTED_VERSION);
        assertThat(FrameCheck.describe(FrameCheck.UNSUPPORTED_VERSION)).isEqualTo("unsupported schema version");
    }

    @Test
    void membershipFramesAreNotBusFrames()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new HeartbeatEncoder()
            .wrapAndApplyHeader(buffer, 0, new org.omnibus.codec.sbe.membership.MessageHeaderEncoder())
            .nodeId(3)
            .encodedLength();

        assertThat(FrameCheck.check(buffer, 0, length, BusMessageDecoder.SCHEMA_ID, BusMessageDecoder.SCHEMA_VERSION))
            .isEqualTo(FrameCheck.WRONG_SCHEMA);
        assertThat(FrameCheck.check(buffer, 0, length, HeartbeatEncoder.SCHEMA_ID, HeartbeatEncoder.SCHEMA_VERSION))
            .isEqualTo(FrameCheck.OK);
    }

    private int encodeBusMessage()
    {
        final BusMessageEncoder encoder = new BusMessageEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .globalSeq(42)
            .viewId(1)
            .originNode(1)
            .originSeq(7)
            .timestampNs(0)
            .senderUid(1000)
            .senderGid(1000)
            .senderPid(77)
            .priority((short)0)
            .messageType(MessageType.SIGNAL)
            .endianness(org.omnibus.codec.sbe.bus.Endianness.LITTLE)
            .serial(5)
            .replySerial(0)
            .unixFds(0)
            .path("/org/example")
            .interfaceName("org.example.Iface")
            .member("Changed")
            .errorName("")
            .destination("")
            .sender(":1.7")
            .signature("u");
        encoder.putBody(new byte[] {1, 0, 0, 0}, 0, 4);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
