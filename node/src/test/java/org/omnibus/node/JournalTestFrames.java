package org.omnibus.node;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusSbeConverter;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;
import org.omnibus.persistence.Journal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds journal entries the way the node will: a D-Bus message (DBusMessageBuilder) wrapped by the codec's
 * flyweight and converted to an SBE BusMessage frame with its envelope.
 */
final class JournalTestFrames
{
    static final long VIEW_ID = 1;
    static final int ORIGIN_NODE = 1;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final BusMessageEncoder encoder = new BusMessageEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final DBusMessageFlyweight flyweight = new DBusMessageFlyweight();

    /**
     * Append a D-Bus message as a BusMessage frame.
     */
    void appendDBus(final Journal journal, final long seq, final long timestampNs, final byte[] dbus)
    {
        flyweight.wrap(new UnsafeBuffer(dbus), 0, dbus.length);
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .globalSeq(seq)
            .viewId(VIEW_ID)
            .originNode(ORIGIN_NODE)
            .originSeq(seq)
            .timestampNs(timestampNs)
            .senderUid(1000)
            .senderGid(1000)
            .senderPid(4242)
            .priority((short)0);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + DBusSbeConverter.toSbe(flyweight, encoder);
        append(journal, seq, timestampNs, buffer, length);
    }

    /**
     * Append an SBE frame of another schema: a message header and a zeroed block.
     */
    void appendOtherFrame(
        final Journal journal, final long seq, final long timestampNs, final int schemaId, final int templateId,
        final int version, final int blockLength)
    {
        buffer.setMemory(0, MessageHeaderEncoder.ENCODED_LENGTH + blockLength, (byte)0);
        header.wrap(buffer, 0).blockLength(blockLength).templateId(templateId).schemaId(schemaId).version(version);
        append(journal, seq, timestampNs, buffer, MessageHeaderEncoder.ENCODED_LENGTH + blockLength);
    }

    /**
     * Append a frame of a few bytes, too short to be SBE.
     */
    void appendShortFrame(final Journal journal, final long seq, final long timestampNs, final int length)
    {
        buffer.setMemory(0, length, (byte)7);
        append(journal, seq, timestampNs, buffer, length);
    }

    private static void append(
        final Journal journal, final long seq, final long timestampNs, final MutableDirectBuffer frame,
        final int length)
    {
        assertThat(journal.append(seq, VIEW_ID, ORIGIN_NODE, seq, timestampNs, frame, 0, length))
            .as("append %d", seq).isEqualTo(seq);
    }
}
