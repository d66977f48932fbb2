package org.omnibus.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.api.BusConnection;
import org.omnibus.api.DBusException;
import org.omnibus.api.DurableSubscription;
import org.omnibus.api.JournalHeader;
import org.omnibus.api.PositionStore;
import org.omnibus.api.Reply;
import org.omnibus.codec.dbus.DBusProtocol;
import org.omnibus.test.Tests;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Durable subscribers on a one-node cluster with its journal ({@code org.omnibus.Journal} on the bus driver, the
 * bus-api client): replay then live exactly once in order, resume after a disconnect while traffic continues,
 * errors, and a node without journal.
 */
@Timeout(120)
class DurableSubscriptionTest
{
    private static final String FEED = "com.example.Feed";
    private static final String RULE = "type='signal',interface='" + FEED + "'";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private Node start(final boolean journal)
    {
        final Node node = Node.launch(new NodeContext()
            .dataDir(dir.resolve("node"))
            .nodeId(1)
            .cluster(ClusterSettings.single(1).journal(journal)));
        closeables.add(node);
        Tests.await(() -> node.group().isPrimary(), WAIT, () -> "primary view");
        return node;
    }

    private BusConnection connect(final Node node) throws IOException
    {
        final BusConnection connection = BusConnection.connect(node.clientAddress());
        closeables.add(0, connection);
        return connection;
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
    }

    private static long lastJournaled(final BusConnection client) throws IOException
    {
        return journalCall(client, "GetPosition", "").orThrow().longArg(1);
    }

    private static Reply journalCall(
        final BusConnection client, final String member, final String signature, final Object... args)
        throws IOException
    {
        return client.call(BusConnection.DRIVER_NAME, BusConnection.DRIVER_PATH, DurableSubscription.JOURNAL_INTERFACE,
            member, signature, args);
    }

    private static void emit(final BusConnection publisher, final String iface, final long from, final long to)
        throws IOException
    {
        for (long i = from; i < to; i++)
        {
            publisher.emitSignal("/feed", iface, "Tick", "t", i);
        }
    }

    /** (sequence, payload) pairs a raw subscriber received. */
    private record Received(long sequence, long subscription, long value)
    {
    }

    @Test
    void replayThenLiveExactlyOnceInGlobalOrder() throws IOException
    {
        final Node node = start(true);
        final BusConnection publisher = connect(node);
        final BusConnection subscriber = connect(node);
        emit(publisher, FEED, 0, 300);
        emit(publisher, "com.example.Noise", 0, 50);
        barrier(publisher);

        final List<Received> received = new CopyOnWriteArrayList<>();
        final List<String> wrong = new CopyOnWriteArrayList<>();
        subscriber.addHandler(m ->
        {
            if (m.type() == DBusProtocol.TYPE_SIGNAL && FEED.equals(m.interfaceName()))
            {
                received.add(new Received(JournalHeader.sequence(m), JournalHeader.subscription(m),
                    (Long)Reply.bodyOf(m).get(0)));
                if (!publisher.uniqueName().equals(m.sender()))
                {
                    wrong.add("sender " + m.sender());
                }
            }
            else if (m.type() == DBusProtocol.TYPE_SIGNAL && !"org.freedesktop.DBus".equals(m.sender()))
            {
                wrong.add(m.interfaceName() + "." + m.member());
            }
        });
        final Reply subscribed = journalCall(subscriber, "Subscribe", "st", RULE, 0L).orThrow();
        final long id = subscribed.longArg(0);
        assertThat(subscribed.longArg(1)).isEqualTo(journalCall(subscriber, "GetPosition", "").longArg(0));

        // live traffic while the replay is still going
        emit(publisher, FEED, 300, 600);
        emit(publisher, "com.example.Noise", 50, 100);
        Tests.await(() -> received.size() >= 600, WAIT, () -> received.size() + " of 600");
        emit(publisher, FEED, 600, 700);
        Tests.await(() -> received.size() >= 700, WAIT, () -> received.size() + " of 700");

        assertThat(wrong).isEmpty();
        assertThat(received).hasSize(700);
        for (int i = 0; i < received.size(); i++)
        {
            final Received r = received.get(i);
            assertThat(r.value()).as("message %d", i).isEqualTo(i);
            assertThat(r.subscription()).isEqualTo(id);
            if (i > 0)
            {
                assertThat(r.sequence()).as("sequence of message %d", i).isGreaterThan(received.get(i - 1).sequence());
            }
        }
        assertThat(received.get(699).sequence()).isLessThanOrEqualTo(lastJournaled(subscriber));

        // after Unsubscribe nothing more comes: what the node would have sent for the journaled messages is queued
        // before the answer to a later call
        journalCall(subscriber, "Unsubscribe", "t", id).orThrow();
        emit(publisher, FEED, 700, 710);
        barrier(publisher);
        journalCall(subscriber, "GetPosition", "").orThrow();
        assertThat(received).hasSize(700);
    }

