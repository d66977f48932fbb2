package org.omnibus.persistence;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Export a range of a journal to a file, and read such a file back (to replay it or to import it into another
 * journal). The file is versioned and self-checking; all integers are little-endian:
 * <pre>
 *   file header, 32 bytes:
 *     0  int64  magic          "OMNIJRNL" ({@link #MAGIC})
 *     8  int32  fileVersion    {@link #FILE_VERSION}
 *    12  int32  entryVersion   {@link JournalEntry#FORMAT_VERSION}
 *    16  int64  fromSeq        first sequence asked for
 *    24  int64  toSeq          last sequence asked for
 *   records, each:
 *     0  int32  length         of the entry that follows
 *     4  entry                 a {@link JournalEntry} message entry, with its own CRC-32C
 *   trailer, 16 bytes:
 *     0  int32  -1
 *     4  int32  reserved, 0
 *     8  int64  count          of records
 * </pre>
 * Only messages are exported (truncation markers are applied, not copied). A file without its trailer was cut
 * short and is refused at the point where it stops.
 */
public final class JournalExport
{
    /** "OMNIJRNL" read as a little-endian long. */
    public static final long MAGIC = 0x4C4E524A494E4D4FL;
    /** Current export file version. */
    public static final int FILE_VERSION = 1;
    /** Length of the file header. */
    public static final int FILE_HEADER_LENGTH = 32;
    /** Length of the trailer. */
    public static final int TRAILER_LENGTH = 16;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int RECORD_PREFIX = 4;
    private static final int BUFFER_LENGTH = 1 << 20;

    private JournalExport()
    {
    }

    /**
     * Write the messages with sequences in {@code [fromSeq, toSeq]} that the journal holds when the export starts.
     *
     * @param journal to read; its owner thread may keep appending.
     * @param fromSeq first sequence; if the journal starts later, its first.
     * @param toSeq   last sequence, inclusive ({@link Long#MAX_VALUE} for all).
     * @param file    to create or overwrite.
     * @return the number of messages written.
     */
    public static long export(final Journal journal, final long fromSeq, final long toSeq, final Path file)
    {
        try (JournalTailer tailer = journal.tailer())
        {
            return export(journal.indexSource(), tailer, fromSeq, toSeq, file);
        }
    }

    /**
     * Write the messages with sequences in {@code [fromSeq, toSeq]} that a read-only reader holds as of its last
     * scan, e.g. beside a running node. Every entry is verified as it is read.
     *
     * @param reader  to read.
     * @param fromSeq first sequence; if the journal starts later, its first.
     * @param toSeq   last sequence, inclusive ({@link Long#MAX_VALUE} for all).
     * @param file    to create or overwrite.
     * @return the number of messages written.
     * @throws JournalCorruptionException if an entry in the range is corrupt (the file is left without its
     *                                    trailer, so it is refused when read).
     */
    public static long export(final JournalReader reader, final long fromSeq, final long toSeq, final Path file)
    {
        try (JournalTailer tailer = reader.tailer())
        {
            return export(reader.indexSource(), tailer, fromSeq, toSeq, file);
        }
    }

    private static long export(
        final JournalIndexSource journal,
        final JournalTailer tailer,
        final long fromSeq,
        final long toSeq,
        final Path file)
    {
        final long lastHeld = journal.lastSequence();
        final IndexSnapshot snapshot = journal.snapshot();
        final long last = Math.min(toSeq, lastHeld);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final Writer writer = new Writer(channel, fromSeq, toSeq, last);
            final long first = Math.max(fromSeq, snapshot.firstSequence());
            if (Journal.NULL_SEQUENCE != lastHeld && first <= last)
            {
                final long start = snapshot.ceilingSequence(first, lastHeld);
                if (Journal.NULL_SEQUENCE != start && tailer.seekToSequence(start))
                {
                    while (writer.lastSeq < last && tailer.poll(writer, 1024) > 0)
                    {
                        writer.ioCheck();
                    }
                }
            }
            writer.finish();
            return writer.count;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot export journal to " + file, ex);
        }
    }

    /**
     * Read an export file and hand each message to a handler, checking every record.
     *
     * @param file    to read.
     * @param handler receives each message; the buffer is valid during the call only.
     * @return the number of messages read.
     * @throws JournalCorruptionException if the file is not an export, is damaged or was cut short.
     */
    public static long replay(final Path file, final JournalHandler handler)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            return new Reader(channel, file).read(handler);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read journal export " + file, ex);
        }
    }

    /**
     * Append the messages of an export file to a journal, skipping those at or before its last sequence.
     *
     * @param journal to append to, from its owner thread.
     * @param file    export file.
     * @return the number of messages appended.
     * @throws IllegalStateException      if a message does not follow on from the journal (a gap).
     * @throws JournalCorruptionException if the file is damaged.
     */
    public static long importInto(final Journal journal, final Path file)
    {
        final long[] appended = {0};
        replay(file, (seq, viewId, originNode, originSeq, timestampNs, buffer, offset, length) ->
        {
            final long last = journal.lastSequence();
            if (Journal.NULL_SEQUENCE != last && seq <= last)
            {
                return;
            }
            final long result = journal.append(seq, viewId, originNode, originSeq, timestampNs, buffer, offset, length);
            if (result != seq)
            {
                throw new IllegalStateException("cannot import message " + seq + " into journal " +
                    journal.directory() + " (next sequence " + journal.nextSequence() + "): result " + result);
            }
            appended[0]++;
        });
        journal.endBatch();
        return appended[0];
    }

    private static final class Writer implements JournalHandler
    {
        private final FileChannel channel;
        private final EntryChecksum checksum = new EntryChecksum();
        private ByteBuffer byteBuffer = BufferUtil.allocateDirectAligned(BUFFER_LENGTH, 64);
        private UnsafeBuffer buffer = new UnsafeBuffer(byteBuffer);
        private final UnsafeBuffer entry = new UnsafeBuffer(0, 0);
        private int position;
        private long count;
        private long lastSeq = Long.MIN_VALUE;
        private long journalTimeNs = Long.MIN_VALUE;
        private IOException error;
        private final long maxSeq;

        Writer(final FileChannel channel, final long fromSeq, final long toSeq, final long maxSeq)
        {
            this.channel = channel;
            this.maxSeq = maxSeq;
            buffer.putLong(0, MAGIC, LE);
            buffer.putInt(8, FILE_VERSION, LE);
            buffer.putInt(12, JournalEntry.FORMAT_VERSION, LE);
            buffer.putLong(16, fromSeq, LE);
            buffer.putLong(24, toSeq, LE);
            position = FILE_HEADER_LENGTH;
        }

        public void onMessage(
            final long globalSeq,
            final long viewId,
            final int originNode,
            final long originSeq,
            final long timestampNs,
            final DirectBuffer frame,
            final int offset,
            final int length)
        {
            if (null != error || globalSeq <= lastSeq || globalSeq > maxSeq)
            {
                return;
            }
            final int entryLength = JournalEntry.HEADER_LENGTH + length;
            try
            {
                ensure(RECORD_PREFIX + entryLength);
            }
            catch (final IOException ex)
            {
                error = ex;
                return;
            }
            journalTimeNs = Math.max(journalTimeNs, timestampNs);
            buffer.putInt(position, entryLength, LE);
            final int entryOffset = position + RECORD_PREFIX;
            final long address = buffer.addressOffset() + entryOffset;
            entry.wrap(buffer, entryOffset, entryLength);
            JournalEntry.encodeMessage(entry, address, globalSeq, viewId, originNode, originSeq, timestampNs,
                journalTimeNs, frame, offset, length, checksum);
            position += RECORD_PREFIX + entryLength;
            lastSeq = globalSeq;
            count++;
        }

        public void onTruncation(final long nextSeq)
        {
            error = new IOException("the journal was truncated from " + nextSeq + " during the export");
        }

        void ioCheck() throws IOException
        {
            if (null != error)
            {
                throw error;
            }
        }

        void finish() throws IOException
        {
            ioCheck();
            ensure(TRAILER_LENGTH);
            buffer.putInt(position, -1, LE);
            buffer.putInt(position + 4, 0, LE);
            buffer.putLong(position + 8, count, LE);
            position += TRAILER_LENGTH;
            flush();
            channel.force(true);
        }

        private void ensure(final int length) throws IOException
        {
            if (position + length <= buffer.capacity())
            {
                return;
            }
            flush();
            if (length > buffer.capacity())
            {
                byteBuffer = BufferUtil.allocateDirectAligned(Integer.highestOneBit(length) << 1, 64);
                buffer = new UnsafeBuffer(byteBuffer);
            }
        }

        private void flush() throws IOException
        {
            byteBuffer.clear().limit(position);
            while (byteBuffer.hasRemaining())
            {
                channel.write(byteBuffer);
            }
            position = 0;
        }
    }

    private static final class Reader
    {
        private final FileChannel channel;
        private final Path file;
        private final EntryChecksum checksum = new EntryChecksum();
        private final UnsafeBuffer entry = new UnsafeBuffer(0, 0);
        private ByteBuffer byteBuffer = BufferUtil.allocateDirectAligned(BUFFER_LENGTH, 64);
        private UnsafeBuffer buffer = new UnsafeBuffer(byteBuffer);
        private int start;
        private int limit;
        private long fileOffset;

        Reader(final FileChannel channel, final Path file)
        {
            this.channel = channel;
            this.file = file;
        }

        long read(final JournalHandler handler) throws IOException
        {
            if (!fill(FILE_HEADER_LENGTH))
            {
                throw damaged(0, "shorter than an export file header");
            }
            if (buffer.getLong(start, LE) != MAGIC)
            {
                throw damaged(0, "not a journal export file (bad magic)");
            }
            final int version = buffer.getInt(start + 8, LE);
            if (version != FILE_VERSION || buffer.getInt(start + 12, LE) != JournalEntry.FORMAT_VERSION)
            {
                throw damaged(0, "unsupported export file version " + version + " / entry version " +
                    buffer.getInt(start + 12, LE));
            }
            consume(FILE_HEADER_LENGTH);

            long count = 0;
            while (true)
            {
                if (!fill(RECORD_PREFIX))
                {
                    throw damaged(fileOffset, "the file ends without its trailer (cut short)");
                }
                final int length = buffer.getInt(start, LE);
                if (length == -1)
                {
                    if (!fill(TRAILER_LENGTH))
                    {
                        throw damaged(fileOffset, "the file ends inside its trailer (cut short)");
                    }
                    final long expected = buffer.getLong(start + 8, LE);
                    if (expected != count)
                    {
                        throw damaged(fileOffset, "trailer counts " + expected + " records, the file has " + count);
                    }
                    return count;
                }
                if (length < JournalEntry.HEADER_LENGTH || length > (1 << 30))
                {
                    throw damaged(fileOffset, "bad record length " + length);
                }
                if (!fill(RECORD_PREFIX + length))
                {
                    throw damaged(fileOffset, "the file ends inside a record (cut short)");
                }
                final int entryOffset = start + RECORD_PREFIX;
                entry.wrap(buffer, entryOffset, length);
                final int result = JournalEntry.verify(entry, buffer.addressOffset() + entryOffset, length, checksum);
                if (JournalEntry.VALID != result || JournalEntry.TYPE_MESSAGE != JournalEntry.type(entry))
                {
                    throw damaged(fileOffset, JournalEntry.VALID != result ?
                        JournalEntry.describe(result) : "a record that is not a message");
                }
                handler.onMessage(
                    JournalEntry.globalSeq(entry),
                    JournalEntry.viewId(entry),
                    JournalEntry.originNode(entry),
                    JournalEntry.originSeq(entry),
                    JournalEntry.timestampNs(entry),
                    entry,
                    JournalEntry.HEADER_LENGTH,
                    length - JournalEntry.HEADER_LENGTH);
                count++;
                consume(RECORD_PREFIX + length);
            }
        }

        private JournalCorruptionException damaged(final long position, final String reason)
        {
            return new JournalCorruptionException(file.toString(), position, -1, reason, null);
        }

        private void consume(final int length)
        {
            start += length;
            fileOffset += length;
        }

        private boolean fill(final int length) throws IOException
        {
            if (limit - start >= length)
            {
                return true;
            }
            if (length > buffer.capacity())
            {
                final ByteBuffer bigger = BufferUtil.allocateDirectAligned(Integer.highestOneBit(length) << 1, 64);
                final UnsafeBuffer biggerBuffer = new UnsafeBuffer(bigger);
                biggerBuffer.putBytes(0, buffer, start, limit - start);
                byteBuffer = bigger;
                buffer = biggerBuffer;
            }
            else
            {
                buffer.putBytes(0, buffer, start, limit - start);
            }
            limit -= start;
            start = 0;
            byteBuffer.clear().position(limit);
            while (limit < length)
            {
                final int read = channel.read(byteBuffer);
                if (read < 0)
                {
                    return false;
                }
                limit += read;
            }
            return true;
        }
    }
}
