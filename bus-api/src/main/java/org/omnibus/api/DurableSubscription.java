package org.omnibus.api;

import org.omnibus.codec.dbus.DBusMessageFlyweight;

import java.io.IOException;

/**
 * A durable subscription: the broadcast signals matching a rule, read from an Omnibus node's journal from a stored
 * position on, then live, each handed to the handler exactly once in global-sequence order with its sequence.
 * After a disconnect, {@link #reconnect()} resumes from the last sequence handled + 1, so what the handler sees
 * across connections has no gap and no duplicate (as long as the journal still holds that position: see
 * {@link #historyLost()}).
 * <p>
 * Uses a connection of its own ({@code org.omnibus.Journal.Subscribe} on the bus driver). The handler runs on
 * the connection's reader thread; the position is stored after each message it handled.
 * <pre>{@code
 * DurableSubscription feed = DurableSubscription.open(address, "type='signal',interface='com.example.Feed'",
 *     PositionStore.file(Path.of("feed.position")), (seq, m) -> System.out.println(seq + " " + m.member()));
 * feed.addDisconnectListener(() -> ...);   // e.g. schedule feed.reconnect()
 * }</pre>
 */
public final class DurableSubscription implements AutoCloseable
{
    /** The driver interface serving durable subscriptions. */
    public static final String JOURNAL_INTERFACE = "org.omnibus.Journal";

    private final String address;
    private final String matchRule;
    private final PositionStore store;
    private final DurableHandler handler;
    private final Object lock = new Object();
    private volatile BusConnection connection;
    private volatile long subscriptionId = JournalHeader.NONE;
    private volatile long lastSequence;
    private volatile long historyLost;
    private volatile Runnable disconnectListener;
    private volatile boolean closed;

    private DurableSubscription(
        final String address, final String matchRule, final PositionStore store, final DurableHandler handler)
    {
        this.address = address;
        this.matchRule = matchRule;
        this.store = store;
        this.handler = handler;
        this.lastSequence = store.load();
    }

    /**
     * Connect and subscribe from the stored position + 1 (from the oldest message the journal holds when the
     * store holds nothing).
     *
     * @param address   the bus address (as {@link BusConnection#connect}).
     * @param matchRule a match rule for broadcast signals (dbus-daemon's syntax; no destination, no eavesdrop).
     * @param store     where the position is kept.
     * @param handler   receives the messages.
     * @return the running subscription.
     * @throws IOException when the connection or the subscription fails ({@link DBusException} with the bus'
     *                     error, e.g. NotSupported from a bus without journal, MatchRuleInvalid).
     */
    public static DurableSubscription open(
        final String address, final String matchRule, final PositionStore store, final DurableHandler handler)
        throws IOException
    {
        final DurableSubscription subscription = new DurableSubscription(address, matchRule, store, handler);
        subscription.reconnect();
        return subscription;
    }

    /**
     * @param listener runs when the subscription's connection closes other than by {@link #close()} (on the
     *                 reader thread; do not call {@link #reconnect()} from it directly, it would wait on itself).
     */
    public void onDisconnect(final Runnable listener)
    {
        this.disconnectListener = listener;
    }

    /**
     * Open a new connection (closing the current one, waiting for it to finish handing over its last message)
     * and subscribe from the last sequence handled + 1.
     *
     * @return the first sequence the bus will deliver (greater than asked when the journal no longer holds the
     * position: see {@link #historyLost()}).
     * @throws IOException when the connection or the subscription fails.
     */
    public long reconnect() throws IOException
    {
        synchronized (lock)
        {
            if (closed)
            {
                throw new IOException("subscription closed");
            }
            final BusConnection previous = connection;
            if (previous != null)
            {
                previous.close();
            }
            final BusConnection next = BusConnection.connect(address);
            try
            {
                next.addHandler(this::onMessage);
                next.addCloseListener(() -> onClosed(next));
                final long from = lastSequence + 1;
                subscriptionId = JournalHeader.NONE;
                connection = next;
                final Reply reply = next.call(BusConnection.DRIVER_NAME, BusConnection.DRIVER_PATH,
                    JOURNAL_INTERFACE, "Subscribe", "st", matchRule, from).orThrow();
                subscriptionId = reply.longArg(0);
                final long start = reply.longArg(1);
                if (start > from && lastSequence != PositionStore.NOTHING)
                {
                    historyLost += start - from;
                }
                return start;
            }
            catch (final IOException | RuntimeException ex)
            {
                next.close();
                throw ex;
            }
        }
    }

    private void onMessage(final DBusMessageFlyweight message)
    {
        final long sequence = JournalHeader.sequence(message);
        if (sequence == JournalHeader.NONE || sequence <= lastSequence)
        {
            return;
        }
        final long id = JournalHeader.subscription(message);
        if (id != subscriptionId && subscriptionId != JournalHeader.NONE)
        {
            return;
        }
        handler.onMessage(sequence, message);
        lastSequence = sequence;
        store.store(sequence);
    }

    private void onClosed(final BusConnection which)
    {
        final Runnable listener = disconnectListener;
        if (!closed && which == connection && listener != null)
        {
            listener.run();
        }
    }

    /**
     * @return the last sequence handed to the handler (or loaded from the store), {@link PositionStore#NOTHING}
     * if none.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return sequences between a resumed position and the first the journal still held (retention deleted them),
     * summed over reconnects; 0 when nothing was lost. They may have held no matching message.
     */
    public long historyLost()
    {
        return historyLost;
    }

    /**
     * @return true while the current connection is open.
     */
    public boolean isConnected()
    {
        final BusConnection current = connection;
        return current != null && current.isConnected();
    }

    /**
     * @return the current connection (e.g. to close it in a test), or null.
     */
    public BusConnection connection()
    {
        return connection;
    }

    /**
     * Close the connection; the position stays in the store. Idempotent.
     */
    @Override
    public void close()
    {
        closed = true;
        final BusConnection current = connection;
        if (current != null)
        {
            current.close();
        }
    }
}
