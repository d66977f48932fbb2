package org.omnibus.benchmarks.edge;

import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;

import java.io.IOException;

/**
 * Subscribes to the emitter's signals with one AddMatch ({@link BenchNames#SUBSCRIBER_MATCH_RULE}), counts every Tick
 * and acknowledges every {@code ackEvery}-th with an Ack call (no reply expected) to the emitter, which windows its
 * sending by the slowest subscriber's acknowledgements. On Stop it sends Done with its final count and returns.
 * Registration is an Ack with count 0, sent once the match rule is in place.
 */
public final class SignalSubscriber implements AutoCloseable
{
    private final BusConnection connection;
    private final int index;
    private final int ackEvery;
    private final MessageTemplate ack;
    private final MessageTemplate done;

    /**
     * @param address   the bus address.
     * @param index     this subscriber's index (0..n-1), carried in its acknowledgements.
     * @param ackEvery  acknowledge every this many signals.
     * @param timeoutMs bound on connecting.
     * @throws IOException if the bus refuses.
     */
    public SignalSubscriber(final String address, final int index, final int ackEvery, final long timeoutMs)
        throws IOException
    {
        this.index = index;
        this.ackEvery = ackEvery;
        connection = BusConnection.open(address, timeoutMs);
        connection.addMatch(BenchNames.SUBSCRIBER_MATCH_RULE);
        ack = ackTemplate(BenchNames.ACK_MEMBER, index);
        done = ackTemplate(BenchNames.DONE_MEMBER, index);
    }

    /**
     * Register with the emitter, then count signals until Stop.
     *
     * @return Ticks received in all.
     * @throws IOException on a socket error or if the bus goes away.
     */
    public long run() throws IOException
    {
        ack.putBodyLong(8, 0);
        connection.send(ack);
        long received = 0;
        while (true)
        {
            final DBusMessageFlyweight message = connection.receive();
            if (message.type() != DBusProtocol.TYPE_SIGNAL)
            {
                continue;
            }
            if (message.fieldEquals(DBusHeaderField.MEMBER, BenchNames.TICK_MEMBER))
            {
                if (++received % ackEvery == 0)
                {
                    ack.putBodyLong(8, received);
                    connection.send(ack);
                }
            }
            else if (message.fieldEquals(DBusHeaderField.MEMBER, BenchNames.STOP_MEMBER))
            {
                done.putBodyLong(8, received);
                connection.send(done);
                return received;
            }
        }
    }

    /**
     * Close the connection.
     */
    public void close()
    {
        connection.close();
    }

    /**
     * @return this subscriber's index.
     */
    public int index()
    {
        return index;
    }

    static MessageTemplate ackTemplate(final String member, final int index)
    {
        final MessageTemplate template = new MessageTemplate(DBusMessageBuilder.methodCall(
            BenchNames.EMITTER_NAME, BenchNames.EMITTER_PATH, BenchNames.EMITTER_INTERFACE, member)
            .flags(DBusProtocol.FLAG_NO_REPLY_EXPECTED)
            .body("ut", (long)index, 0L));
        template.putBodyInt(0, index);
        return template;
    }
}
