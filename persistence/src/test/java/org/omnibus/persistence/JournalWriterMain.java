package org.omnibus.persistence;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A child process for the crash tests, killed with SIGKILL by the test.
 * <ul>
 *   <li>{@code heavy DIR N}: append without end, printing {@code READY seq} after N appends.</li>
 *   <li>{@code torn DIR N}: append N entries, then start a Chronicle document, write half an entry into it,
 *   print {@code TORN} and block: the kill leaves an incomplete entry behind.</li>
 * </ul>
 */
public final class JournalWriterMain
{
    private JournalWriterMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final String mode = args[0];
        final Path dir = Path.of(args[1]);
        final long n = Long.parseLong(args[2]);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
        if ("heavy".equals(mode))
        {
            final SplittableRandom random = new SplittableRandom(7);
            final Journal journal = Journal.open(JournalTestSupport.context(dir));
            long seq = Journal.NULL_SEQUENCE == journal.nextSequence() ? 0 : journal.nextSequence();
            for (long i = 0; ; i++, seq++)
            {
                final int length = 8 + random.nextInt(2000);
                JournalTestSupport.fill(frame, seq, 0, length);
                if (journal.append(seq, 1, 1, seq, JournalTestSupport.timestampOf(seq), frame, 0, length) != seq)
                {
                    throw new IllegalStateException("append failed at " + seq);
                }
                if (i == n)
                {
                    System.out.println("READY " + seq);
                    System.out.flush();
                }
                if (i == 4 * n)
                {
                    System.out.println("LIMIT " + seq);
                    System.out.flush();
                    blockUntilKilled();
                }
            }
        }
        else if ("torn".equals(mode))
        {
            try (Journal journal = Journal.open(JournalTestSupport.context(dir)))
            {
                JournalTestSupport.appendRange(journal, 0, n - 1, 0);
            }
            final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).blockSize(1L << 20).build();
            final ExcerptAppender appender = queue.createAppender();
            final DocumentContext dc = appender.writingDocument();
            final Bytes<?> bytes = dc.wire().bytes();
            for (int i = 0; i < 40; i++)
            {
                bytes.writeByte((byte)0x5A);
            }
            System.out.println("TORN");
            System.out.flush();
            blockUntilKilled();
            dc.close();
        }
        else
        {
            throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static void blockUntilKilled() throws IOException
    {
        while (System.in.read() >= 0)
        {
            Thread.onSpinWait();
        }
    }
}
