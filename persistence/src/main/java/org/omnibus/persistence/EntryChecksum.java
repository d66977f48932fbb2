package org.omnibus.persistence;

import org.agrona.DirectBuffer;
import org.agrona.checksum.Crc32c;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.zip.CRC32C;

/**
 * CRC-32C of an entry's bytes without allocation. Uses Agrona's {@link Crc32c} over native memory (the JDK's
 * intrinsic, which needs {@code --add-opens=java.base/java.util.zip=ALL-UNNAMED}); without that flag, falls back
 * to copying the bytes into a scratch array for {@link CRC32C}, and says so once in the log.
 * <p>
 * Not thread-safe: one instance per writer or reader.
 */
final class EntryChecksum
{
    private static final Logger LOG = LoggerFactory.getLogger(EntryChecksum.class);
    private static final boolean NATIVE_AVAILABLE = probeNative();

    private final boolean isNative;
    private final CRC32C crc32c = new CRC32C();
    private byte[] scratch = new byte[1024];

    EntryChecksum()
    {
        this(NATIVE_AVAILABLE);
    }

    EntryChecksum(final boolean useNative)
    {
        this.isNative = useNative && NATIVE_AVAILABLE;
    }

    /**
     * @param buffer  view over the bytes.
     * @param address native address of byte 0 of buffer.
     * @param offset  of the first byte summed.
     * @param length  bytes summed.
     * @return the CRC-32C.
     */
    int compute(final DirectBuffer buffer, final long address, final int offset, final int length)
    {
        if (isNative)
        {
            return Crc32c.INSTANCE.compute(address, offset, length);
        }
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        crc32c.reset();
        crc32c.update(scratch, 0, length);
        return (int)crc32c.getValue();
    }

    /**
     * @return whether the native path is in use.
     */
    boolean isNative()
    {
        return isNative;
    }

    private static boolean probeNative()
    {
        try
        {
            return Crc32c.INSTANCE != null;
        }
        catch (final Throwable ex)
        {
            LOG.warn("journal CRC-32C falls back to copying each entry ({}); add " +
                "--add-opens=java.base/java.util.zip=ALL-UNNAMED to the JVM flags", ex.toString());
            return false;
        }
    }
}
