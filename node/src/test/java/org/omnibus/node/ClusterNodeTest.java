package org.omnibus.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.persistence.JournalConfiguration;
import org.omnibus.persistence.JournalReader;
import org.omnibus.test.DBusTestClient;
import org.omnibus.test.Tests;
import org.omnibus.transport.ChannelMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes in this JVM, clustered over Aeron unicast on loopback, each with its edge socket and journal:
 * one bus across nodes.
 */
@Timeout(120)
class ClusterNodeTest
{
    private static final byte[] SECRET = "cluster-node-test-secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final List<Node> nodes = new ArrayList<>();

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
        nodes.add(node);
        return node;
    }

    private void meshAll()
    {
        for (final Node a : nodes)
        {
            for (final Node b : nodes)
            {
                if (a != b)
                {
                    a.group().addPeer(b.clusterPeer());
                }
            }
        }
    }

    private static Path socket(final Node node)
    {
        return Path.of(node.context().listenAddresses().get(0).path());
    }

    @AfterEach
    void stop()
    {
        nodes.forEach(Node::close);
    }

    @Test
    void oneBusAcrossThreeNodes() throws IOException
    {
        final Node one = start(1);
        final Node two = start(2);
        final Node three = start(3);
        meshAll();
        Tests.await(() -> nodes.stream().allMatch(n -> n.group().isPrimary() && n.group().view().size() == 3),
            Duration.ofSeconds(30), () -> "three-member primary view");

        try (DBusTestClient service = DBusTestClient.connect(socket(one));
            DBusTestClient watcher = DBusTestClient.connect(socket(two));
            DBusTestClient caller = DBusTestClient.connect(socket(three)))
        {
            assertThat(service.uniqueName()).startsWith(":1.");
            assertThat(watcher.uniqueName()).startsWith(":2.");
            assertThat(caller.uniqueName()).startsWith(":3.");

            watcher.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed'");
            assertThat(service.callDriver("RequestName", "su", "com.example.Svc", 0).arg(0)).isEqualTo(1L);
            // the owner's node answers once the command is in the order; the others apply it when it reaches them
            Tests.await(() -> service.uniqueName().equals(callDriverQuietly(caller, "GetNameOwner", "com.example.Svc")),
                Duration.ofSeconds(20), () -> "name owner visible on node 3");
            @SuppressWarnings("unchecked")
            final List<String> names = (List<String>)caller.callDriver("ListNames", "").arg(0);
            assertThat(names).contains(service.uniqueName(), watcher.uniqueName(), caller.uniqueName());

            for (int i = 0; i < 100; i++)
            {
                service.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tick").body("u", i));
            }
            for (int i = 0; i < 100; i++)
            {
                assertThat(watcher.awaitSignal("Tick", Duration.ofSeconds(20)).arg(0)).isEqualTo((long)i);
            }

            final long serial = caller.send(DBusMessageBuilder
                .methodCall("com.example.Svc", "/svc", "com.example.Svc", "Echo").body("s", "across"));
            final DBusTestClient.Message call = service.await(m -> "Echo".equals(m.member()), Duration.ofSeconds(20));
            service.send(DBusMessageBuilder.methodReturn(call.serial()).destination(call.sender()).body("s", "back"));
            assertThat(caller.await(m -> m.replySerial() == serial, Duration.ofSeconds(20)).arg(0)).isEqualTo("back");
        }

        // every node journaled the same ordered stream
        final long[] last = new long[3];
        for (int i = 0; i < 3; i++)
        {
            final Node node = nodes.get(i);
            final int index = i;
            Tests.await(() -> lastJournaled(node) >= 100, Duration.ofSeconds(20), () -> "journal of " + index);
            last[i] = lastJournaled(node);
        }
        assertThat(last[0]).isPositive();
    }

    @Test
    void namesOfACrashedNodeAreReleasedOnTheOthers() throws IOException
    {
        final Node one = start(1);
        final Node two = start(2);
        final Node three = start(3);
        meshAll();
        Tests.await(() -> nodes.stream().allMatch(n -> n.group().isPrimary() && n.group().view().size() == 3),
            Duration.ofSeconds(30), () -> "three-member primary view");
        try (DBusTestClient owner = DBusTestClient.connect(socket(three));
            DBusTestClient watcher = DBusTestClient.connect(socket(one)))
        {
            owner.callDriver("RequestName", "su", "com.example.Doomed", 0);
            watcher.callDriver("AddMatch", "s", "type='signal',member='NameOwnerChanged',arg0='com.example.Doomed'");
            assertThat(watcher.callDriver("NameHasOwner", "s", "com.example.Doomed").arg(0)).isEqualTo(true);

            three.close(); // as a crash for the others: no leave, its peers vanish with it

            final DBusTestClient.Message lost = watcher.await(
                m -> m.isSignal() && "NameOwnerChanged".equals(m.member()) && "".equals(m.arg(2)),
                Duration.ofSeconds(30));
            assertThat(lost.arg(1)).isEqualTo(owner.uniqueName());
            // node one applied the view change; node two installs it on its own agent, maybe a moment later
            Tests.await(() -> two.group().view().size() == 2, Duration.ofSeconds(30), () -> "node two's view");
        }
    }

    private static Object callDriverQuietly(final DBusTestClient client, final String member, final String arg)
    {
        try
        {
            return client.callDriver(member, "s", arg).arg(0);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
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
