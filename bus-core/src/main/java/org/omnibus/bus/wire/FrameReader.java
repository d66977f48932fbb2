package org.omnibus.bus.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.codec.FrameCheck;
import org.omnibus.codec.sbe.bus.GroupSizeEncodingDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;

/**
 * Checks shared by the control-path codecs: every length and count is checked against the frame's end before it
 * is used, so a truncated or lying frame fails with a {@link MalformedFrameException} rather than reading beyond
 * the frame (whatever Agrona's bounds-check setting). Strings are strict: UTF-8 without malformed sequences,
 * names ASCII. Allocates (control path).
 */
final class FrameReader
{
    /** Highest schema version these codecs read. */
    static final int MAX_VERSION = MessageHeaderDecoder.SCHEMA_VERSION;

    private FrameReader()
    {
    }

    /**
     * Check the message header of a bus-schema frame.
     *
     * @return the acting block length.
     */
    static int checkHeader(
        final MessageHeaderDecoder header,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int templateId,
        final int minBlockLength,
        final String what)
    {
        final int result = FrameCheck.check(buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, MAX_VERSION);
        if (result != FrameCheck.OK)
        {
            throw new MalformedFrameException(what + ": " + FrameCheck.describe(result) + " (length " + length + ")");
        }
        header.wrap(buffer, offset);
        if (header.templateId() != templateId)
        {
            throw new MalformedFrameException(what + ": template id " + header.templateId() + ", expected " +
                templateId);
        }
        if (header.blockLength() < minBlockLength)
        {
            throw new MalformedFrameException(what + ": block length " + header.blockLength() + " < " +
                minBlockLength);
        }
        return header.blockLength();
    }

    /**
     * @param limit position of the next read.
     * @param bytes bytes about to be read there.
     * @param end   end of the frame.
     * @param what  what is being read, for the message.
     */
    static void need(final int limit, final long bytes, final int end, final String what)
    {
        if (bytes < 0 || limit + bytes > end)
        {
            throw new MalformedFrameException(what + " runs past the end of the frame (" + bytes + " bytes at " +
                limit + ", end " + end + ")");
        }
    }

    /**
     * Check a group's dimensions before wrapping it: its header fits, then its entries' fixed parts fit.
     *
     * @return the number of entries.
     */
    static int group(
        final DirectBuffer buffer, final int limit, final int end, final int minBlockLength, final String what)
    {
        need(limit, GroupSizeEncodingDecoder.ENCODED_LENGTH, end, what + " group header");
        final int blockLength = buffer.getShort(limit, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int count = buffer.getShort(limit + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (blockLength < minBlockLength)
        {
            throw new MalformedFrameException(what + ": entry block length " + blockLength + " < " + minBlockLength);
        }
        need(limit + GroupSizeEncodingDecoder.ENCODED_LENGTH, (long)count * blockLength, end, what);
        return count;
    }

    /**
     * Check a var-data field with a uint32 length before reading it.
     *
     * @return its length.
     */
    static int data32(final DirectBuffer buffer, final int limit, final int end, final String what)
    {
        need(limit, 4, end, what + " length");
        final long length = buffer.getInt(limit, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        need(limit + 4, length, end, what);
        return (int)length;
    }

    /**
     * Check a var-data field with a uint16 length before reading it.
     *
     * @return its length.
     */
    static int data16(final DirectBuffer buffer, final int limit, final int end, final int maxLength, final String what)
    {
        need(limit, 2, end, what + " length");
        final int length = buffer.getShort(limit, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (length > maxLength)
        {
            throw new MalformedFrameException(what + " longer than " + maxLength + ": " + length);
        }
        need(limit + 2, length, end, what);
        return length;
    }

    /**
     * @return the bytes as a string, or a {@link MalformedFrameException} when they are not UTF-8.
     */
    static String utf8(final DirectBuffer buffer, final int offset, final int length, final String what)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new MalformedFrameException(what + " is not UTF-8", ex);
        }
    }

    /**
     * @return the bytes as an ASCII string, or a {@link MalformedFrameException} when one is not ASCII.
     */
    static String ascii(final DirectBuffer buffer, final int offset, final int length, final String what)
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b <= 0)
            {
                throw new MalformedFrameException(what + " is not ASCII without NUL at byte " + i);
            }
            chars[i] = (char)b;
        }
        return new String(chars);
    }

    /**
     * @return the string's UTF-8 bytes; an {@link IllegalArgumentException} when it is not valid Unicode (a lone
     * surrogate would not come back the same).
     */
    static byte[] utf8Bytes(final String value, final String what)
    {
        try
        {
            final ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(value));
            final byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException(what + " is not valid Unicode: " + value, ex);
        }
    }

    /**
     * @return the name's bytes; an {@link IllegalArgumentException} when it is not ASCII without NUL or longer
     * than {@code maxLength}.
     */
    static byte[] asciiBytes(final String value, final int maxLength, final String what)
    {
        final int length = value.length();
        if (length > maxLength)
        {
            throw new IllegalArgumentException(what + " longer than " + maxLength + ": " + length);
        }
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c == 0 || c > 0x7F)
            {
                throw new IllegalArgumentException(what + " is not ASCII without NUL: " + value);
            }
            bytes[i] = (byte)c;
        }
        return bytes;
    }

    /**
     * @return the credentials' gids, checked against the group limit.
     */
    static int gidCount(final PeerCredentials credentials)
    {
        final int count = credentials.gidCount();
        if (count > GroupSizeEncodingDecoder.numInGroupMaxValue())
        {
            throw new IllegalArgumentException("more than " + GroupSizeEncodingDecoder.numInGroupMaxValue() +
                " group ids: " + count);
        }
        return count;
    }
}
