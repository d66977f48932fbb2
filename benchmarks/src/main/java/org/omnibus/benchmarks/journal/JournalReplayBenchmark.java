package org.omnibus.benchmarks.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalContext;
import org.omnibus.persistence.JournalHandler;
import org.omnibus.persistence.JournalTailer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Replay rate from a warm journal (its pages in the page cache): one million entries of 100-byte frames read
 * from the start, every entry CRC-checked and handed to a handler; the raw Chronicle tailer over the same number
 * of 100-byte documents beside it. Scores are entries per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class JournalReplayBenchmark
{
    static final int ENTRIES = 1_000_000;
    static final int FRAME_LENGTH = 100;

    private Path root;
    private Journal journal;
    private JournalTailer tailer;
    private SingleChronicleQueue rawQueue;
    private ExcerptTailer rawTailer;
    private final Sum sum = new Sum();

    static final class Sum implements JournalHandler
    {
        long value;

        public void onMessage(
            final long globalSeq,
            final long viewId,
            final int originNode,
            final long originSeq,
            final long timestampNs,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            value += globalSeq + buffer.getByte(offset + length - 1);
        }
    }

    @Setup
    public void setup() throws IOException
    {
        root = BenchmarkFiles.createTempDirectory("journal-replay");
        journal = Journal.open(new JournalContext().directory(root.resolve("journal")));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);
        for (long seq = 0; seq < ENTRIES; seq++)
        {
            frame.putLong(0, seq);
            journal.append(seq, 1, 1, seq, seq, frame, 0, FRAME_LENGTH);
        }
        tailer = journal.tailer();

        rawQueue = SingleChronicleQueueBuilder.binary(root.resolve("raw")).build();
        try (ExcerptAppender appender = rawQueue.createAppender())
        {
            final Bytes<?> bytes = Bytes.allocateDirect(FRAME_LENGTH);
            bytes.writeSkip(FRAME_LENGTH);
            for (int i = 0; i < ENTRIES; i++)
            {
                appender.writeBytes(bytes);
            }
        }
        rawTailer = rawQueue.createTailer();
        journalReplay();
        chronicleRawReplay();
    }

    @TearDown
    public void tearDown() throws IOException
    {
        tailer.close();
        journal.close();
        rawTailer.close();
        rawQueue.close();
        BenchmarkFiles.delete(root);
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public long journalReplay()
    {
        tailer.seekToStart();
        while (tailer.poll(sum, 4096) > 0)
        {
            Thread.onSpinWait();
        }
        if (tailer.lastDeliveredSequence() != ENTRIES - 1)
        {
            throw new IllegalStateException("replayed up to " + tailer.lastDeliveredSequence());
        }
        return sum.value;
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public long chronicleRawReplay()
    {
        rawTailer.toStart();
        long total = 0;
        int count = 0;
        while (true)
        {
            try (DocumentContext dc = rawTailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                total += bytes.readByte(bytes.readLimit() - 1);
                count++;
            }
        }
        if (count != ENTRIES)
        {
            throw new IllegalStateException("read " + count);
        }
        return total;
    }
}
