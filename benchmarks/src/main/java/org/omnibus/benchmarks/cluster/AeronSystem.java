package org.omnibus.benchmarks.cluster;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.status.SystemCounterDescriptor;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The floor: raw Aeron multicast without ordering. Each member has an embedded media driver (SHARED, backoff idle),
 * one exclusive publication and one subscription on the same channel as Omnibus uses (mtu 1344, term 4 MiB,
 * {@code fc=min,t:500ms}), and a receiver thread polling it; every member receives every member's messages (its
 * own included, as with Omnibus).
 */
final class AeronSystem implements BenchSystem
{
    private static final int STREAM_ID = 4242;
    private final LatencyRecorder latency = new LatencyRecorder();
    private MediaDriver[] drivers;
    private Aeron[] clients;
    private ExclusivePublication[] publications;
    private Subscription[] subscriptions;
    private Thread[] receivers;
    private UnsafeBuffer[] payloads;
    private AtomicLongArray delivered;
    private volatile boolean running = true;
    private String channel;

    public void start(final Path dir, final int members) throws Exception
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        channel = "aeron:udp?endpoint=224.0.1." + (2 * random.nextInt(1, 125) + 1) + ":" +
            random.nextInt(20_000, 60_000) + "|interface=127.0.0.1|ttl=0|mtu=1344|term-length=4m|fc=min,t:500ms";
        drivers = new MediaDriver[members];
        clients = new Aeron[members];
        publications = new ExclusivePublication[members];
        subscriptions = new Subscription[members];
        receivers = new Thread[members];
        payloads = new UnsafeBuffer[members];
        delivered = new AtomicLongArray(members);
        for (int i = 0; i < members; i++)
        {
            final String aeronDir = dir.resolve("aeron-" + i).toString();
            drivers[i] = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(10, 5, 1_000, 1_000_000))
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            clients[i] = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            subscriptions[i] = clients[i].addSubscription(channel, STREAM_ID);
            publications[i] = clients[i].addExclusivePublication(channel, STREAM_ID);
            payloads[i] = new UnsafeBuffer(new byte[64 * 1024]);
        }
        for (int i = 0; i < members; i++)
        {
            final int member = i;
            receivers[i] = new Thread(() -> receive(member), "aeron-receiver-" + i);
            receivers[i].start();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!connected(members))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("Aeron multicast did not connect");
            }
            Thread.sleep(10);
        }
    }

    private boolean connected(final int members)
    {
        for (int i = 0; i < members; i++)
        {
            if (!publications[i].isConnected() || subscriptions[i].imageCount() < members)
            {
                return false;
            }
        }
        return true;
    }

    private void receive(final int member)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 5, 1_000, 1_000_000);
        final Subscription subscription = subscriptions[member];
        while (running)
        {
            final int fragments = subscription.poll((buffer, offset, length, header) ->
            {
                latency.record(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), System.nanoTime());
                delivered.lazySet(member, delivered.get(member) + 1);
            }, 256);
            idle.idle(fragments);
        }
    }

    public boolean send(final int member, final int payload)
    {
        final UnsafeBuffer buffer = payloads[member];
        buffer.putLong(0, System.nanoTime(), ByteOrder.LITTLE_ENDIAN);
        final long result = publications[member].offer(buffer, 0, payload);
        if (result > 0)
        {
            return true;
        }
        if (result == ExclusivePublication.BACK_PRESSURED || result == ExclusivePublication.ADMIN_ACTION ||
            result == ExclusivePublication.NOT_CONNECTED)
        {
            return false;
        }
        throw new IllegalStateException("offer failed: " + result);
    }

    public long delivered(final int member)
    {
        return delivered.get(member);
    }

    public void resetLatency()
    {
        latency.reset();
    }

    public Histogram latency()
    {
        return latency.interval();
    }

    public String describe()
    {
        return "raw Aeron 1.51.0 multicast (no ordering): 3 members in one JVM, each an embedded media driver " +
            "(SHARED, backoff idle), an exclusive publication and a subscription polled by its own thread; " + channel;
    }

    public long retransmitRequests()
    {
        return 0;
    }

    public String stats()
    {
        long naks = 0;
        long loss = 0;
        for (final Aeron client : clients)
        {
            naks += client.countersReader().getCounterValue(SystemCounterDescriptor.NAK_MESSAGES_SENT.id());
            loss += client.countersReader().getCounterValue(SystemCounterDescriptor.LOSS_GAP_FILLS.id());
        }
        return "driver NAKs sent=" + naks + " loss gap fills=" + loss;
    }

    public void close() throws InterruptedException
    {
        running = false;
        if (receivers != null)
        {
            for (final Thread receiver : receivers)
            {
                if (receiver != null)
                {
                    receiver.join();
                }
            }
        }
        for (int i = 0; clients != null && i < clients.length; i++)
        {
            CloseHelper.quietCloseAll(publications[i], subscriptions[i], clients[i], drivers[i]);
        }
    }
}
