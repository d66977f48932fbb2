package org.omnibus.benchmarks.edge;

import org.HdrHistogram.Histogram;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Method-call round trips through the bus to the {@link EchoService}: one call outstanding at a time (closed loop),
 * to the echo service's well-known name, with an {@code ay} body of a fixed length. Each round trip (write of the
 * call until its METHOD_RETURN is read) goes into an HdrHistogram in nanoseconds after a warm-up period, whose calls
 * warm up the client's JIT, the bus and the echo service and are not recorded.
 */
public final class CallLatency implements AutoCloseable
{
    /** Longest round trip the histogram records. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);

    private final BusConnection connection;
    private final MessageTemplate echoCall;
    private final MessageTemplate quitCall;
    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);

    /**
     * @param address    the bus address.
     * @param bodyLength the call's body length in bytes (the reply's is the same).
     * @param timeoutMs  bound on connecting.
     * @throws IOException if the bus refuses.
     */
    public CallLatency(final String address, final int bodyLength, final long timeoutMs) throws IOException
    {
        connection = BusConnection.open(address, timeoutMs);
        echoCall = new MessageTemplate(DBusMessageBuilder.methodCall(
            BenchNames.ECHO_NAME, BenchNames.ECHO_PATH, BenchNames.ECHO_INTERFACE, BenchNames.ECHO_MEMBER)
            .rawBody("ay", MessageTemplate.byteArrayBody(bodyLength)));
        quitCall = new MessageTemplate(DBusMessageBuilder.methodCall(
            BenchNames.ECHO_NAME, BenchNames.ECHO_PATH, BenchNames.ECHO_INTERFACE, BenchNames.QUIT_MEMBER));
    }

    /**
     * Warm up, measure, then ask the echo service to quit.
     *
     * @param warmupNs  how long to call without recording.
     * @param measureNs how long to call and record.
     * @param progress  told "MEASURE_START" and "MEASURE_END" as the measured period begins and ends.
     * @return the histogram of recorded round trips in nanoseconds.
     * @throws IOException on a socket error, an ERROR reply or if the bus goes away.
     */
    public Histogram run(final long warmupNs, final long measureNs, final Consumer<String> progress) throws IOException
    {
        final long warmupEnd = System.nanoTime() + warmupNs;
        while (System.nanoTime() < warmupEnd)
        {
            roundTrip(echoCall);
        }
        histogram.reset();
        progress.accept("MEASURE_START");
        final long start = System.nanoTime();
        final long end = start + measureNs;
        long now = start;
        while (now < end)
        {
            final long before = now;
            roundTrip(echoCall);
            now = System.nanoTime();
            histogram.recordValue(Math.min(now - before, HIGHEST_TRACKABLE_NS));
        }
        progress.accept("MEASURE_END");
        roundTrip(quitCall);
        return histogram;
    }

    /**
     * Close the connection.
     */
    public void close()
    {
        connection.close();
    }

    private void roundTrip(final MessageTemplate call) throws IOException
    {
        final long serial = connection.send(call);
        while (true)
        {
            final DBusMessageFlyweight reply = connection.receive();
            if (reply.replySerial() == serial)
            {
                if (reply.type() == DBusProtocol.TYPE_METHOD_RETURN)
                {
                    return;
                }
                if (reply.type() == DBusProtocol.TYPE_ERROR)
                {
                    throw new IOException("echo call failed: " + reply.errorName());
                }
            }
        }
    }
}
