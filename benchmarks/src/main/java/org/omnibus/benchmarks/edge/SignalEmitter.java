package org.omnibus.benchmarks.edge;

import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Broadcasts Tick signals ({@code ay} body of a fixed length) as fast as the bus delivers them, flow-controlled by
 * acknowledgement: a Tick goes out only while fewer than {@code window} Ticks are unacknowledged by the slowest
 * subscriber, so no bus ever queues more than {@code window} signals per subscriber and no quota or buffer limit is
 * reached (nobody is disconnected). Subscribers acknowledge every {@code ackEvery} Ticks; the window must be at least
 * twice that.
 * <p>
 * Delivered throughput per subscriber is the growth of its acknowledged count over the measured period, which starts
 * after a warm-up period. After the measured period a Stop signal asks every subscriber for its final count, which
 * must equal the Ticks sent (nothing lost).
 */
public final class SignalEmitter implements AutoCloseable
{
    /** An emitter that waits this long for the window to open gives up: the bus lost or stalled something. */
    public static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final BusConnection connection;
    private final int subscribers;
    private final int window;
    private final MessageTemplate tick;
    private final MessageTemplate stop;
    private final AtomicLongArray acked;
    private final AtomicLongArray done;
    private final AtomicReference<Throwable> readerFailure = new AtomicReference<>();
    private volatile Thread sender;

    /**
     * The result of one run.
     *
     * @param sent       Ticks sent in all (warm-up included).
     * @param delivered  per subscriber, Ticks acknowledged during the measured period.
     * @param measuredNs length of the measured period.
     * @param complete   whether every subscriber received every Tick sent.
     * @param finalCount per subscriber, the count it reported after Stop (-1 if it did not report).
     */
    public record Result(long sent, long[] delivered, long measuredNs, boolean complete, long[] finalCount)
    {
        /**
         * @param subscriber an index.
         * @return its delivered Ticks per second over the measured period.
         */
        public double rate(final int subscriber)
        {
            return delivered[subscriber] * 1e9 / measuredNs;
        }

        /**
         * @return Ticks per second delivered to all subscribers together.
         */
        public double totalRate()
        {
            return Arrays.stream(delivered).sum() * 1e9 / measuredNs;
        }
    }

