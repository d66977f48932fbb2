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
     * A store in a file of 8 bytes, rewritten in place for each message (in the page cache: it survives the
     * process, and the machine once the kernel writes it back; no fsync per message).
     *
     * @param file the file, created if needed.
     * @return the store; {@link UncheckedIOException} from its methods when the file cannot be used.
     */
    static PositionStore file(final Path file)
    {
        return new PositionStore()
        {
            private final ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

            @Override
            public synchronized long load()
            {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE))
                {
                    bytes.clear();
                    if (channel.read(bytes, 0) < 8)
                    {
                        return NOTHING;
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
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
                {
                    bytes.clear();
                    bytes.putLong(0, sequence);
                    channel.write(bytes, 0);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException("cannot store the position in " + file, ex);
                }
            }
        };
    }
}
