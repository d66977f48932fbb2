package org.omnibus.benchmarks.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Append rate of the raw Chronicle Queue (the floor: {@code ExcerptAppender.writeBytes} of a 100-byte store, and
 * of a 156-byte one, the journal's document size) beside the Omnibus journal's (a 100-byte frame plus the 56-byte
 * envelope, with its CRC-32C) on the same disk.
 * Short iterations: each second appends some hundreds of MB.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JournalAppendBenchmark
{
    static final int ENVELOPE_LENGTH = 56;

    @Param({"100"})
    int frameLength;

    private Path root;
    private SingleChronicleQueue rawQueue;
    private ExcerptAppender rawAppender;
    private BytesStore<?, ?> rawEntry;
    private BytesStore<?, ?> rawEntrySized;
    private Journal journal;
    private UnsafeBuffer frame;
    private long seq;

    @Setup
    public void setup() throws IOException
    {
        root = BenchmarkFiles.createTempDirectory("journal-append");
        rawQueue = SingleChronicleQueueBuilder.binary(root.resolve("raw")).build();
        rawAppender = rawQueue.createAppender();
        final Bytes<?> bytes = Bytes.allocateDirect(frameLength);
        for (int i = 0; i < frameLength; i++)
        {
            bytes.writeByte((byte)i);
        }
        rawEntry = bytes;
        final Bytes<?> sized = Bytes.allocateDirect(frameLength + ENVELOPE_LENGTH);
        sized.writeSkip(frameLength + ENVELOPE_LENGTH);
        rawEntrySized = sized;
        journal = Journal.open(new JournalContext().directory(root.resolve("journal")));
        frame = new UnsafeBuffer(new byte[frameLength]);
        for (int i = 0; i < frameLength; i++)
        {
            frame.putByte(i, (byte)i);
        }
    }

    @TearDown
    public void tearDown() throws IOException
    {
        journal.close();
        rawAppender.close();
        rawQueue.close();
        BenchmarkFiles.delete(root);
    }

    @Benchmark
    public void chronicleRawAppend()
    {
        rawAppender.writeBytes(rawEntry);
    }

    /**
     * The floor for documents as long as the journal's (payload plus the 56-byte envelope).
     */
    @Benchmark
    public void chronicleRawAppendEntrySized()
    {
        rawAppender.writeBytes(rawEntrySized);
    }

    @Benchmark
    public long journalAppend()
    {
        final long s = seq++;
        return journal.append(s, 1, 1, s, s, frame, 0, frameLength);
    }
}
