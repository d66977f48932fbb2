package org.omnibus.persistence;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames, contexts and collectors shared by the journal tests.
 */
final class JournalTestSupport
{
    static final long VIEW_ID = 7;
    static final int ORIGIN_NODE = 3;

    private JournalTestSupport()
    {
    }

    static JournalContext context(final Path dir)
    {
        return new JournalContext()
            .directory(dir)
            .blockSize(1L << 20)
            .chronicleTimeoutMs(500);
    }

    /**
     * Fill a frame whose content is a function of (seq, salt) and whose length is given.
     */
    static int fill(final MutableDirectBuffer buffer, final long seq, final long salt, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)(seq * 31 + salt * 17 + i));
        }
        if (length >= 8)
        {
            buffer.putLong(0, seq, ByteOrder.LITTLE_ENDIAN);
        }
        return length;
    }

    static boolean frameMatches(
        final DirectBuffer buffer, final int offset, final long seq, final long salt, final int length)
    {
        for (int i = 8; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)(seq * 31 + salt * 17 + i))
            {
                return false;
            }
        }
        return length < 8 || buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) == seq;
    }

    static long append(final Journal journal, final long seq, final long salt, final int length)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[Math.max(length, 1)]);
        fill(frame, seq, salt, length);
        return journal.append(seq, VIEW_ID, ORIGIN_NODE, seq * 2, timestampOf(seq), frame, 0, length);
    }

    static void appendRange(final Journal journal, final long from, final long toInclusive, final long salt)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        for (long seq = from; seq <= toInclusive; seq++)
        {
            final int length = lengthOf(seq);
            fill(frame, seq, salt, length);
            final long result = journal.append(seq, VIEW_ID, ORIGIN_NODE, seq * 2, timestampOf(seq), frame, 0, length);
            assertThat(result).as("append %d", seq).isEqualTo(seq);
        }
    }

    static int lengthOf(final long seq)
    {
        return 24 + (int)(seq % 40);
    }

    static long timestampOf(final long seq)
    {
        return 1_000_000_000L + seq * 1_000L;
    }

    /**
     * A message as delivered, copied.
     */
    record Delivered(long seq, long viewId, int originNode, long originSeq, long timestampNs, byte[] frame)
    {
    }

    /**
     * Collects what a tailer delivers.
     */
    static final class Collector implements JournalHandler
    {
        final List<Delivered> messages = new ArrayList<>();
        final List<Long> truncations = new ArrayList<>();

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
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            messages.add(new Delivered(globalSeq, viewId, originNode, originSeq, timestampNs, frame));
        }

        public void onTruncation(final long nextSeq)
        {
            truncations.add(nextSeq);
        }

        List<Long> sequences()
        {
            final List<Long> seqs = new ArrayList<>(messages.size());
            for (final Delivered d : messages)
            {
                seqs.add(d.seq());
            }
            return seqs;
        }
    }

    /**
     * Poll until nothing more comes.
     */
    static Collector drain(final JournalTailer tailer)
    {
        final Collector collector = new Collector();
        while (tailer.poll(collector, 1000) > 0)
        {
            Thread.onSpinWait();
        }
        return collector;
    }

    static List<Long> range(final long from, final long toInclusive)
    {
        final List<Long> list = new ArrayList<>();
        for (long s = from; s <= toInclusive; s++)
        {
            list.add(s);
        }
        return list;
    }

    static void await(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
