package org.omnibus.persistence;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omnibus.persistence.JournalTestSupport.Collector;
import static org.omnibus.persistence.JournalTestSupport.ORIGIN_NODE;
import static org.omnibus.persistence.JournalTestSupport.VIEW_ID;
import static org.omnibus.persistence.JournalTestSupport.append;
import static org.omnibus.persistence.JournalTestSupport.appendRange;
import static org.omnibus.persistence.JournalTestSupport.await;
import static org.omnibus.persistence.JournalTestSupport.context;
import static org.omnibus.persistence.JournalTestSupport.drain;
import static org.omnibus.persistence.JournalTestSupport.frameMatches;
import static org.omnibus.persistence.JournalTestSupport.lengthOf;
import static org.omnibus.persistence.JournalTestSupport.range;
import static org.omnibus.persistence.JournalTestSupport.timestampOf;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRoundTripOneMillionEntriesAndRecoverTheLastSequence()
    {
        final int count = 1_000_000;
        final long first = 5;
        final long last = first + count - 1;
        try (Journal journal = Journal.open(context(dir).blockSize(64L << 20)))
        {
            assertThat(journal.lastSequence()).isEqualTo(Journal.NULL_SEQUENCE);
            appendRange(journal, first, last, 0);
            assertThat(journal.lastSequence()).isEqualTo(last);
            assertThat(journal.firstSequence()).isEqualTo(first);
            assertThat(journal.entryCount()).isEqualTo(count);
        }

        try (Journal journal = Journal.open(context(dir).blockSize(64L << 20)))
        {
            assertThat(journal.recoveryReport().lastSequence()).isEqualTo(last);
            assertThat(journal.recoveryReport().documents()).isEqualTo(count);
            assertThat(journal.recoveryReport().tornTailDiscarded()).isFalse();
            assertThat(journal.nextSequence()).isEqualTo(last + 1);

            final long[] expected = {first};
            final boolean[] ok = {true};
            try (JournalTailer tailer = journal.tailer())
            {
                final JournalHandler handler = (seq, viewId, node, originSeq, ts, buffer, offset, length) ->
                {
                    final long want = expected[0]++;
                    if (seq != want || viewId != VIEW_ID || node != ORIGIN_NODE || originSeq != seq * 2 ||
                        ts != timestampOf(seq) || length != lengthOf(seq) ||
                        !frameMatches(buffer, offset, seq, 0, length))
                    {
                        ok[0] = false;
                    }
                };
                while (tailer.poll(handler, 4096) > 0)
                {
                    Thread.onSpinWait();
                }
            }
            assertThat(ok[0]).isTrue();
            assertThat(expected[0]).isEqualTo(last + 1);
            assertThat(append(journal, last + 1, 0, 10)).isEqualTo(last + 1);
        }
    }

    @Test
    void shouldRefuseOutOfSequenceAndOversizedAppends()
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            assertThat(append(journal, 10, 0, 16)).isEqualTo(10);
            assertThat(append(journal, 12, 0, 16)).isEqualTo(Journal.OUT_OF_SEQUENCE);
            assertThat(append(journal, 10, 0, 16)).isEqualTo(Journal.OUT_OF_SEQUENCE);
            final UnsafeBuffer big = new UnsafeBuffer(new byte[journal.maxFrameLength() + 1]);
            assertThat(journal.append(11, 1, 1, 1, 1, big, 0, big.capacity())).isEqualTo(Journal.ENTRY_TOO_LARGE);
            assertThat(journal.append(11, 1, 1, 1, 1, big, 0, journal.maxFrameLength())).isEqualTo(11);
            assertThat(journal.lastSequence()).isEqualTo(11);
        }
    }

    @Test
    void shouldRoundTripLargeFramesBesideSmallOnes()
    {
        final int[] lengths = {0, 1, 100, 65_000, 65_536 - JournalEntry.HEADER_LENGTH, 65_537, 200_000, 7};
        try (Journal journal = Journal.open(context(dir)))
        {
            for (int i = 0; i < lengths.length; i++)
            {
                assertThat(append(journal, i, 3, Math.min(lengths[i], journal.maxFrameLength()))).isEqualTo(i);
            }
        }
        try (Journal journal = Journal.open(context(dir)); JournalTailer tailer = journal.tailer())
        {
            final Collector all = drain(tailer);
            assertThat(all.messages).hasSize(lengths.length);
            for (int i = 0; i < lengths.length; i++)
            {
                final byte[] frame = all.messages.get(i).frame();
                assertThat(frame.length).isEqualTo(Math.min(lengths[i], journal.maxFrameLength()));
                assertThat(frameMatches(new UnsafeBuffer(frame), 0, i, 3, frame.length)).as("entry %d", i).isTrue();
            }
        }
    }

    @Test
    void shouldReplayFromASequence()
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 100, 1099, 0);
            try (JournalTailer tailer = journal.tailer())
            {
                for (final long seq : new long[]{100, 101, 555, 1098, 1099})
                {
                    assertThat(tailer.seekToSequence(seq)).isTrue();
                    final Collector collector = drain(tailer);
                    assertThat(collector.sequences()).isEqualTo(range(seq, 1099));
                    final JournalTestSupport.Delivered d = collector.messages.get(0);
                    assertThat(frameMatches(new UnsafeBuffer(d.frame()), 0, seq, 0, d.frame().length)).isTrue();
                    assertThat(tailer.lastDeliveredSequence()).isEqualTo(1099);
                }
                assertThat(tailer.seekToSequence(99)).isFalse();
                assertThat(tailer.seekToSequence(1101)).isFalse();

                assertThat(tailer.seekToSequence(1100)).isTrue();
                assertThat(drain(tailer).messages).isEmpty();
                appendRange(journal, 1100, 1102, 0);
                assertThat(drain(tailer).sequences()).containsExactly(1100L, 1101L, 1102L);
            }
        }
    }

    @Test
    void shouldReplayFromATimeWithSkewedOriginClocks()
    {
        final List<Long> timestamps = new ArrayList<>();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[32]);
        try (Journal journal = Journal.open(context(dir)))
        {
            final java.util.SplittableRandom random = new java.util.SplittableRandom(42);
            for (long seq = 0; seq < 5000; seq++)
            {
                final long ts = 1_000_000L * seq + random.nextLong(-3_000_000L, 3_000_000L);
                timestamps.add(ts);
                assertThat(journal.append(seq, 1, (int)(seq % 3), seq, ts, frame, 0, 32)).isEqualTo(seq);
            }

            try (JournalTailer tailer = journal.tailer())
            {
                for (final long t : new long[]{-10_000_000L, 0, 1_234_567_890L, 2_500_000_000L, 4_999_000_000L})
                {
                    final long start = tailer.seekToTime(t);
                    final Collector collector = drain(tailer);
                    final List<Long> seqs = collector.sequences();
                    assertThat(seqs).isEqualTo(range(start, 4999));
                    long journalTime = Long.MIN_VALUE;
                    long firstReaching = -1;
                    for (int i = 0; i < timestamps.size(); i++)
                    {
                        journalTime = Math.max(journalTime, timestamps.get(i));
                        if (journalTime >= t)
                        {
                            firstReaching = i;
                            break;
                        }
                    }
                    assertThat(start).as("t=%d", t).isEqualTo(firstReaching);
                    for (int i = 0; i < start; i++)
                    {
                        assertThat(timestamps.get(i)).as("seq %d before the start", i).isLessThan(t);
                    }
                }
                assertThat(tailer.seekToTime(Long.MAX_VALUE)).isEqualTo(5000);
                assertThat(drain(tailer).messages).isEmpty();
            }
        }
    }

    @Test
    void shouldFollowLiveAppendsFromAnotherThread() throws Exception
    {
        final int count = 50_000;
        try (Journal journal = Journal.open(context(dir)))
        {
            final AtomicLong received = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final JournalTailer tailer = journal.tailer();
            final Thread reader = new Thread(() ->
            {
                final long[] expected = {0};
                final JournalHandler handler = (seq, viewId, node, originSeq, ts, buffer, offset, length) ->
                {
                    if (seq != expected[0]++ || !frameMatches(buffer, offset, seq, 0, length))
                    {
                        throw new AssertionError("bad entry " + seq);
                    }
                    received.incrementAndGet();
                };
                try
                {
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (received.get() < count && System.nanoTime() < deadline)
                    {
                        if (tailer.poll(handler, 256) == 0)
                        {
                            Thread.yield();
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            }, "journal-reader");
            reader.start();
            appendRange(journal, 0, count - 1, 0);
            reader.join(TimeUnit.SECONDS.toMillis(40));
            tailer.close();
            assertThat(failure.get()).isNull();
            assertThat(received.get()).isEqualTo(count);
        }
    }

    @Test
    void shouldSupersedeATruncatedTailForReadersAndAfterReopen()
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 1, 100, 0);
            final JournalTailer early = journal.tailer();
            final Collector earlyCollector = new Collector();
            while (earlyCollector.messages.size() < 90)
            {
                early.poll(earlyCollector, 1);
            }

            journal.truncateFrom(81, 8);
            assertThat(journal.lastSequence()).isEqualTo(80);
            assertThat(journal.nextSequence()).isEqualTo(81);
            assertThat(append(journal, 82, 1, 10)).isEqualTo(Journal.OUT_OF_SEQUENCE);
            appendRange(journal, 81, 120, 1);

            while (early.poll(earlyCollector, 100) > 0)
            {
                Thread.onSpinWait();
            }
            assertThat(earlyCollector.truncations).containsExactly(81L);
            final List<Long> earlySeqs = earlyCollector.sequences();
            assertThat(earlySeqs.subList(0, 90)).isEqualTo(range(1, 90));
            assertThat(earlySeqs.subList(90, earlySeqs.size())).isEqualTo(range(81, 120));
            early.close();

            assertReplay(journal, 81, 1);
        }
        try (Journal journal = Journal.open(context(dir)))
        {
            assertThat(journal.lastSequence()).isEqualTo(120);
            assertThat(journal.recoveryReport().markers()).isEqualTo(1);
            assertReplay(journal, 81, 1);
            journal.truncateFrom(50, 9);
            journal.truncateFrom(40, 9);
            appendRange(journal, 40, 60, 2);
            assertThat(journal.lastSequence()).isEqualTo(60);
        }
        try (Journal journal = Journal.open(context(dir)))
        {
            assertThat(journal.lastSequence()).isEqualTo(60);
            try (JournalTailer tailer = journal.tailer())
            {
                final Collector all = drain(tailer);
                assertThat(all.sequences()).isEqualTo(range(1, 60));
                assertThat(all.truncations).isEmpty();
                for (final JournalTestSupport.Delivered d : all.messages)
                {
                    final long salt = d.seq() >= 40 ? 2 : 0;
                    assertThat(frameMatches(new UnsafeBuffer(d.frame()), 0, d.seq(), salt, d.frame().length))
                        .as("seq %d", d.seq()).isTrue();
                }
                assertThat(tailer.seekToSequence(45)).isTrue();
                assertThat(drain(tailer).sequences()).isEqualTo(range(45, 60));
            }
            journal.truncateFrom(0, 10);
            assertThat(journal.lastSequence()).isEqualTo(Journal.NULL_SEQUENCE);
            assertThat(journal.nextSequence()).isEqualTo(0);
            try (JournalTailer tailer = journal.tailer())
            {
                assertThat(drain(tailer).messages).isEmpty();
            }
            appendRange(journal, 0, 3, 3);
        }
        try (Journal journal = Journal.open(context(dir)))
        {
            assertThat(journal.firstSequence()).isEqualTo(0);
            assertThat(journal.lastSequence()).isEqualTo(3);
        }
    }

    @Test
    void shouldRestartAtALaterSequence()
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 1, 10, 0);
            assertThatThrownBy(() -> journal.truncateFrom(12, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> journal.restartAt(11, 1)).isInstanceOf(IllegalArgumentException.class);
            journal.restartAt(100, 2);
            assertThat(journal.nextSequence()).isEqualTo(100);
            appendRange(journal, 100, 110, 0);
        }
        try (Journal journal = Journal.open(context(dir)))
        {
            assertThat(journal.nextSequence()).isEqualTo(111);
            try (JournalTailer tailer = journal.tailer())
            {
                final List<Long> expected = range(1, 10);
                expected.addAll(range(100, 110));
                assertThat(drain(tailer).sequences()).isEqualTo(expected);
                assertThat(tailer.seekToSequence(50)).isFalse();
                assertThat(tailer.seekToSequence(105)).isTrue();
                assertThat(drain(tailer).sequences()).isEqualTo(range(105, 110));
                assertThat(tailer.seekToTime(timestampOf(50))).isEqualTo(100);
            }
        }
    }

    @Test
    void shouldRedeliverAnEntryWhoseHandlerThrew()
    {
        try (Journal journal = Journal.open(context(dir)))
        {
            appendRange(journal, 0, 2, 0);
            try (JournalTailer tailer = journal.tailer())
            {
                final List<Long> seen = new ArrayList<>();
                final boolean[] failOnce = {true};
                final JournalHandler handler = (seq, viewId, node, originSeq, ts, buffer, offset, length) ->
                {
                    if (seq == 1 && failOnce[0])
                    {
                        failOnce[0] = false;
                        throw new IllegalStateException("boom");
                    }
                    seen.add(seq);
                };
                assertThatThrownBy(() -> tailer.poll(handler, 10)).hasMessage("boom");
                while (tailer.poll(handler, 10) > 0)
                {
                    Thread.onSpinWait();
                }
                assertThat(seen).containsExactly(0L, 1L, 2L);
            }
        }
    }

    @Test
    void shouldRefuseASecondWriterOnTheSameDirectory()
    {
        try (Journal ignored = Journal.open(context(dir)))
        {
            assertThatThrownBy(() -> Journal.open(context(dir))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("open in another process");
        }
    }

    @Test
    void shouldNotAllocateInSteadyStateAppendAndPoll()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[100]);
        final long[] sum = {0};
        final JournalHandler handler = (seq, viewId, node, originSeq, ts, buffer, offset, length) ->
            sum[0] += seq + buffer.getByte(offset);
        try (Journal journal = Journal.open(context(dir).blockSize(64L << 20)); JournalTailer tailer = journal.tailer())
        {
            long seq = 0;
            for (; seq < 20_000; seq++)
            {
                journal.append(seq, 1, 1, seq, seq, frame, 0, 100);
                tailer.poll(handler, 10);
            }
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (; seq < 120_000; seq++)
            {
                journal.append(seq, 1, 1, seq, seq, frame, 0, 100);
                tailer.poll(handler, 10);
            }
            journal.endBatch();
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            // Nothing per message (that would be >= 1.6 MB); Chronicle allocates a little now and then (index
            // arrays, JIT transitions), a few KB in all.
            assertThat(allocated).as("bytes allocated by 100k appends and polls").isLessThan(64 * 1024);
            assertThat(sum[0]).isPositive();
        }
    }

    private static void assertReplay(final Journal journal, final long newFrom, final long newSalt)
    {
        try (JournalTailer tailer = journal.tailer())
        {
            final Collector collector = drain(tailer);
            assertThat(collector.sequences()).isEqualTo(range(1, journal.lastSequence()));
            for (final JournalTestSupport.Delivered d : collector.messages)
            {
                final long salt = d.seq() >= newFrom ? newSalt : 0;
                assertThat(frameMatches(new UnsafeBuffer(d.frame()), 0, d.seq(), salt, d.frame().length))
                    .as("seq %d", d.seq()).isTrue();
            }
            assertThat(tailer.seekToSequence(90)).isTrue();
            final DirectBuffer[] none = {null};
            assertThat(drain(tailer).sequences()).isEqualTo(range(90, journal.lastSequence()));
            assertThat(none[0]).isNull();
        }
    }
}
