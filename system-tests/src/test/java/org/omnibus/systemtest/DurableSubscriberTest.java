package org.omnibus.systemtest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.api.BusConnection;
import org.omnibus.api.DurableHandler;
import org.omnibus.api.DurableSubscription;
import org.omnibus.api.PositionStore;
import org.omnibus.api.Reply;
import org.omnibus.test.Tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A durable subscriber against {@code omnibus start} in its own process (a one-node cluster with its journal): a
 * publisher emits a steady stream of numbered broadcast signals; the subscriber reads some, its socket is closed
 * mid-stream while traffic continues, it reconnects and resumes; later its process "restarts" (a new subscription
 * from the position file). What it handed to its handlers, across the three connections, is exactly the published
 * stream: no gap, no duplicate, in order.
 */
@Timeout(180)
class DurableSubscriberTest
{
    private static final String FEED = "com.example.Feed";
    private static final String RULE = "type='signal',interface='" + FEED + "',member='Tick'";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TOTAL = 6000;

    @TempDir
    Path dir;

    private Process node;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception
    {
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
        if (node != null)
        {
            node.destroy();
            if (!node.waitFor(20, TimeUnit.SECONDS))
            {
                node.destroyForcibly();
            }
        }
    }

    private String startNode() throws Exception
    {
        final List<String> command = ProcessBus.omnibusCommand();
        command.add("start");
        command.add("--data-dir=" + dir.resolve("data"));
        command.add("--print-address=1");
        node = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectError(ProcessBuilder.Redirect.to(dir.resolve("node.log").toFile()))
            .start();
        final CompletableFuture<String> address = new CompletableFuture<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    final int at = line.indexOf("unix:");
                    if (at >= 0)
                    {
                        address.complete(line.substring(at).trim());
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the node has gone
            }
            address.complete(null);
        }, "node-stdout");
        reader.setDaemon(true);
        reader.start();
        final String text = address.get(90, TimeUnit.SECONDS);
        assertThat(text).as("the node's address (log: %s)", dir.resolve("node.log")).isNotNull();
        return text;
    }

    @Test
    void resumesAcrossDisconnectsAndRestartsWithNoGapAndNoDuplicate() throws Exception
    {
        final String address = startNode();
        final BusConnection publisher = BusConnection.connect(address);
        closeables.add(publisher);
        final AtomicLong published = new AtomicLong();
        final AtomicReference<Throwable> publisherFailure = new AtomicReference<>();
        final Thread emitter = new Thread(() ->
        {
            try
            {
                for (long i = 0; i < TOTAL; i++)
                {
                    publisher.emitSignal("/feed", FEED, "Tick", "ts", i, "payload " + i);
                    published.set(i + 1);
                }
            }
            catch (final Throwable ex)
            {
                publisherFailure.set(ex);
            }
        }, "publisher");

        final Path position = dir.resolve("subscriber.position");
        final List<Long> values = new CopyOnWriteArrayList<>();
        final List<Long> sequences = new CopyOnWriteArrayList<>();
        final List<String> wrongPayloads = new CopyOnWriteArrayList<>();
        final DurableHandler handler = (seq, message) ->
        {
            final List<Object> body = Reply.bodyOf(message);
            sequences.add(seq);
            values.add((Long)body.get(0));
            if (!("payload " + body.get(0)).equals(body.get(1)))
            {
                wrongPayloads.add(body.toString());
            }
        };
        final PositionStore.FilePositionStore firstStore = PositionStore.file(position);
        closeables.add(firstStore);
        final DurableSubscription first = DurableSubscription.open(address, RULE, firstStore, handler);
        closeables.add(0, first);
        emitter.start();
        try
        {
            // 1. the socket closes mid-stream; traffic goes on; the same subscription reconnects
            Tests.await(() -> values.size() >= 1000, WAIT, () -> values.size() + " received");
            first.connection().close();
            awaitPublisherAhead(published, 1000);
            first.reconnect();

            // 2. the subscriber process ends; a new one resumes from the position file
            Tests.await(() -> values.size() >= 3000, WAIT, () -> values.size() + " received");
            first.close();
            final int atRestart = values.size();
            try (PositionStore.FilePositionStore check = PositionStore.file(position))
            {
                assertThat(check.load()).isEqualTo(sequences.get(atRestart - 1));
            }
            awaitPublisherAhead(published, 1000);
            final PositionStore.FilePositionStore secondStore = PositionStore.file(position);
            closeables.add(secondStore);
            final DurableSubscription second = DurableSubscription.open(address, RULE, secondStore, handler);
            closeables.add(0, second);
            assertThat(second.historyLost()).isZero();

            Tests.await(() -> values.size() >= TOTAL || publisherFailure.get() != null, WAIT,
                () -> values.size() + " of " + TOTAL);
        }
        finally
        {
            emitter.join(WAIT.toMillis());
        }
        assertThat(publisherFailure.get()).isNull();
        assertThat(wrongPayloads).isEmpty();
        assertThat(values).hasSize(TOTAL);
        for (int i = 0; i < TOTAL; i++)
        {
            assertThat(values.get(i)).as("message %d", i).isEqualTo(i);
        }
        for (int i = 1; i < TOTAL; i++)
        {
            assertThat(sequences.get(i)).as("sequence %d", i).isGreaterThan(sequences.get(i - 1));
        }
    }

    private static void awaitPublisherAhead(final AtomicLong published, final long messages)
    {
        final long target = Math.min(TOTAL, published.get() + messages);
        Tests.await(() -> published.get() >= target, WAIT, () -> "publisher at " + published.get());
    }
}
