package org.omnibus.persistence;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omnibus.persistence.JournalTestSupport.appendRange;
import static org.omnibus.persistence.JournalTestSupport.context;
import static org.omnibus.persistence.JournalTestSupport.drain;
import static org.omnibus.persistence.JournalTestSupport.range;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalContextTest
{
    @TempDir
    Path dir;

    @Test
    void shouldFillSafeDefaults()
    {
        final JournalContext ctx = new JournalContext().directory(dir).conclude();
        assertThat(ctx.rollCycle()).isEqualTo(JournalContext.rollCycleByName("FAST_HOURLY"));
        assertThat(ctx.durability()).isEqualTo(JournalDurability.PAGE_CACHE);
        assertThat(ctx.retentionMaxAgeMs()).isEqualTo(TimeUnit.DAYS.toMillis(7));
        assertThat(ctx.retentionMaxBytes()).isEqualTo(8L << 30);
        assertThat(ctx.truncateOnCorruption()).isFalse();
        assertThat(ctx.maxEntryLength()).isGreaterThanOrEqualTo((32 << 20) - 64);
        assertThat(ctx.epochClock()).isNotNull();
    }

    @Test
    void shouldRefuseBadSettings()
    {
        assertThatThrownBy(() -> new JournalContext().conclude()).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(JournalConfiguration.DIRECTORY_PROP_NAME);
        assertThatThrownBy(() -> new JournalContext().directory(dir).retentionMaxAgeMs(0).conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JournalContext().directory(dir).retentionMaxBytes(-1).conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JournalContext().directory(dir).blockSize(3 << 20).conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JournalContext.rollCycleByName("FORTNIGHTLY"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(JournalContext.rollCycleByName("fast_daily").toString()).isEqualTo("FAST_DAILY");
    }

    @Test
    void shouldSurviveReopenWithFsyncOnBatch()
    {
        try (Journal journal = Journal.open(context(dir).durability(JournalDurability.FSYNC_ON_BATCH)))
        {
            for (int batch = 0; batch < 10; batch++)
            {
                appendRange(journal, batch * 100L, batch * 100L + 99, 0);
                journal.endBatch();
            }
        }
        try (Journal journal = Journal.open(context(dir)); JournalTailer tailer = journal.tailer())
        {
            assertThat(drain(tailer).sequences()).isEqualTo(range(0, 999));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldComputeTheSameChecksumWithOrWithoutTheIntrinsic(final long seed)
    {
        final EntryChecksum fast = new EntryChecksum(true);
        final EntryChecksum slow = new EntryChecksum(false);
        assertThat(fast.isNative()).as("tests run with --add-opens=java.base/java.util.zip").isTrue();
        assertThat(slow.isNative()).isFalse();
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer direct = ByteBuffer.allocateDirect(5000);
        final UnsafeBuffer buffer = new UnsafeBuffer(direct);
        for (int i = 0; i < buffer.capacity(); i++)
        {
            buffer.putByte(i, (byte)random.nextInt());
        }
        final int offset = random.nextInt(100);
        final int length = random.nextInt(4800);
        final java.util.zip.CRC32C reference = new java.util.zip.CRC32C();
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        reference.update(bytes);
        assertThat(fast.compute(buffer, buffer.addressOffset(), offset, length))
            .as("seed %d", seed).isEqualTo((int)reference.getValue());
        assertThat(slow.compute(buffer, buffer.addressOffset(), offset, length))
            .as("seed %d", seed).isEqualTo((int)reference.getValue());
    }
}
