package org.omnibus.codec;

import org.agrona.DirectBuffer;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;

/**
 * Checks the SBE message header of a received frame before any codec reads it, so that a node drops
 * (and counts) frames of another schema, or of a schema version it does not understand, instead of
 * misreading them.
 * <p>
 * Every Omnibus schema uses the same 8-byte little-endian message header (blockLength, templateId,
 * schemaId, version), so one check serves them all.
 */
public final class FrameCheck
{
    /** The frame can be decoded with the expected schema's codecs. */
    public static final int OK = 0;
    /** The frame is shorter than a message header or than the block length it announces. */
    public static final int TOO_SHORT = 1;
    /** The frame belongs to another schema. */
    public static final int WRONG_SCHEMA = 2;
    /** The frame was written with a newer, incompatible version of the schema. */
    public static final int UNSUPPORTED_VERSION = 3;

    /** Length of the SBE message header shared by all Omnibus schemas. */
    public static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private FrameCheck()
    {
    }

    /**
     * Check a frame's header.
     *
     * @param buffer     holding the frame.
     * @param offset     of the message header.
     * @param length     of the frame in bytes.
     * @param schemaId   the schema the reader expects.
     * @param maxVersion the newest version the reader understands.
     * @return {@link #OK}, {@link #TOO_SHORT}, {@link #WRONG_SCHEMA} or {@link #UNSUPPORTED_VERSION}.
     */
    public static int check(
        final DirectBuffer buffer, final int offset, final int length, final int schemaId, final int maxVersion)
    {
        if (length < HEADER_LENGTH)
        {
            return TOO_SHORT;
        }
        final int blockLength = buffer.getShort(offset, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int actualSchemaId = buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int version = buffer.getShort(offset + 6, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (actualSchemaId != schemaId)
        {
            return WRONG_SCHEMA;
        }
        if (version > maxVersion)
        {
            return UNSUPPORTED_VERSION;
        }
        if (length < HEADER_LENGTH + blockLength)
        {
            return TOO_SHORT;
        }
        return OK;
    }

    /**
     * A word for a result of {@link #check}, for log lines.
     *
     * @param result of {@link #check}.
     * @return its name.
     */
    public static String describe(final int result)
    {
        switch (result)
        {
            case OK: return "ok";
            case TOO_SHORT: return "frame too short";
            case WRONG_SCHEMA: return "foreign schema id";
            case UNSUPPORTED_VERSION: return "unsupported schema version";
            default: return "unknown result " + result;
        }
    }
}
