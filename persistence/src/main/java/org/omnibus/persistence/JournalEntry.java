package org.omnibus.persistence;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of one journal entry, the bytes of one Chronicle Queue document and of one record of an export file.
 * All fields are little-endian.
 * <pre>
 *   0  int32  crc32c    CRC-32C of bytes [4, 56 + frameLength)
 *   4  uint8  type      {@link #TYPE_MESSAGE} or {@link #TYPE_MARKER}
 *   5  uint8  version   {@link #FORMAT_VERSION}
 *   6  uint16 flags     0
 *   8  int32  frameLength
 *  12  int32  originNode
 *  16  int64  globalSeq      marker: the sequence the next message must carry, or -1 for any
 *  24  int64  viewId
 *  32  int64  originSeq      marker: first Chronicle index it supersedes, or {@link Long#MAX_VALUE} for none
 *  40  int64  timestampNs    origin's accept time (marker: wall clock when written)
 *  48  int64  journalTimeNs  max of timestampNs over this entry and every earlier one: never decreases
 *  56  frame  frameLength bytes: the SBE BusMessage frame with its message header, opaque to the journal
 * </pre>
 * An entry is valid when its document is exactly {@code 56 + frameLength} bytes long, its type and version are
 * known and its CRC matches; anything else is corrupt and is never served.
 */
public final class JournalEntry
{
    /** Current entry format version. */
    public static final int FORMAT_VERSION = 1;
    /** An entry holding a sequenced message. */
    public static final int TYPE_MESSAGE = 1;
    /** A truncation marker: it supersedes earlier entries from a Chronicle index on. */
    public static final int TYPE_MARKER = 2;

    /** Offset of the CRC-32C. */
    public static final int CRC_OFFSET = 0;
    /** Offset of the entry type. */
    public static final int TYPE_OFFSET = 4;
    /** Offset of the format version. */
    public static final int VERSION_OFFSET = 5;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 6;
    /** Offset of the frame length. */
    public static final int FRAME_LENGTH_OFFSET = 8;
    /** Offset of the origin node id. */
    public static final int ORIGIN_NODE_OFFSET = 12;
    /** Offset of the global sequence. */
    public static final int GLOBAL_SEQ_OFFSET = 16;
    /** Offset of the view id. */
    public static final int VIEW_ID_OFFSET = 24;
    /** Offset of the origin sequence. */
    public static final int ORIGIN_SEQ_OFFSET = 32;
    /** Offset of the origin timestamp. */
    public static final int TIMESTAMP_OFFSET = 40;
    /** Offset of the journal time. */
    public static final int JOURNAL_TIME_OFFSET = 48;
    /** Length of the envelope before the frame. */
    public static final int HEADER_LENGTH = 56;

    /** Result of {@link #verify}: the entry is whole. */
    public static final int VALID = 0;
    /** Result of {@link #verify}: shorter than a header. */
    public static final int TOO_SHORT = 1;
    /** Result of {@link #verify}: the frame length disagrees with the entry length. */
    public static final int BAD_LENGTH = 2;
    /** Result of {@link #verify}: unknown type or version. */
    public static final int BAD_TYPE = 3;
    /** Result of {@link #verify}: the CRC does not match. */
    public static final int BAD_CRC = 4;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private JournalEntry()
    {
    }

    /**
     * Write a message entry's envelope and frame, then its CRC.
     *
     * @param entry         buffer over the entry's memory, at least {@code HEADER_LENGTH + length} long.
     * @param entryAddress  native address of {@code entry}'s first byte (for the CRC).
     * @param globalSeq     global sequence.
     * @param viewId        view in which it was sequenced.
     * @param originNode    node whose edge accepted it.
     * @param originSeq     per-origin sequence.
     * @param timestampNs   origin's accept time.
     * @param journalTimeNs monotone journal time.
     * @param src           frame.
     * @param offset        of the frame in src.
     * @param length        of the frame.
     * @param checksum      computes the CRC.
     */
    static void encodeMessage(
        final MutableDirectBuffer entry,
        final long entryAddress,
        final long globalSeq,
        final long viewId,
        final int originNode,
        final long originSeq,
        final long timestampNs,
        final long journalTimeNs,
        final DirectBuffer src,
        final int offset,
        final int length,
        final EntryChecksum checksum)
    {
        encodeHeader(entry, TYPE_MESSAGE, length, originNode, globalSeq, viewId, originSeq, timestampNs, journalTimeNs);
        entry.putBytes(HEADER_LENGTH, src, offset, length);
        entry.putInt(CRC_OFFSET, checksum.compute(entry, entryAddress, TYPE_OFFSET, HEADER_LENGTH + length - 4), LE);
    }

    /**
     * Write a marker entry.
     *
     * @param entry          buffer over the entry's memory, at least {@code HEADER_LENGTH} long.
     * @param entryAddress   native address of the entry.
     * @param nextSeq        sequence the next message must carry, or -1 for any.
     * @param viewId         view asking for the truncation.
     * @param supersedesFrom first Chronicle index superseded, or {@link Long#MAX_VALUE}.
     * @param wallClockNs    when it was written.
     * @param journalTimeNs  journal time of the last entry that remains.
     * @param checksum       computes the CRC.
     */
    static void encodeMarker(
        final MutableDirectBuffer entry,
        final long entryAddress,
        final long nextSeq,
        final long viewId,
        final long supersedesFrom,
        final long wallClockNs,
        final long journalTimeNs,
        final EntryChecksum checksum)
    {
        encodeHeader(entry, TYPE_MARKER, 0, 0, nextSeq, viewId, supersedesFrom, wallClockNs, journalTimeNs);
        entry.putInt(CRC_OFFSET, checksum.compute(entry, entryAddress, TYPE_OFFSET, HEADER_LENGTH - 4), LE);
    }

    private static void encodeHeader(
        final MutableDirectBuffer entry,
        final int type,
        final int frameLength,
        final int originNode,
        final long globalSeq,
        final long viewId,
        final long originSeq,
        final long timestampNs,
        final long journalTimeNs)
    {
        entry.putByte(TYPE_OFFSET, (byte)type);
        entry.putByte(VERSION_OFFSET, (byte)FORMAT_VERSION);
        entry.putShort(FLAGS_OFFSET, (short)0, LE);
        entry.putInt(FRAME_LENGTH_OFFSET, frameLength, LE);
        entry.putInt(ORIGIN_NODE_OFFSET, originNode, LE);
        entry.putLong(GLOBAL_SEQ_OFFSET, globalSeq, LE);
        entry.putLong(VIEW_ID_OFFSET, viewId, LE);
        entry.putLong(ORIGIN_SEQ_OFFSET, originSeq, LE);
        entry.putLong(TIMESTAMP_OFFSET, timestampNs, LE);
        entry.putLong(JOURNAL_TIME_OFFSET, journalTimeNs, LE);
    }

    /**
     * Check an entry's length, type, version and CRC.
     *
     * @param entry   buffer whose byte 0 is the entry's first byte, backed by native memory at entryAddress.
     * @param address native address of the entry's first byte.
     * @param length  of the entry (the Chronicle document or export record).
     * @param checksum computes the CRC.
     * @return {@link #VALID}, {@link #TOO_SHORT}, {@link #BAD_LENGTH}, {@link #BAD_TYPE} or {@link #BAD_CRC}.
     */
    static int verify(final DirectBuffer entry, final long address, final int length, final EntryChecksum checksum)
    {
        if (length < HEADER_LENGTH)
        {
            return TOO_SHORT;
        }
        final int type = entry.getByte(TYPE_OFFSET);
        if ((type != TYPE_MESSAGE && type != TYPE_MARKER) || entry.getByte(VERSION_OFFSET) != FORMAT_VERSION)
        {
            return BAD_TYPE;
        }
        final int frameLength = entry.getInt(FRAME_LENGTH_OFFSET, LE);
        if (frameLength < 0 || frameLength != length - HEADER_LENGTH)
        {
            return BAD_LENGTH;
        }
        final int crc = checksum.compute(entry, address, TYPE_OFFSET, length - 4);
        return crc == entry.getInt(CRC_OFFSET, LE) ? VALID : BAD_CRC;
    }

    /**
     * @param result of {@link #verify}.
     * @return words for a log line or an exception.
     */
    public static String describe(final int result)
    {
        switch (result)
        {
            case VALID:
                return "valid";
            case TOO_SHORT:
                return "shorter than an entry header";
            case BAD_LENGTH:
                return "frame length disagrees with the entry length (torn or overwritten)";
            case BAD_TYPE:
                return "unknown entry type or format version";
            case BAD_CRC:
                return "CRC-32C mismatch";
            default:
                return "unknown result " + result;
        }
    }

    /**
     * @param entry entry buffer.
     * @return the entry type.
     */
    public static int type(final DirectBuffer entry)
    {
        return entry.getByte(TYPE_OFFSET);
    }

    /**
     * @param entry entry buffer.
     * @return the frame length.
     */
    public static int frameLength(final DirectBuffer entry)
    {
        return entry.getInt(FRAME_LENGTH_OFFSET, LE);
    }

    /**
     * @param entry entry buffer.
     * @return the origin node.
     */
    public static int originNode(final DirectBuffer entry)
    {
        return entry.getInt(ORIGIN_NODE_OFFSET, LE);
    }

    /**
     * @param entry entry buffer.
     * @return the global sequence (a marker's next sequence).
     */
    public static long globalSeq(final DirectBuffer entry)
    {
        return entry.getLong(GLOBAL_SEQ_OFFSET, LE);
    }

    /**
     * @param entry entry buffer.
     * @return the view id.
     */
    public static long viewId(final DirectBuffer entry)
    {
        return entry.getLong(VIEW_ID_OFFSET, LE);
    }

    /**
     * @param entry entry buffer.
     * @return the origin sequence (a marker's first superseded index).
     */
    public static long originSeq(final DirectBuffer entry)
    {
        return entry.getLong(ORIGIN_SEQ_OFFSET, LE);
    }

    /**
     * @param entry entry buffer.
     * @return the origin timestamp.
     */
    public static long timestampNs(final DirectBuffer entry)
    {
        return entry.getLong(TIMESTAMP_OFFSET, LE);
    }

    /**
     * @param entry entry buffer.
     * @return the journal time.
     */
    public static long journalTimeNs(final DirectBuffer entry)
    {
        return entry.getLong(JOURNAL_TIME_OFFSET, LE);
    }
}
