package org.omnibus.membership.aeron;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The node's incarnation, kept in a small file under its data directory so that it grows at every start: read the
 * last value, add one, write it back durably (temporary file, fsync, atomic rename, fsync of the directory) before
 * the node says anything on the network. A missing file means the node's first start.
 */
final class IncarnationFile
{
    /**
     * The incarnation of this start.
     *
     * @param value      the new incarnation (>= 1).
     * @param firstStart whether the data directory had no incarnation before (the node's very first start).
     */
    record Incarnation(long value, boolean firstStart)
    {
    }

    private IncarnationFile()
    {
    }

    /**
     * Read the last incarnation, store and return the next one.
     *
     * @param dataDir the node's data directory (created if missing).
     * @return the incarnation of this start.
     * @throws IllegalStateException if the file exists but cannot be understood (an operator must look at it: guessing
     *                               could reuse an incarnation).
     */
    static Incarnation next(final File dataDir)
    {
        final Path dir = dataDir.toPath();
        final Path file = dir.resolve(GroupConfiguration.INCARNATION_FILE_NAME);
        try
        {
            Files.createDirectories(dir);
            final boolean firstStart = !Files.exists(file);
            final long last = firstStart ? 0 : read(file);
            final long next = last + 1;
            write(dir, file, next);
            return new Incarnation(next, firstStart);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot update the incarnation in " + file, ex);
        }
    }

    /**
     * @param dataDir the node's data directory.
     * @return the last stored incarnation, 0 if none.
     */
    static long last(final File dataDir)
    {
        final Path file = dataDir.toPath().resolve(GroupConfiguration.INCARNATION_FILE_NAME);
        try
        {
            return Files.exists(file) ? read(file) : 0;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the incarnation in " + file, ex);
        }
    }

    private static long read(final Path file) throws IOException
    {
        final String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try
        {
            final long value = Long.parseLong(text);
            if (value < 1)
            {
                throw new NumberFormatException("not positive");
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalStateException("incarnation file " + file + " holds '" + text +
                "', not a positive number: fix or remove it (removing it makes the node start as new)", ex);
        }
    }

    private static void write(final Path dir, final Path file, final long value) throws IOException
    {
        final Path tmp = dir.resolve(GroupConfiguration.INCARNATION_FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ))
        {
            directory.force(true);
        }
    }
}
