package org.omnibus.node;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.dbus.DBusCodecException;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusSbeConverter;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;

/**
 * Decodes the frame of a journal entry: normally an SBE {@code BusMessage} (message header included), which it
 * turns back into the D-Bus message it carries; any other frame (another template or schema) is only described
 * by its SBE header. Never throws on a frame: what cannot be decoded is reported by the result.
 */
final class JournalFrameDecoder
{
    /** The frame is a {@code BusMessage}: {@link #message()} and {@link #wire()} hold the D-Bus message. */
    static final int BUS_MESSAGE = 1;
    /** An SBE frame of another schema or template: see {@link #schemaId()}, {@link #templateId()}. */
    static final int OTHER_FRAME = 2;
    /** Shorter than an SBE message header. */
    static final int NOT_SBE = 3;
    /** A {@code BusMessage} that does not make a D-Bus message: see {@link #problem()}. */
    static final int UNDECODABLE = 4;

    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BusMessageDecoder decoder = new BusMessageDecoder();
    private final DBusSbeConverter converter = new DBusSbeConverter();
    private final ExpandableArrayBuffer wire = new ExpandableArrayBuffer(4096);
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private int wireLength;
    private int schemaId;
    private int templateId;
    private int version;
    private String problem;
    private String bodyProblem;

    /**
     * Decode a frame.
     *
     * @param buffer holding the frame.
     * @param offset of the frame's SBE message header.
     * @param length of the frame.
     * @return {@link #BUS_MESSAGE}, {@link #OTHER_FRAME}, {@link #NOT_SBE} or {@link #UNDECODABLE}.
     */
    int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        problem = null;
        bodyProblem = null;
        wireLength = 0;
        schemaId = -1;
        templateId = -1;
        version = -1;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return NOT_SBE;
        }
        frame.wrap(buffer, offset, length);
        header.wrap(frame, 0);
        schemaId = header.schemaId();
        templateId = header.templateId();
        version = header.version();
        if (schemaId != BusMessageDecoder.SCHEMA_ID || templateId != BusMessageDecoder.TEMPLATE_ID)
        {
            return OTHER_FRAME;
        }
        try
        {
            decoder.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), version);
            wireLength = converter.toDBus(decoder, wire, 0);
        }
        catch (final RuntimeException ex)
        {
            problem = describe(ex);
            return UNDECODABLE;
        }
        try
        {
            message.wrap(wire, 0, wireLength);
        }
        catch (final DBusCodecException ex)
        {
            try
            {
                message.wrapHeader(wire, 0, wireLength);
                bodyProblem = describe(ex);
            }
            catch (final DBusCodecException headerEx)
            {
                problem = describe(headerEx);
                return UNDECODABLE;
            }
        }
        return BUS_MESSAGE;
    }

    /**
     * @return the D-Bus message of the last {@link #BUS_MESSAGE}, wrapped.
     */
    DBusMessageFlyweight message()
    {
        return message;
    }

    /**
     * @return the buffer holding the D-Bus message's bytes from index 0.
     */
    ExpandableArrayBuffer wire()
    {
        return wire;
    }

    /**
     * @return the length of the D-Bus message.
     */
    int wireLength()
    {
        return wireLength;
    }

    /**
     * @return what is wrong with the body of the last {@link #BUS_MESSAGE} (its header is whole), or null.
     */
    String bodyProblem()
    {
        return bodyProblem;
    }

    /**
     * @return why the last frame was {@link #UNDECODABLE}.
     */
    String problem()
    {
        return problem;
    }

    /**
     * @return the SBE schema id of the last frame, or -1.
     */
    int schemaId()
    {
        return schemaId;
    }

    /**
     * @return the SBE template id of the last frame, or -1.
     */
    int templateId()
    {
        return templateId;
    }

    /**
     * @return the SBE schema version of the last frame, or -1.
     */
    int version()
    {
        return version;
    }

    private static String describe(final RuntimeException ex)
    {
        return null == ex.getMessage() ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
