package org.omnibus.edge;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.bus.Bus;
import org.omnibus.bus.BusContext;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.test.DBusTestClient;
import org.omnibus.test.Tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two edges whose buses are joined by an in-memory total order (every frame any node submits is delivered to
 * every node in one order, on each node's agent thread): the cluster mode of {@link BusEdgeHandler} with real
 * sockets and clients, without Aeron.
 */
@Timeout(60)
class ClusterModeTest
{
    @TempDir
    Path dir;

    /** The total order: frames with their origin node, appended under a lock. */
    private final List<Object[]> order = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();

    private final class Node implements ClusterLink, EdgeHandler
    {
        final int nodeId;
        final BusEdgeHandler handler;
        final EdgeAgent agent;
        final Path socket;
        int cursor;

        Node(final int nodeId) throws IOException
        {
            this.nodeId = nodeId;
            final BusEdgeHandler[] self = new BusEdgeHandler[1];
            final Bus bus = new Bus(new BusContext().nodeId(nodeId).clustered(true)
                .busId("0123456789abcdef0123456789abcdef")
                .nameCommandSink(command -> self[0].submitNameCommand(command)));
            handler = new BusEdgeHandler(bus, this);
            self[0] = handler;
            socket = dir.resolve("bus" + nodeId);
            agent = new EdgeAgent(new EdgeContext().addListenAddress(BusAddress.ofPath(socket))
                .guidHex("0123456789abcdef0123456789abcdef").conclude(), this, new DBusMessageFramer());
            handler.agent(agent);
            final AgentRunner runner = new AgentRunner(new SelectorIdleStrategy(agent.selector(), 0, 1),
                Throwable::printStackTrace, null, agent);
            runners.add(runner);
            AgentRunner.startOnThread(runner);
        }

        public int submit(final boolean safe, final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            synchronized (order)
            {
                order.add(new Object[] {nodeId, frame});
            }
            return ACCEPTED;
        }

        public int nodeId()
        {
            return nodeId;
        }

        public void onAuthenticated(final EdgeConnection connection)
        {
            handler.onAuthenticated(connection);
        }

        public boolean onMessage(final EdgeConnection c, final DirectBuffer b, final int o, final int l)
        {
            return handler.onMessage(c, b, o, l);
        }

        public void onDisconnected(final EdgeConnection connection, final String reason)
        {
            handler.onDisconnected(connection, reason);
        }

        public int onTick(final long nowNs)
        {
            int work = handler.onTick(nowNs);
            while (true)
            {
                final Object[] next;
                synchronized (order)
                {
                    if (cursor == order.size())
                    {
                        break;
                    }
                    next = order.get(cursor++);
                }
                final byte[] frame = (byte[])next[1];
                handler.onClusterDelivery((Integer)next[0], new UnsafeBuffer(frame), 0, frame.length);
                work++;
            }
            return work;
        }
    }

    @AfterEach
    void stop()
    {
        runners.forEach(AgentRunner::close);
    }

    @Test
    void namesSignalsAndCallsSpanNodesInOneOrder() throws IOException
    {
        final Node one = new Node(1);
        final Node two = new Node(2);
        try (DBusTestClient service = DBusTestClient.connect(one.socket);
            DBusTestClient watcher = DBusTestClient.connect(two.socket);
            DBusTestClient caller = DBusTestClient.connect(two.socket))
        {
            assertThat(service.uniqueName()).isEqualTo(":1.0");
            assertThat(watcher.uniqueName()).isEqualTo(":2.0");

            watcher.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed'");
            assertThat(service.callDriver("RequestName", "su", "com.example.Svc", 0).arg(0)).isEqualTo(1L);
            // node 2 knows the name once its agent has taken the command from the order (node 1 may answer first)
            awaitDriverAnswer(caller, "GetNameOwner", "com.example.Svc", ":1.0");

            // a signal from node 1 reaches the subscriber on node 2, in the sender's order
            for (int i = 0; i < 50; i++)
            {
                service.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tick").body("u", i));
            }
            for (int i = 0; i < 50; i++)
            {
                final DBusTestClient.Message tick = watcher.awaitSignal("Tick", Duration.ofSeconds(10));
                assertThat(tick.arg(0)).isEqualTo((long)i);
                assertThat(tick.sender()).isEqualTo(":1.0");
            }

            // a call from node 2 to the service on node 1, and its reply back
            final long serial = caller.send(DBusMessageBuilder
                .methodCall("com.example.Svc", "/svc", "com.example.Svc", "Echo").body("s", "hi"));
            final DBusTestClient.Message call = service.await(m -> "Echo".equals(m.member()), Duration.ofSeconds(10));
            assertThat(call.sender()).isEqualTo(caller.uniqueName());
            service.send(DBusMessageBuilder.methodReturn(call.serial()).destination(call.sender()).body("s", "ho"));
            final DBusTestClient.Message reply = caller.await(m -> m.replySerial() == serial, Duration.ofSeconds(10));
            assertThat(reply.arg(0)).isEqualTo("ho");
            assertThat(reply.sender()).isEqualTo(":1.0");
        }
    }

    @Test
    void localMessageWaitsBehindTheSendersSignalsInTheOrder() throws IOException
    {
        final Node one = new Node(1);
        try (DBusTestClient sender = DBusTestClient.connect(one.socket);
            DBusTestClient receiver = DBusTestClient.connect(one.socket))
        {
            receiver.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed'");
            receiver.callDriver("RequestName", "su", "com.example.Receiver", 0);
            for (int i = 0; i < 20; i++)
            {
                sender.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tick").body("u", i));
                sender.send(DBusMessageBuilder.methodCall("com.example.Receiver", "/r", "com.example.R", "Poke")
                    .body("u", i).flags(1));
            }
            // the receiver sees Tick i (through the order) before Poke i (local fast path), for every i
            final List<String> seen = new ArrayList<>();
            while (seen.size() < 40)
            {
                final DBusTestClient.Message m = receiver.await(
                    x -> "Tick".equals(x.member()) || "Poke".equals(x.member()), Duration.ofSeconds(10));
                seen.add(m.member() + m.arg(0));
            }
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                expected.add("Tick" + i);
                expected.add("Poke" + i);
            }
            assertThat(seen).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void departedNodeReleasesItsNamesEverywhere() throws IOException
    {
        final Node one = new Node(1);
        final Node two = new Node(2);
        try (DBusTestClient owner = DBusTestClient.connect(one.socket);
            DBusTestClient watcher = DBusTestClient.connect(two.socket))
        {
            owner.callDriver("RequestName", "su", "com.example.Gone", 0);
            watcher.callDriver("AddMatch", "s", "type='signal',member='NameOwnerChanged',arg0='com.example.Gone'");
            awaitDriverAnswer(watcher, "NameHasOwner", "com.example.Gone", true);

            two.agent.wakeup();
            runners.get(1).close();
            // node 2's agent is stopped; hand the departure to node 2's handler on this thread instead
            two.handler.onNodesDeparted(new long[] {1});
        }
        assertThat(two.handler.bus().names().hasOwner("com.example.Gone")).isFalse();
    }

    private static void awaitDriverAnswer(
        final DBusTestClient client, final String method, final String name, final Object expected)
    {
        final Object[] last = new Object[1];
        Tests.await(
            () ->
            {
                try
                {
                    last[0] = client.callDriver(method, "s", name).arg(0);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                return expected.equals(last[0]);
            },
            Duration.ofSeconds(10),
            () -> method + "(" + name + ") answered " + last[0] + ", expected " + expected);
    }
}
