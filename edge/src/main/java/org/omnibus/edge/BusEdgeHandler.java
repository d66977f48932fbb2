package org.omnibus.edge;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.omnibus.bus.Bus;
import org.omnibus.bus.BusOutput;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.router.RecipientList;
import org.omnibus.bus.router.RoutingDecision;
import org.omnibus.bus.wire.BusOutputEncoder;
import org.omnibus.bus.wire.DBusMessageView;
import org.omnibus.codec.dbus.DBusCodecException;
import org.omnibus.codec.dbus.DBusHeaderEncoder;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The edge's bus layer on one node: validates each message with the D-Bus codec, lets bus-core route it, and
 * forwards it to local recipients with a rebuilt header (the sender field stitched in) in front of the
 * original body bytes, which are never re-marshalled. Messages the bus itself sends (driver replies,
 * NameOwnerChanged, errors) are marshalled per recipient with that recipient's serial counter.
 * <p>
 * Runs on the edge agent's thread. Forwarding allocates nothing per message.
 */
public final class BusEdgeHandler implements EdgeHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(BusEdgeHandler.class);
    private static final int SENDER_MASK = 1 << DBusHeaderField.SENDER;

    private final Bus bus;
    private EdgeAgent agent;
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final DBusMessageView view = new DBusMessageView();
    private final RoutingDecision decision = new RoutingDecision();
    private final DBusHeaderEncoder headerEncoder = new DBusHeaderEncoder();
    private final ExpandableDirectByteBuffer headerBuffer = new ExpandableDirectByteBuffer(1024);
    private final ExpandableDirectByteBuffer outputBuffer = new ExpandableDirectByteBuffer(4096);
    private long nowNs;

    /**
     * @param bus the bus-core facade this node serves.
     */
    public BusEdgeHandler(final Bus bus)
    {
        this.bus = bus;
    }

    /**
     * @param agent whose connections this handler serves; set before the agent runs.
     */
    public void agent(final EdgeAgent agent)
    {
        this.agent = agent;
    }

    /**
     * @return the bus.
     */
    public Bus bus()
    {
        return bus;
    }

    @Override
    public void onAuthenticated(final EdgeConnection connection)
    {
        final PeerCredentials credentials = new PeerCredentials(
            connection.uid(), gidsOf(connection), connection.pid(), commandOf(connection.pid()), null);
        if (!bus.allowsUser(credentials))
        {
            agent.close(connection, "uid " + connection.uid() + " is not allowed to connect by the bus policy");
            return;
        }
        final Peer peer = bus.connect(credentials);
        peer.unixFdsEnabled(connection.unixFdsNegotiated());
        final BusSession session = new BusSession(connection, peer);
        peer.attachment(session);
        connection.attachment(session);
        drainOutbox();
    }

    /**
     * The peer's command name (/proc/PID/comm), which dbus-daemon shows in its error texts and logs.
     */
    private static String commandOf(final long pid)
    {
        if (pid <= 0)
        {
            return null;
        }
        try
        {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "comm")).strip();
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            return null;
        }
    }

    private static long[] gidsOf(final EdgeConnection connection)
    {
        final long[] gids = connection.gids();
        if (gids.length == 0 && connection.gid() != EdgeConnection.UNKNOWN)
        {
            return new long[] {connection.gid()};
        }
        return gids;
    }

    @Override
    public void onMessage(final EdgeConnection connection, final DirectBuffer buffer, final int offset, final int length)
    {
        final BusSession session = (BusSession)connection.attachment();
        if (session == null)
        {
            return;
        }
        try
        {
            message.wrap(buffer, offset, length);
        }
        catch (final DBusCodecException ex)
        {
            agent.close(connection, "invalid message: " + ex.getMessage());
            return;
        }

        SharedFds fds = null;
        final long unixFds = message.unixFds();
        if (unixFds > 0)
        {
            fds = connection.takeReceivedFds((int)unixFds);
            if (fds == null)
            {
                agent.close(connection, "message declares " + unixFds + " unix fds but fewer were passed");
                return;
            }
        }

        view.wrap(message);
        bus.route(session.peer, view, nowNs, decision);
        if (decision.monitors().size() > 0)
        {
            forward(session, decision.monitors(), fds);
        }
        switch (decision.action())
        {
            case RoutingDecision.DELIVER:
                deliver(session, fds);
                break;
            case RoutingDecision.DISCONNECT:
                agent.close(connection, decision.reason());
                break;
            default:
                break;
        }
        if (fds != null)
        {
            fds.release();
        }
        drainOutbox();
    }

    private void deliver(final BusSession sender, final SharedFds fds)
    {
        forward(sender, decision.recipients(), fds);
    }

    private void forward(final BusSession sender, final RecipientList recipients, final SharedFds fds)
    {
        final int count = recipients.size();
        if (count == 0)
        {
            return;
        }
        final int headerLength = headerEncoder
            .wrap(headerBuffer, 0, message.endianness())
            .type(message.type())
            .flags(message.flags())
            .serial(message.serial())
            .bodyLength(message.bodyLength())
            .copyFields(message, SENDER_MASK)
            .sender(sender.peer.uniqueName())
            .finish();

        for (int i = 0; i < count; i++)
        {
            final Peer recipient = recipients.get(i);
            final BusSession target = (BusSession)recipient.attachment();
            if (target == null)
            {
                continue;
            }
            final EdgeConnection connection = target.connection;
            final SharedFds passed = recipient.unixFdsEnabled() ? fds : null;
            if (connection.send(
                headerBuffer, 0, headerLength, message.buffer(), message.bodyOffset(), message.bodyLength(), passed))
            {
                agent.markDirty(connection);
            }
            else if (!connection.isClosed())
            {
                agent.close(connection, "outgoing queue over its limit (" + connection.outboundBacklog() +
                    " bytes queued): the peer does not read fast enough");
            }
        }
    }

    @Override
    public void onDisconnected(final EdgeConnection connection, final String reason)
    {
        final BusSession session = (BusSession)connection.attachment();
        if (session != null)
        {
            bus.disconnect(session.peer);
            drainOutbox();
        }
    }

    @Override
    public int onTick(final long nowNs)
    {
        this.nowNs = nowNs;
        final int work = bus.poll(nowNs);
        if (work > 0)
        {
            drainOutbox();
        }
        return work;
    }

    private void drainOutbox()
    {
        BusOutput output;
        while ((output = bus.outbox().poll()) != null)
        {
            final SimpleMessage simple = output.message();
            final List<Peer> recipients = output.recipients();
            for (int i = 0, size = recipients.size(); i < size; i++)
            {
                final Peer recipient = recipients.get(i);
                final BusSession target = (BusSession)recipient.attachment();
                if (target == null || target.connection.isClosed())
                {
                    continue;
                }
                final int length = BusOutputEncoder.encode(simple, target.nextSerial(), outputBuffer, 0);
                if (target.connection.send(outputBuffer, 0, length))
                {
                    agent.markDirty(target.connection);
                }
                else if (!target.connection.isClosed())
                {
                    LOG.debug("bus message to {} dropped: queue full", recipient.uniqueName());
                    agent.close(target.connection, "outgoing queue over its limit: the peer does not read fast enough");
                }
            }
        }
    }
}
