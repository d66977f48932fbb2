package org.omnibus.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.persistence.JournalConfiguration;
import org.omnibus.persistence.JournalHandler;
import org.omnibus.persistence.JournalReader;
import org.omnibus.persistence.JournalTailer;
import org.omnibus.test.DBusTestClient;
import org.omnibus.test.Tests;
import org.omnibus.transport.ChannelMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes in this JVM over Aeron unicast on loopback: a node stopped while the others ordered thousands of
 * messages (long released by the membership layer, which keeps messages only until they are stable) comes back
 * with its old data directory, gets the bus state by state transfer, fetches the missing stretch of the journal
 * from a peer's journal, and ends up with the same journal as the survivors over the whole run: every sequence
 * once, in order, the same frame bytes, while live traffic reaches its clients meanwhile.
 */
@Timeout(180)
class CatchUpNodeTest
{
    private static final byte[] SECRET = "catch-up-node-test-secret".getBytes(StandardCharsets.UTF_8);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Node[] nodes = new Node[4];

    private Node start(final int nodeId)
    {
        final Node node = Node.launch(new NodeContext()
            .dataDir(dir.resolve("node" + nodeId))
            .nodeId(nodeId)
            .cluster(new ClusterSettings()
                .initialMembers(1, 2, 3)
                .secret(SECRET)
                .channelMode(ChannelMode.UNICAST)
                .endpoint("127.0.0.1:0")));
        nodes[nodeId] = node;
        return node;
    }

    private void meshAll()
    {
        for (int a = 1; a <= 3; a++)
        {
            for (int b = 1; b <= 3; b++)
            {
                if (a != b && nodes[a] != null && nodes[b] != null)
                {
                    nodes[a].group().addPeer(nodes[b].clusterPeer());
                }
            }
        }
    }

    private boolean allPrimary(final int size)
    {
        return Arrays.stream(nodes).filter(n -> n != null)
            .allMatch(n -> n.group().isPrimary() && n.group().view().size() == size);
    }

    @AfterEach
    void stop()
    {
        for (final Node node : nodes)
        {
            if (node != null)
            {
                node.close();
            }
        }
    }

    @Test
    void aRestartedNodeFetchesWhatItMissedFromAPeersJournal() throws IOException
    {
        start(1);
        start(2);
        start(3);
        meshAll();
        Tests.await(() -> allPrimary(3), WAIT, () -> "three-member primary view");

        final int before = 200;
        final int whileDown = 3_000;
        final int after = 200;
        try (DBusTestClient sender = DBusTestClient.connect(socket(nodes[1])))
        {
            for (int i = 0; i < before; i++)
            {
                sender.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tick").body("u", i));
            }
            final long beforeStop = awaitJournalAtLeast(nodes[1], before);
            Tests.await(() -> lastJournaled(nodes[3]) >= beforeStop, WAIT, () -> "node 3 journaled the first part");

            nodes[3].close();
            nodes[3] = null;
            Tests.await(() -> allPrimary(2), WAIT, () -> "two-member primary view");

            for (int i = 0; i < whileDown; i++)
            {
                sender.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tick")
                    .body("us", before + i, "while node 3 was down " + i));
            }
            final long downTo = awaitJournalAtLeast(nodes[1], beforeStop + whileDown);
            Tests.await(() -> nodes[1].group().deliveredSeq() >= downTo && nodes[2].group().deliveredSeq() >= downTo,
                WAIT, () -> "survivors delivered the traffic");

            final Node restarted = start(3);
            meshAll();
            Tests.await(() -> allPrimary(3), WAIT, () -> "node 3 back in the primary view");

            try (DBusTestClient watcher = DBusTestClient.connect(socket(restarted)))
            {
                watcher.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed'");
                // live traffic reaches node 3's client (even while its journal may still be catching up)
                for (int i = 0; i < after; i++)
                {
                    sender.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tick")
                        .body("u", before + whileDown + i));
                }
                for (int i = 0; i < after; i++)
                {
                    assertThat(watcher.awaitSignal("Tick", WAIT).arg(0)).isEqualTo((long)(before + whileDown + i));
                }
            }

