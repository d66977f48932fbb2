package org.omnibus.node;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.omnibus.bus.Bus;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.driver.DriverCall;
import org.omnibus.bus.driver.JournalService;
import org.omnibus.bus.match.MatchRule;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.wire.DBusMessageView;
import org.omnibus.codec.FrameCheck;
import org.omnibus.codec.dbus.DBusCodecException;
import org.omnibus.codec.dbus.DBusHeaderEncoder;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusSbeConverter;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.edge.BusEdgeHandler;
import org.omnibus.edge.EdgeAgent;
import org.omnibus.edge.EdgeConnection;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalCorruptionException;
import org.omnibus.persistence.JournalHandler;
import org.omnibus.persistence.JournalTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;

/**
 * Durable subscriptions: the driver's {@code org.omnibus.Journal} interface over the node's journal, run as a
 * part of the node's agent (after the group, so what the group journaled in a cycle goes out in the same cycle).
 * <p>
 * Each subscription owns a {@link JournalTailer} positioned at its start; every duty cycle it reads a bounded
 * batch and sends the signals that match its rule to the subscriber, each with its global sequence in the
 * {@link DBusHeaderField#OMNIBUS_JOURNAL_SEQUENCE} header field (the first field; the subscription id follows in
 * {@link DBusHeaderField#OMNIBUS_JOURNAL_SUBSCRIPTION}). Replay and live delivery are
 * one path: once the tailer reaches the end of the journal it follows new appends, so the handover has no seam,
 * no gap and no duplicate; the last sequence read is tracked per subscription and nothing at or below it is sent
 * again (a tailer re-delivering after a truncation marker). A subscriber whose output queue holds
 * {@link #PAUSE_BACKLOG_BYTES} or more is paused (its tailer is not read) until the socket drains: never dropped,
 * never disconnected for being slow on its durable stream.
 */
