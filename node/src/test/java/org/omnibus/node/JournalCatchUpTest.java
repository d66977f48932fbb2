package org.omnibus.node;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalContext;
import org.omnibus.persistence.JournalHandler;
import org.omnibus.persistence.JournalTailer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catch-up protocol between two journals, wired in memory (no Aeron), with a hand-driven clock: a lagging journal
 * is filled from a peer's up to the live stream and then follows it, with no gap and no duplicate; retention and
 * divergent tails; lost frames and back-pressure.
 */
@Timeout(120)
class JournalCatchUpTest
{
    private static final int SERVER = 1;
    private static final int CLIENT = 2;
    private static final long VIEW_1 = (1L << 24) | 1;
    private static final long VIEW_2 = (2L << 24) | 1;
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ArrayDeque<Frame> network = new ArrayDeque<>();
    private SplittableRandom random = new SplittableRandom(0);
    private double lossRate;
    private double backPressureRate;
    private long nowNs = 1_000 * MS;
    private long sent;

    private record Frame(int from, int to, byte[] bytes)
    {
    }

    @AfterEach
    void close() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    private Journal journal(final String name)
    {
        final Journal journal = Journal.open(new JournalContext()
            .directory(dir.resolve(name)).blockSize(1L << 20).chronicleTimeoutMs(500));
        closeables.add(journal);
        return journal;
    }

