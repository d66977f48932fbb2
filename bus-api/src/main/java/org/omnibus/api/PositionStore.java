package org.omnibus.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a {@link DurableSubscription} keeps the last sequence its handler has seen, so that a new process can
 * resume after it.
 */
public interface PositionStore
{
    /** What {@link #load()} returns when nothing was stored yet. */
    long NOTHING = 0;

    /**
     * @return the last sequence stored, or {@link #NOTHING}.
     */
    long load();

    /**
     * Called after the handler returned for each message.
     *
     * @param sequence the last sequence handled.
     */
    void store(long sequence);

    /**
     * @return a store in memory (a process restart starts over).
     */
    static PositionStore inMemory()
    {
        return new PositionStore()
        {
            private volatile long last = NOTHING;

            @Override
            public long load()
            {
                return last;
            }

            @Override
            public void store(final long sequence)
            {
                last = sequence;
            }
        };
    }

    /**
     * A store in a file of 8 bytes (little-endian), rewritten in place for each message with one positional write on
     * a channel kept open (in the page cache: it survives the process, and the machine once the kernel writes it
     * back; no fsync per message). Close it when done.
     *
     * @param file the file, created if needed.
     * @return the store.
     * @throws UncheckedIOException when the file cannot be opened; its methods throw it on I/O errors.
     */
    static FilePositionStore file(final Path file)
    {
        return new FilePositionStore(file);
    }

    /**
     * {@link PositionStore#file(Path)}.
     */
    final class FilePositionStore implements PositionStore, AutoCloseable
    {
        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer bytes = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);

        private FilePositionStore(final Path file)
        {
            this.file = file;
            try
            {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot open the position file " + file, ex);
            }
        }

        @Override
        public synchronized long load()
        {
            try
            {
                bytes.clear();
                int read = 0;
                while (bytes.hasRemaining())
                {
                    final int n = channel.read(bytes, read);
                    if (n < 0)
                    {
                        return NOTHING;
                    }
                    read += n;
                }
                return bytes.getLong(0);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read the position in " + file, ex);
            }
        }

        @Override
        public synchronized void store(final long sequence)
        {
            try
            {
                bytes.clear();
                bytes.putLong(0, sequence);
                int written = 0;
                while (bytes.hasRemaining())
                {
                    written += channel.write(bytes, written);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot store the position in " + file, ex);
            }
        }

        /**
         * Close the file. Idempotent.
         */
        @Override
        public synchronized void close()
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot close " + file, ex);
            }
        }
    }
}