final class DurableSubscriptions implements JournalService, Agent, JournalHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(DurableSubscriptions.class);

    /** A subscriber's output queue at or above this many bytes pauses the reading of its subscriptions. */
    static final int PAUSE_BACKLOG_BYTES = 256 * 1024;
    /** Most journal entries read for one subscription in one duty cycle. */
    static final int BATCH_ENTRIES = 256;
    /** Most subscriptions one connection may hold. */
    static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 16;

    /** Thrown from the handler when a subscriber's queue is full: the tailer keeps the entry for the next poll. */
    private static final RuntimeException QUEUE_FULL = new RuntimeException("subscriber queue full", null, false, false)
    {
        private static final long serialVersionUID = 1L;
    };

    private final Bus bus;
    private final Journal journal;
    private final BusEdgeHandler handler;
    private final EdgeAgent edge;
    private final Long2ObjectHashMap<Subscription> byId = new Long2ObjectHashMap<>();
    private final ArrayList<Subscription> subscriptions = new ArrayList<>();
    private final MessageHeaderDecoder sbeHeaderDecoder = new MessageHeaderDecoder();
    private final BusMessageDecoder busMessageDecoder = new BusMessageDecoder();
    private final DBusSbeConverter converter = new DBusSbeConverter();
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final DBusMessageView view = new DBusMessageView();
    private final DBusHeaderEncoder headerEncoder = new DBusHeaderEncoder();
    private final AsciiSequenceView senderView = new AsciiSequenceView();
    private final ExpandableDirectByteBuffer dbusBuffer = new ExpandableDirectByteBuffer(4096);
    private final ExpandableDirectByteBuffer outBuffer = new ExpandableDirectByteBuffer(4096);
    private Subscription current;
    private long nextId = 1;
    /** Times a subscription was skipped in a duty cycle because its subscriber's queue was full (agent writes). */
    private volatile long pausedCycles;

    DurableSubscriptions(final Bus bus, final Journal journal, final BusEdgeHandler handler, final EdgeAgent edge)
    {
        this.bus = bus;
        this.journal = journal;
        this.handler = handler;
        this.edge = edge;
    }

    /**
     * @return subscriptions open now.
     */
    int subscriptionCount()
    {
        return subscriptions.size();
    }

    /**
     * @return how often a subscription was paused for its subscriber's full queue (one per subscription and cycle).
     */
    long pausedCycles()
    {
        return pausedCycles;
    }

    // ---- JournalService (on the bus' thread: the same agent) ----

    @Override
    public void subscribe(final DriverCall call, final MatchRule rule, final long fromSeq)
    {
        final Subscription subscription = open(call, rule);
        if (null == subscription)
        {
            return;
        }
        final long first = journal.firstSequence();
        final long next = nextSequence();
        final JournalTailer tailer = subscription.tailer;
        final long start;
        if (first == Journal.NULL_SEQUENCE || fromSeq > journal.lastSequence())
        {
            if (fromSeq > next)
            {
                abort(subscription);
                call.error(DBusErrors.INVALID_ARGS, "from_seq " + fromSeq +
                    " is beyond the journal's next sequence " + next);
                return;
            }
            tailer.seekToEnd();
            start = Math.max(fromSeq, next);
        }
        else if (fromSeq <= first)
        {
            tailer.seekToStart();
            start = first;
        }
        else
        {
            if (!tailer.seekToSequence(fromSeq))
            {
                // a hole (a restarted member's missing stretch): read from the start, skipping what is before
                tailer.seekToStart();
            }
            start = fromSeq;
        }
        activate(call, subscription, start);
    }

    @Override
    public void subscribeFromTime(final DriverCall call, final MatchRule rule, final long unixTimeNs)
    {
        final Subscription subscription = open(call, rule);
        if (null == subscription)
        {
            return;
        }
        final long at = subscription.tailer.seekToTime(unixTimeNs);
        final long start;
        if (at == Journal.NULL_SEQUENCE)
        {
            subscription.tailer.seekToEnd();
            start = nextSequence();
        }
        else
        {
            start = at;
        }
        activate(call, subscription, start);
    }

    @Override
    public void unsubscribe(final DriverCall call, final long subscriptionId)
    {
        final Subscription subscription = byId.get(subscriptionId);
        if (null == subscription || subscription.peer != call.caller())
        {
            call.error(DBusErrors.INVALID_ARGS, "no subscription " + Long.toUnsignedString(subscriptionId) +
                " on this connection");
            return;
        }
        remove(subscription);
        call.ack();
    }

    @Override
    public void position(final DriverCall call)
    {
        final long first = journal.firstSequence();
        final long last = journal.lastSequence();
        call.reply("tt", Math.max(0, first), Math.max(0, last));
    }

    @Override
    public void onDisconnect(final Peer peer)
    {
        for (int i = subscriptions.size() - 1; i >= 0; i--)
        {
            if (subscriptions.get(i).peer == peer)
            {
                remove(subscriptions.get(i));
            }
        }
    }

    private long nextSequence()
    {
        final long next = journal.nextSequence();
        return next > 0 ? next : Math.max(1, journal.lastSequence() + 1);
    }

    private Subscription open(final DriverCall call, final MatchRule rule)
    {
        final Peer caller = call.caller();
        final EdgeConnection connection = handler.connectionOf(caller);
        if (null == connection)
        {
            call.error(DBusErrors.FAILED, "the caller has no connection on this node");
            return null;
        }
        int count = 0;
        for (int i = 0, size = subscriptions.size(); i < size; i++)
        {
            if (subscriptions.get(i).peer == caller)
            {
                count++;
            }
        }
        if (count >= MAX_SUBSCRIPTIONS_PER_CONNECTION)
        {
            call.error(DBusErrors.LIMITS_EXCEEDED, "connection " + caller.uniqueName() + " already holds " + count +
                " durable subscriptions (at most " + MAX_SUBSCRIPTIONS_PER_CONNECTION + ")");
            return null;
        }
        return new Subscription(nextId++, caller, connection, rule, journal.tailer());
    }

    private void abort(final Subscription subscription)
    {
        subscription.tailer.close();
    }

    private void activate(final DriverCall call, final Subscription subscription, final long startSeq)
    {
        subscription.startSeq = startSeq;
        subscription.lastSeq = startSeq - 1;
        byId.put(subscription.id, subscription);
        subscriptions.add(subscription);
        // the reply is queued (outbox, drained by the edge) before anything the subscription sends
        call.reply("tt", subscription.id, startSeq);
        LOG.debug("durable subscription {} of {} from sequence {}: {}", subscription.id,
            subscription.peer.uniqueName(), startSeq, subscription.rule);
    }

    private void remove(final Subscription subscription)
    {
        byId.remove(subscription.id);
        subscriptions.remove(subscription);
        subscription.tailer.close();
    }

    // ---- Agent ----

    @Override
    public int doWork()
    {
        int work = 0;
        for (int i = subscriptions.size() - 1; i >= 0; i--)
        {
            final Subscription subscription = subscriptions.get(i);
            final EdgeConnection connection = subscription.connection;
            if (connection.isClosed())
            {
                continue;
            }
            if (connection.outboundBacklog() >= PAUSE_BACKLOG_BYTES)
            {
                pausedCycles++;
                continue;
            }
            current = subscription;
            try
            {
                work += subscription.tailer.poll(this, BATCH_ENTRIES);
            }
            catch (final JournalCorruptionException ex)
            {
                LOG.error("durable subscription {} stopped: {}", subscription.id, ex.getMessage());
                edge.close(connection, "the journal is damaged at the subscription's position: " + ex.getMessage());
                work++;
            }
            catch (final RuntimeException ex)
            {
                if (ex != QUEUE_FULL)
                {
                    throw ex;
                }
                pausedCycles++;
                work++;
            }
            finally
            {
                current = null;
            }
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "omnibus-durable";
    }

    @Override
    public void onClose()
    {
        for (final Subscription subscription : subscriptions)
        {
            subscription.tailer.close();
        }
        subscriptions.clear();
        byId.clear();
    }

    // ---- JournalHandler (inside poll, for `current`) ----

    @Override
    public void onMessage(
        final long globalSeq,
        final long viewId,
        final int originNode,
        final long originSeq,
        final long timestampNs,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final Subscription subscription = current;
        if (globalSeq <= subscription.lastSeq)
        {
            return;
        }
        if (deliver(subscription, globalSeq, buffer, offset, length))
        {
            subscription.delivered++;
        }
        subscription.lastSeq = globalSeq;
    }

    @Override
    public void onTruncation(final long nextSeq)
    {
        final Subscription subscription = current;
        if (nextSeq != Journal.NULL_SEQUENCE && subscription.lastSeq >= nextSeq)
        {
            LOG.warn("durable subscription {}: messages from sequence {} it already sent were superseded",
                subscription.id, nextSeq);
            subscription.lastSeq = Math.max(subscription.startSeq, nextSeq) - 1;
        }
    }

    /**
     * @return true when sent; false when the entry is not for this subscriber; throws {@link #QUEUE_FULL} when
     * the subscriber's queue has no room (the entry stays unconsumed).
     */
    private boolean deliver(
        final Subscription subscription, final long seq, final DirectBuffer buffer, final int offset, final int length)
    {
        if (FrameCheck.check(buffer, offset, length, BusMessageDecoder.SCHEMA_ID, BusMessageDecoder.SCHEMA_VERSION) !=
            FrameCheck.OK)
        {
            return false;
        }
        sbeHeaderDecoder.wrap(buffer, offset);
        if (sbeHeaderDecoder.templateId() != BusMessageDecoder.TEMPLATE_ID)
        {
            return false;
        }
        busMessageDecoder.wrapAndApplyHeader(buffer, offset, sbeHeaderDecoder);
        final int dbusLength;
        try
        {
            dbusLength = DBusSbeConverter.dbusLength(busMessageDecoder);
            dbusBuffer.checkLimit(dbusLength);
            converter.toDBus(busMessageDecoder, dbusBuffer, 0);
            message.wrapHeader(dbusBuffer, 0, dbusLength);
        }
        catch (final DBusCodecException ex)
        {
            LOG.debug("journaled message {} cannot be converted: {}", seq, ex.getMessage());
            return false;
        }
        final long senderId = PeerIds.parse(message.fieldView(DBusHeaderField.SENDER, senderView));
        view.wrap(message);
        if (senderId == PeerIds.NONE || !bus.acceptsDurable(subscription.peer, subscription.rule, senderId, view))
        {
            return false;
        }
        final int headerLength = headerEncoder
            .wrap(outBuffer, 0, message.endianness())
            .type(message.type())
            .flags(message.flags())
            .serial(message.serial())
            .bodyLength(message.bodyLength())
            .uint64Field(DBusHeaderField.OMNIBUS_JOURNAL_SEQUENCE, seq)
            .uint64Field(DBusHeaderField.OMNIBUS_JOURNAL_SUBSCRIPTION, subscription.id)
            .copyFields(message, 0)
            .finish();
        final int total = headerLength + message.bodyLength();
        outBuffer.checkLimit(total);
        outBuffer.putBytes(headerLength, dbusBuffer, message.bodyOffset(), message.bodyLength());
        final EdgeConnection connection = subscription.connection;
        if (connection.send(outBuffer, 0, total))
        {
            edge.markDirty(connection);
            return true;
        }
        if (connection.isClosed())
        {
            return false;
        }
        throw QUEUE_FULL;
    }

    /**
     * One durable subscription: its subscriber, rule, tailer and position.
     */
    private static final class Subscription
    {
        final long id;
        final Peer peer;
        final EdgeConnection connection;
        final MatchRule rule;
        final JournalTailer tailer;
        long startSeq;
        /** The last sequence read for this subscription (sent or not for it). */
        long lastSeq;
        long delivered;

        Subscription(
            final long id, final Peer peer, final EdgeConnection connection, final MatchRule rule,
            final JournalTailer tailer)
        {
            this.id = id;
            this.peer = peer;
            this.connection = connection;
            this.rule = rule;
            this.tailer = tailer;
        }
    }
}
