package org.omnibus.bus;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

import org.omnibus.bus.peer.Peer;

/**
 * The queue of messages the bus generated, in the order their recipients must see them. The edge drains it
 * after each call into the bus ({@link Bus#route}, {@link Bus#disconnect}, {@link Bus#poll}).
 */
public final class Outbox
{
    private final ArrayDeque<BusOutput> queue = new ArrayDeque<>();

    /**
     * @param message    a generated message.
     * @param recipients its local recipients; nothing is queued when empty.
     */
    public void add(final SimpleMessage message, final List<Peer> recipients)
    {
        if (!recipients.isEmpty())
        {
            queue.add(new BusOutput(message, List.copyOf(recipients)));
        }
    }

    /**
     * @param message   a generated message.
     * @param recipient its only recipient.
     */
    public void add(final SimpleMessage message, final Peer recipient)
    {
        queue.add(new BusOutput(message, List.of(recipient)));
    }

    /**
     * @return the next output or null.
     */
    public BusOutput poll()
    {
        return queue.poll();
    }

    /**
     * @param consumer receives every queued output in order.
     * @return how many were drained.
     */
    public int drain(final Consumer<BusOutput> consumer)
    {
        int n = 0;
        BusOutput output;
        while (null != (output = queue.poll()))
        {
            consumer.accept(output);
            n++;
        }
        return n;
    }

    /**
     * @return number of queued outputs.
     */
    public int size()
    {
        return queue.size();
    }

    /**
     * @return true when nothing is queued.
     */
    public boolean isEmpty()
    {
        return queue.isEmpty();
    }
}