    private JournalCatchUp catchUp(final int nodeId, final Journal journal)
    {
        final JournalCatchUp catchUp = new JournalCatchUp(nodeId, journal, (to, buffer, offset, length) ->
        {
            if (random.nextDouble() < backPressureRate)
            {
                return -2;
            }
            sent++;
            if (random.nextDouble() >= lossRate)
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                network.add(new Frame(nodeId, to, bytes));
            }
            return sent;
        }, 1004, 200 * MS, 5 * MS);
        closeables.add(catchUp);
        return catchUp;
    }

    /** The cluster's message at a sequence: its view and its frame bytes depend on the sequence only. */
    private static long append(final Journal journal, final long seq, final long viewId, final int variant)
    {
        final byte[] frame = frame(seq, variant);
        return journal.append(seq, viewId, (int)(seq % 3) + 1, seq * 7 + variant, seq * 1_000, new UnsafeBuffer(frame),
            0, frame.length);
    }

    private static byte[] frame(final long seq, final int variant)
    {
        final SplittableRandom r = new SplittableRandom(seq * 31 + variant);
        final byte[] frame = new byte[8 + r.nextInt(seq % 97 == 0 ? 40_000 : 300)];
        r.nextBytes(frame);
        return frame;
    }

    private static long viewOf(final long seq, final long viewChangeAt)
    {
        return seq < viewChangeAt ? VIEW_1 : VIEW_2;
    }

    private void pump(final JournalCatchUp... nodes)
    {
        final int n = network.size();
        for (int i = 0; i < n; i++)
        {
            final Frame frame = network.poll();
            final JournalCatchUp target = nodes[frame.to() - 1];
            if (target != null)
            {
                target.onCatchUpFrame(frame.from(), new UnsafeBuffer(frame.bytes()), 0, frame.bytes().length);
            }
        }
        for (final JournalCatchUp node : nodes)
        {
            if (node != null)
            {
                node.doWork(nowNs);
            }
        }
        nowNs += MS;
    }

    private record Entry(long seq, long viewId, int originNode, long originSeq, byte[] frame)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Entry e && e.seq == seq && e.viewId == viewId && e.originNode == originNode &&
                e.originSeq == originSeq && Arrays.equals(e.frame, frame);
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(seq);
        }

        @Override
        public String toString()
        {
            return "Entry{" + seq + " view=" + viewId + " origin=" + originNode + "/" + originSeq + " len=" +
                frame.length + "}";
        }
    }

    static List<Entry> entries(final Journal journal)
    {
        final List<Entry> entries = new ArrayList<>();
        try (JournalTailer tailer = journal.tailer())
        {
            tailer.seekToStart();
            final JournalHandler handler = new JournalHandler()
            {
                public void onMessage(final long globalSeq, final long viewId, final int originNode,
                    final long originSeq, final long timestampNs, final DirectBuffer buffer, final int offset,
                    final int length)
                {
                    final byte[] frame = new byte[length];
                    buffer.getBytes(offset, frame);
                    entries.add(new Entry(globalSeq, viewId, originNode, originSeq, frame));
                }

                public void onTruncation(final long nextSeq)
                {
                    entries.removeIf(e -> e.seq >= nextSeq);
                }
            };
            while (tailer.poll(handler, 1024) > 0)
            {
                // read all
            }
        }
        return entries;
    }

    private static List<Long> sequences(final Journal journal)
    {
        return entries(journal).stream().map(Entry::seq).toList();
    }

    @Test
    void fillsTheGapUpToTheLiveStreamThenFollowsIt()
    {
        final Journal server = journal("server");
        final Journal client = journal("client");
        for (long seq = 1; seq <= 3_000; seq++)
        {
            append(server, seq, viewOf(seq, 500), 0);
            if (seq <= 200)
            {
                append(client, seq, viewOf(seq, 500), 0);
            }
        }
        final JournalCatchUp serverSide = catchUp(SERVER, server);
        final JournalCatchUp clientSide = catchUp(CLIENT, client);
        clientSide.client().begin(3_001, VIEW_2, new int[] {SERVER}, nowNs);
        for (int i = 0; i < 1_000 && clientSide.client().isActive(); i++)
        {
            pump(serverSide, clientSide);
        }
        assertThat(clientSide.client().isActive()).isFalse();
        assertThat(client.nextSequence()).isEqualTo(3_001);
        // live deliveries continue on both
        for (long seq = 3_001; seq <= 3_010; seq++)
        {
            append(server, seq, VIEW_2, 0);
            assertThat(clientSide.client().tryFinishAt(seq)).isTrue();
            append(client, seq, VIEW_2, 0);
        }
        assertThat(entries(client)).isEqualTo(entries(server));
        assertThat(serverSide.server().activeSessions()).isZero();
        assertThat(clientSide.client().appended()).isEqualTo(2_800);
    }

    @Test
    void aFreshJournalFetchesTheWholeHistory()
    {
        final Journal server = journal("server");
        final Journal client = journal("client");
        for (long seq = 1; seq <= 500; seq++)
        {
            append(server, seq, VIEW_1, 0);
        }
        final JournalCatchUp serverSide = catchUp(SERVER, server);
        final JournalCatchUp clientSide = catchUp(CLIENT, client);
        clientSide.client().begin(501, VIEW_1, new int[] {SERVER}, nowNs);
        for (int i = 0; i < 1_000 && clientSide.client().isActive(); i++)
        {
            pump(serverSide, clientSide);
        }
        assertThat(entries(client)).isEqualTo(entries(server));
    }

    @Test
    void whatNoPeerHoldsAnyMoreIsSkippedWithAMarker()
    {
        final Journal server = journal("server");
        final Journal client = journal("client");
        for (long seq = 1; seq <= 10; seq++)
        {
            append(client, seq, VIEW_1, 0);
        }
        server.restartAt(100, VIEW_1); // as if retention had deleted 1 .. 99
        for (long seq = 100; seq <= 300; seq++)
        {
            append(server, seq, VIEW_1, 0);
        }
        final JournalCatchUp serverSide = catchUp(SERVER, server);
        final JournalCatchUp clientSide = catchUp(CLIENT, client);
        clientSide.client().begin(301, VIEW_1, new int[] {SERVER}, nowNs);
        for (int i = 0; i < 1_000 && clientSide.client().isActive(); i++)
        {
            pump(serverSide, clientSide);
        }
        assertThat(clientSide.client().isActive()).isFalse();
        assertThat(sequences(client)).containsExactlyElementsOf(
            LongStream.concat(LongStream.rangeClosed(1, 10), LongStream.rangeClosed(100, 300)).boxed().toList());
        assertThat(client.ceilingSequence(11)).isEqualTo(100);
        assertThat(entries(client).subList(10, 211)).isEqualTo(entries(server));
    }

    @Test
    void aDivergentTailIsTruncatedAndFetchedAgain()
    {
        final Journal server = journal("server");
        final Journal client = journal("client");
        for (long seq = 1; seq <= 100; seq++)
        {
            append(server, seq, viewOf(seq, 51), 0);
        }
        for (long seq = 1; seq <= 60; seq++)
        {
            // the client delivered 51 .. 60 in view 1, which the primary view never made stable
            append(client, seq, VIEW_1, seq > 50 ? 1 : 0);
        }
        final JournalCatchUp serverSide = catchUp(SERVER, server);
        final JournalCatchUp clientSide = catchUp(CLIENT, client);
        clientSide.client().begin(101, VIEW_2, new int[] {SERVER}, nowNs);
        for (int i = 0; i < 1_000 && clientSide.client().isActive(); i++)
        {
            pump(serverSide, clientSide);
        }
        assertThat(clientSide.client().isActive()).isFalse();
        assertThat(entries(client)).isEqualTo(entries(server));
    }

    @Test
    void withoutAnyPeerJournalTheJournalSkipsToTheLiveStream()
    {
        final Journal client = journal("client");
        for (long seq = 1; seq <= 10; seq++)
        {
            append(client, seq, VIEW_1, 0);
        }
        final JournalCatchUp clientSide = catchUp(CLIENT, client);
        // peer 1 answers UNAVAILABLE (its node runs without a journal)
        final JournalCatchUp unavailable = new JournalCatchUp(SERVER, null, (to, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            network.add(new Frame(SERVER, to, bytes));
            return 1;
        }, 1004);
        closeables.add(unavailable);
        clientSide.client().begin(51, VIEW_1, new int[] {SERVER}, nowNs);
        for (int i = 0; i < 1_000 && clientSide.client().isActive(); i++)
        {
            pump(unavailable, clientSide);
        }
        assertThat(clientSide.client().isActive()).isFalse();
        assertThat(client.nextSequence()).isEqualTo(51);
        assertThat(client.ceilingSequence(11)).isEqualTo(Journal.NULL_SEQUENCE);
        assertThat(unavailable.server().activeSessions()).isZero();
    }

    static LongStream seeds()
    {
        return LongStream.range(0, 12);
    }

    /**
     * Random loss, back-pressure and live traffic during catch-up: the client's journal ends up identical to the
     * server's.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void convergesUnderLossBackPressureAndLiveTraffic(final long seed)
    {
        random = new SplittableRandom(seed);
        final SplittableRandom traffic = new SplittableRandom(seed ^ 0x5DEECE66DL);
        lossRate = traffic.nextDouble() * 0.2;
        backPressureRate = traffic.nextDouble() * 0.5;
        final Journal server = journal("server");
        final Journal client = journal("client");
        final long initial = 500 + traffic.nextInt(3_000);
        final long clientHas = traffic.nextInt((int)initial / 2);
        for (long seq = 1; seq <= initial; seq++)
        {
            append(server, seq, VIEW_1, 0);
            if (seq <= clientHas)
            {
                append(client, seq, VIEW_1, 0);
            }
        }
        final JournalCatchUp serverSide = catchUp(SERVER, server);
        final JournalCatchUp clientSide = catchUp(CLIENT, client);
        clientSide.client().begin(initial + 1, VIEW_1, new int[] {SERVER}, nowNs);
        long live = initial;
        int cycles = 0;
        while (clientSide.client().isActive() || live < initial + 200)
        {
            assertThat(cycles++).as("seed %d: catch-up did not finish", seed).isLessThan(20_000);
            if (traffic.nextInt(3) == 0)
            {
                final int burst = traffic.nextInt(5);
                for (int i = 0; i < burst; i++)
                {
                    live++;
                    append(server, live, VIEW_1, 0);
                    if (clientSide.client().tryFinishAt(live))
                    {
                        assertThat(append(client, live, VIEW_1, 0)).as("seed %d", seed).isEqualTo(live);
                    }
                }
            }
            pump(serverSide, clientSide);
        }
        assertThat(entries(client)).as("seed %d", seed).isEqualTo(entries(server));
    }
}