            final JournalCatchUp catchUp = restarted.catchUp();
            Tests.await(() -> !catchUp.client().isActive(), WAIT, () -> "node 3's catch-up finished");
            assertThat(catchUp.client().appended()).as("entries fetched from a peer's journal")
                .isGreaterThanOrEqualTo(whileDown);
        }

        final long trafficEnd = lastJournaled(nodes[1]);
        // the clients' disconnects are still being ordered: wait until the three journals agree on their end
        Tests.await(() -> lastJournaled(nodes[1]) == lastJournaled(nodes[2]) &&
            lastJournaled(nodes[1]) == lastJournaled(nodes[3]), WAIT,
            () -> "journals end at " + lastJournaled(nodes[1]) + ", " + lastJournaled(nodes[2]) + ", " +
            lastJournaled(nodes[3]));
        for (int i = 1; i <= 3; i++)
        {
            nodes[i].close();
        }

        final List<Entry> one = entries(1);
        final List<Entry> two = entries(2);
        final List<Entry> three = entries(3);
        // a disconnect ordered while the nodes closed may have reached only some journals: compare the common run
        final int common = Math.min(one.size(), Math.min(two.size(), three.size()));
        assertThat(common).as("journaled on all three").isGreaterThanOrEqualTo((int)trafficEnd);
        for (int i = 0; i < one.size(); i++)
        {
            assertThat(one.get(i).seq()).as("no gap, no duplicate").isEqualTo(i + 1);
        }
        assertContentEquals(three.subList(0, common), one.subList(0, common), "node 3 (restarted) vs node 1");
        assertContentEquals(two.subList(0, common), one.subList(0, common), "node 2 vs node 1");
    }

    private static void assertContentEquals(final List<Entry> actual, final List<Entry> expected, final String what)
    {
        assertThat(actual.size()).as(what + ": entries").isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++)
        {
            final Entry a = actual.get(i);
            final Entry e = expected.get(i);
            assertThat(a.seq()).as(what + " at " + i).isEqualTo(e.seq());
            assertThat(a.viewId()).as(what + " view at " + e.seq()).isEqualTo(e.viewId());
            assertThat(a.originNode()).as(what + " origin at " + e.seq()).isEqualTo(e.originNode());
            assertThat(a.originSeq()).as(what + " origin seq at " + e.seq()).isEqualTo(e.originSeq());
            assertThat(a.frame()).as(what + " frame at " + e.seq()).isEqualTo(e.frame());
        }
    }

    private record Entry(long seq, long viewId, int originNode, long originSeq, byte[] frame)
    {
    }

    private List<Entry> entries(final int nodeId)
    {
        final List<Entry> entries = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journalDir(nodeId));
            JournalTailer tailer = reader.tailer())
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
                    entries.removeIf(e -> e.seq() >= nextSeq);
                }
            };
            while (tailer.poll(handler, 4096) > 0)
            {
                // read to the end
            }
        }
        return entries;
    }

    private Path journalDir(final int nodeId)
    {
        return JournalConfiguration.journalDirectory(dir.resolve("node" + nodeId));
    }

    private static long awaitJournalAtLeast(final Node node, final long seq)
    {
        Tests.await(() -> lastJournaled(node) >= seq, WAIT, () -> "journal of node " + node.context().nodeId() +
            " at " + lastJournaled(node) + ", waiting for " + seq);
        return lastJournaled(node);
    }

    private static Path socket(final Node node)
    {
        return Path.of(node.context().listenAddresses().get(0).path());
    }

    private static long lastJournaled(final Node node)
    {
        try (JournalReader reader = JournalReader.open(JournalConfiguration.journalDirectory(node.context().dataDir())))
        {
            return reader.lastSequence();
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }
}