    /**
     * Returns once every signal the client sent before is journaled: its own broadcast comes back only after the
     * total order delivered (and the node journaled) it, after its earlier messages.
     */
    private static void barrier(final BusConnection client) throws IOException
    {
        final String token = Long.toString(System.nanoTime());
        final AtomicBoolean seen = new AtomicBoolean();
        final org.omnibus.api.MessageHandler handler = m ->
        {
            if ("Barrier".equals(m.member()) && token.equals(Reply.bodyOf(m).get(0)))
            {
                seen.set(true);
            }
        };
        client.addHandler(handler);
        final String rule = "type='signal',interface='com.example.Barrier',arg0='" + token + "'";
        client.addMatch(rule);
        client.emitSignal("/barrier", "com.example.Barrier", "Barrier", "s", token);
        Tests.await(seen::get, WAIT, () -> "barrier " + token);
        client.removeHandler(handler);
        client.callDriver("RemoveMatch", "s", rule);
    }

    private static long uncheckedLast(final BusConnection client)
    {
        try
        {
            return lastJournaled(client);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void resumesAfterDisconnectWithNoGapAndNoDuplicate() throws Exception
    {
        final Node node = start(true);
        final BusConnection publisher = connect(node);
        final int total = 4000;
        final AtomicLong published = new AtomicLong();
        final AtomicReference<Throwable> publisherFailure = new AtomicReference<>();
        final List<Long> values = new CopyOnWriteArrayList<>();
        final List<Long> sequences = new CopyOnWriteArrayList<>();
        final PositionStore.FilePositionStore store = PositionStore.file(dir.resolve("position"));
        closeables.add(store);
        final DurableSubscription subscription = DurableSubscription.open(node.clientAddress(), RULE, store,
            (seq, m) ->
            {
                sequences.add(seq);
                values.add((Long)Reply.bodyOf(m).get(0));
            });
        closeables.add(0, subscription);

        final Thread emitter = new Thread(() ->
        {
            try
            {
                for (long i = 0; i < total; i++)
                {
                    publisher.emitSignal("/feed", FEED, "Tick", "t", i);
                    published.set(i + 1);
                }
            }
            catch (final Throwable ex)
            {
                publisherFailure.set(ex);
            }
        }, "publisher");
        emitter.start();
        try
        {
            Tests.await(() -> values.size() >= 500, WAIT, () -> values.size() + " received before the disconnect");
            final BusConnection first = subscription.connection();
            first.close();
            assertThat(subscription.isConnected()).isFalse();
            final long seenBeforeDisconnect = values.size();
            final long publishedAtDisconnect = published.get();
            // traffic continues while the subscriber is away
            Tests.await(() -> published.get() >= Math.min(total, publishedAtDisconnect + 1000), WAIT,
                () -> "publisher progress " + published.get());
            assertThat(values.size()).isEqualTo(seenBeforeDisconnect);
            assertThat(store.load()).isEqualTo(subscription.lastSequence());

            // taken before reconnecting: the new subscription starts delivering as soon as it is answered
            final long lastBeforeReconnect = sequences.get(sequences.size() - 1);
            final long start = subscription.reconnect();
            assertThat(start).isEqualTo(lastBeforeReconnect + 1);
            Tests.await(() -> values.size() >= total || publisherFailure.get() != null, WAIT,
                () -> values.size() + " of " + total);
        }
        finally
        {
            emitter.join(WAIT.toMillis());
        }
        assertThat(publisherFailure.get()).isNull();
        assertThat(values).hasSize(total);
        for (int i = 0; i < total; i++)
        {
            assertThat(values.get(i)).as("message %d", i).isEqualTo(i);
        }
        for (int i = 1; i < total; i++)
        {
            assertThat(sequences.get(i)).isGreaterThan(sequences.get(i - 1));
        }
        assertThat(subscription.historyLost()).isZero();
    }

    @Test
    void subscribeFromTimeAndPosition() throws IOException
    {
        final Node node = start(true);
        final BusConnection publisher = connect(node);
        emit(publisher, FEED, 0, 10);
        barrier(publisher);
        final long lastBefore = lastJournaled(publisher);
        final long boundaryNs = (System.currentTimeMillis() + 1) * 1_000_000L;
        Tests.await(() -> System.currentTimeMillis() * 1_000_000L > boundaryNs, WAIT, () -> "clock");
        emit(publisher, FEED, 10, 20);
        barrier(publisher);
        final long lastAfter = lastJournaled(publisher);

        final BusConnection subscriber = connect(node);
        final List<Received> received = new CopyOnWriteArrayList<>();
        subscriber.addHandler(m ->
        {
            if (JournalHeader.sequence(m) != JournalHeader.NONE)
            {
                received.add(new Received(JournalHeader.sequence(m), JournalHeader.subscription(m),
                    (Long)Reply.bodyOf(m).get(0)));
            }
        });
        final Reply fromTime = journalCall(subscriber, "SubscribeFromTime", "st", RULE, boundaryNs).orThrow();
        assertThat(fromTime.longArg(1)).isGreaterThan(lastBefore).isLessThanOrEqualTo(lastAfter);
        Tests.await(() -> received.size() >= 10, WAIT, () -> received.size() + " of 10");
        assertThat(received).extracting(Received::value).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L,
            19L);

        // from a sequence in the middle: exactly the messages at or after it
        final long middle = received.get(5).sequence();
        final Reply fromSeq = journalCall(subscriber, "Subscribe", "st", RULE, middle).orThrow();
        assertThat(fromSeq.longArg(1)).isEqualTo(middle);
        Tests.await(() -> received.size() >= 15, WAIT, () -> received.size() + " of 15");
        assertThat(received.subList(10, 15)).extracting(Received::value).containsExactly(15L, 16L, 17L, 18L, 19L);
        assertThat(received.subList(10, 15)).extracting(Received::subscription).containsOnly(fromSeq.longArg(0));

        // from the next sequence: live only
        final long next = lastJournaled(subscriber) + 1;
        assertThat(journalCall(subscriber, "Subscribe", "st", RULE, next).orThrow().longArg(1)).isEqualTo(next);
    }

    @Test
    void clearErrors() throws IOException
    {
        final Node node = start(true);
        final BusConnection client = connect(node);
        final String introspection = (String)client.call(BusConnection.DRIVER_NAME, BusConnection.DRIVER_PATH,
            "org.freedesktop.DBus.Introspectable", "Introspect", "").orThrow().arg(0);
        assertThat(introspection).contains("<interface name=\"org.omnibus.Journal\">")
            .contains("<method name=\"Subscribe\">").contains("<method name=\"SubscribeFromTime\">")
            .contains("<method name=\"Unsubscribe\">").contains("<method name=\"GetPosition\">");

        assertThat(journalCall(client, "Subscribe", "st", "type='signal',foo='bar'", 0L).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.MatchRuleInvalid");
        assertThat(journalCall(client, "Subscribe", "st", "type='method_call'", 0L).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.MatchRuleInvalid");
        assertThat(journalCall(client, "Subscribe", "st", "destination=':1.5'", 0L).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.MatchRuleInvalid");
        assertThat(journalCall(client, "Subscribe", "st", "eavesdrop='true'", 0L).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.MatchRuleInvalid");
        assertThat(journalCall(client, "Subscribe", "st", RULE, lastJournaled(client) + 100).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.InvalidArgs");
        assertThat(journalCall(client, "Subscribe", "st", RULE, -1L).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.InvalidArgs");
        assertThat(journalCall(client, "Subscribe", "s", RULE).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.InvalidArgs");
        assertThat(journalCall(client, "Unsubscribe", "t", 12345L).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.InvalidArgs");
        for (int i = 0; i < DurableSubscriptions.MAX_SUBSCRIPTIONS_PER_CONNECTION; i++)
        {
            journalCall(client, "Subscribe", "st", RULE, 0L).orThrow();
        }
        assertThat(journalCall(client, "Subscribe", "st", RULE, 0L).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.LimitsExceeded");
    }

    @Test
    void nodeWithoutJournalAnswersNotSupported() throws IOException
    {
        final Node node = start(false);
        final BusConnection client = connect(node);
        assertThat(journalCall(client, "GetPosition", "").errorName())
            .isEqualTo("org.freedesktop.DBus.Error.NotSupported");
        assertThatThrownBy(() -> DurableSubscription.open(node.clientAddress(), RULE, PositionStore.inMemory(),
            (seq, m) -> { }))
            .isInstanceOf(DBusException.class)
            .extracting(ex -> ((DBusException)ex).errorName())
            .isEqualTo("org.freedesktop.DBus.Error.NotSupported");
    }

    @Test
    void aSubscriberThatDoesNotReadIsPausedNotDroppedNorDisconnected() throws Exception
    {
        final Path config = dir.resolve("bus.conf");
        java.nio.file.Files.writeString(config, String.join("\n",
            "<busconfig>",
            "  <type>session</type>",
            "  <policy context=\"default\">",
            "    <allow send_destination=\"*\" eavesdrop=\"true\"/>",
            "    <allow eavesdrop=\"true\"/>",
            "    <allow own=\"*\"/>",
            "  </policy>",
            "  <limit name=\"max_outgoing_bytes\">1000000</limit>",
            "  <limit name=\"max_message_size\">100000</limit>",
            "</busconfig>"));
        final Node node = Node.launch(new NodeContext()
            .dataDir(dir.resolve("node"))
            .nodeId(1)
            .busConfig(new org.omnibus.bus.policy.BusConfigParser(org.omnibus.bus.policy.UserDatabase.system())
                .parse(config))
            .cluster(ClusterSettings.single(1)));
        closeables.add(node);
        Tests.await(() -> node.group().isPrimary(), WAIT, () -> "primary view");
        final BusConnection publisher = connect(node);
        final int total = 2000;
        final String payload = "x".repeat(2000);
        for (long i = 0; i < total; i++)
        {
            publisher.emitSignal("/feed", FEED, "Tick", "ts", i, payload);
        }
        barrier(publisher);

        // 4 MB of history for a subscriber whose handler does not return: its queue fills, the node pauses it
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final List<Long> values = new CopyOnWriteArrayList<>();
        final BusConnection subscriber = connect(node);
        subscriber.addHandler(m ->
        {
            if (JournalHeader.sequence(m) == JournalHeader.NONE)
            {
                return;
            }
            values.add((Long)Reply.bodyOf(m).get(0));
            try
            {
                release.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        journalCall(subscriber, "Subscribe", "st", RULE, 0L).orThrow();
        final DurableSubscriptions durable = node.durableSubscriptions();
        Tests.await(() -> durable.pausedCycles() > 0, WAIT, () -> "the subscription paused");
        release.countDown();
        Tests.await(() -> values.size() >= total, WAIT, () -> values.size() + " of " + total);
        assertThat(subscriber.isConnected()).isTrue();
        for (int i = 0; i < total; i++)
        {
            assertThat(values.get(i)).as("message %d", i).isEqualTo(i);
        }
    }
}