    /**
     * Connect and own the emitter name.
     *
     * @param address     the bus address.
     * @param bodyLength  Tick body length in bytes.
     * @param subscribers how many subscribers will register.
     * @param window      most Ticks unacknowledged by any subscriber.
     * @param timeoutMs   bound on connecting.
     * @throws IOException if the bus refuses.
     */
    public SignalEmitter(
        final String address, final int bodyLength, final int subscribers, final int window, final long timeoutMs)
        throws IOException
    {
        this.subscribers = subscribers;
        this.window = window;
        connection = BusConnection.open(address, timeoutMs);
        connection.requestName(BenchNames.EMITTER_NAME);
        tick = new MessageTemplate(DBusMessageBuilder.signal(
            BenchNames.EMITTER_PATH, BenchNames.SIGNAL_INTERFACE, BenchNames.TICK_MEMBER)
            .rawBody("ay", MessageTemplate.byteArrayBody(bodyLength)));
        stop = new MessageTemplate(DBusMessageBuilder.signal(
            BenchNames.EMITTER_PATH, BenchNames.SIGNAL_INTERFACE, BenchNames.STOP_MEMBER).body("t", 0L));
        acked = new AtomicLongArray(subscribers);
        done = new AtomicLongArray(subscribers);
        for (int i = 0; i < subscribers; i++)
        {
            acked.set(i, -1);
            done.set(i, -1);
        }
        final Thread reader = new Thread(this::readAcks, "emitter-ack-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Wait for every subscriber's registration, warm up, measure, then stop the subscribers and collect their counts.
     *
     * @param registrationTimeoutNs bound on waiting for the subscribers.
     * @param warmupNs              how long to send before measuring.
     * @param measureNs             how long to measure.
     * @param progress              told "MEASURE_START" and "MEASURE_END".
     * @return the result.
     * @throws IOException on a socket error, a stall, or if a subscriber does not register in time.
     */
    public Result run(
        final long registrationTimeoutNs, final long warmupNs, final long measureNs, final Consumer<String> progress)
        throws IOException
    {
        sender = Thread.currentThread();
        awaitAll(acked, 0, registrationTimeoutNs, "subscribers did not register");

        long sent = sendFor(warmupNs, 0);
        final long[] ackedAtStart = snapshot();
        progress.accept("MEASURE_START");
        final long start = System.nanoTime();
        sent = sendFor(measureNs, sent);
        final long end = System.nanoTime();
        final long[] ackedAtEnd = snapshot();
        progress.accept("MEASURE_END");

        stop.putBodyLong(0, sent);
        connection.send(stop);
        final long[] delivered = new long[subscribers];
        for (int i = 0; i < subscribers; i++)
        {
            delivered[i] = ackedAtEnd[i] - ackedAtStart[i];
        }
        boolean complete = true;
        try
        {
            awaitAll(done, 0, STALL_TIMEOUT_NS, "subscribers did not report after Stop");
        }
        catch (final IOException ex)
        {
            complete = false;
        }
        final long[] finalCount = snapshot(done);
        for (final long count : finalCount)
        {
            complete &= count == sent;
        }
        return new Result(sent, delivered, end - start, complete, finalCount);
    }

    /**
     * Close the connection.
     */
    public void close()
    {
        connection.close();
    }

    private long sendFor(final long durationNs, final long alreadySent) throws IOException
    {
        long sent = alreadySent;
        final long end = System.nanoTime() + durationNs;
        long minAcked = minAcked();
        int sinceClock = 0;
        while (true)
        {
            if (++sinceClock == 64)
            {
                sinceClock = 0;
                if (System.nanoTime() >= end)
                {
                    return sent;
                }
            }
            if (sent - minAcked >= window)
            {
                minAcked = awaitWindow(sent);
                if (System.nanoTime() >= end)
                {
                    return sent;
                }
            }
            connection.send(tick);
            sent++;
            if ((sent & 15) == 0)
            {
                minAcked = minAcked();
            }
        }
    }

    private long awaitWindow(final long sent) throws IOException
    {
        final long deadline = System.nanoTime() + STALL_TIMEOUT_NS;
        long minAcked;
        while (sent - (minAcked = minAcked()) >= window)
        {
            checkReader();
            if (System.nanoTime() > deadline)
            {
                throw new IOException("stalled: " + sent + " sent, acknowledged " + Arrays.toString(snapshot()));
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
        return minAcked;
    }

    private long minAcked()
    {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < subscribers; i++)
        {
            min = Math.min(min, acked.get(i));
        }
        return min;
    }

    private long[] snapshot()
    {
        return snapshot(acked);
    }

    private static long[] snapshot(final AtomicLongArray array)
    {
        final long[] copy = new long[array.length()];
        for (int i = 0; i < copy.length; i++)
        {
            copy[i] = array.get(i);
        }
        return copy;
    }

    private void awaitAll(final AtomicLongArray counts, final long atLeast, final long timeoutNs, final String what)
        throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (true)
        {
            checkReader();
            boolean all = true;
            for (int i = 0; i < counts.length(); i++)
            {
                all &= counts.get(i) >= atLeast;
            }
            if (all)
            {
                return;
            }
            if (System.nanoTime() > deadline)
            {
                throw new IOException(what + ": " + Arrays.toString(snapshot(counts)));
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private void checkReader() throws IOException
    {
        final Throwable failure = readerFailure.get();
        if (failure != null)
        {
            throw new IOException("acknowledgement reader failed", failure);
        }
    }

    private void readAcks()
    {
        try
        {
            while (true)
            {
                final DBusMessageFlyweight message = connection.receive();
                if (message.type() != DBusProtocol.TYPE_METHOD_CALL)
                {
                    continue;
                }
                final boolean isAck = message.fieldEquals(DBusHeaderField.MEMBER, BenchNames.ACK_MEMBER);
                if (!isAck && !message.fieldEquals(DBusHeaderField.MEMBER, BenchNames.DONE_MEMBER))
                {
                    continue;
                }
                final int index = message.buffer().getInt(message.bodyOffset(), message.byteOrder());
                final long count = message.buffer().getLong(message.bodyOffset() + 8, message.byteOrder());
                if (index < 0 || index >= subscribers)
                {
                    continue;
                }
                (isAck ? acked : done).set(index, count);
                final Thread waiting = sender;
                if (waiting != null)
                {
                    LockSupport.unpark(waiting);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            readerFailure.set(ex);
        }
    }
}
