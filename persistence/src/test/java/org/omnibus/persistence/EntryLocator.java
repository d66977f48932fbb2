package org.omnibus.persistence;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Finds where an entry lies in the cycle files (reading Chronicle directly, with the journal closed) and damages
 * files on purpose.
 */
final class EntryLocator
{
    record Location(Path file, long headerPosition, int length, long index)
    {
        long entryPosition()
        {
            return headerPosition + 4;
        }
    }

    private EntryLocator()
    {
    }

    /**
     * @return where the last message entry carrying seq lies.
     */
    static Location locate(final Path dir, final long seq)
    {
        Location found = null;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).blockSize(1L << 20).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long position = bytes.readPosition();
                    final int type = bytes.readByte(position + JournalEntry.TYPE_OFFSET);
                    // Chronicle's Bytes are in native order, little-endian on every platform this runs on
                    final long entrySeq = bytes.readLong(position + JournalEntry.GLOBAL_SEQ_OFFSET);
                    if (type == JournalEntry.TYPE_MESSAGE && entrySeq == seq)
                    {
                        found = new Location(tailer.currentFile().toPath(), position - 4,
                            (int)bytes.readRemaining(), dc.index());
                    }
                }
            }
        }
        if (null == found)
        {
            throw new AssertionError("no entry " + seq);
        }
        return found;
    }

    static void flipByte(final Path file, final long position) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x40);
        }
    }

    static void writeIntLe(final Path file, final long position, final int value) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            raf.writeInt(Integer.reverseBytes(value));
        }
    }

    static int readIntLe(final Path file, final long position) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"))
        {
            raf.seek(position);
            return Integer.reverseBytes(raf.readInt());
        }
    }
}
