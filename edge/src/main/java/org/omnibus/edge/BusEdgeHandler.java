package org.omnibus.edge;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.bus.Bus;
import org.omnibus.bus.BusOutput;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.MessageType;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.router.RecipientList;
import org.omnibus.bus.router.RoutingDecision;
import org.omnibus.bus.wire.BusOutputEncoder;
import org.omnibus.bus.wire.DBusMessageView;
import org.omnibus.bus.wire.NameCommandCodec;
import org.omnibus.codec.FrameCheck;
import org.omnibus.codec.dbus.DBusCodecException;
import org.omnibus.codec.dbus.DBusHeaderEncoder;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusSbeConverter;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge's bus layer: validates each message with the D-Bus codec, lets bus-core route it, and forwards it
 * with a rebuilt header (the sender field stitched in) in front of the original body bytes, which are never
 * re-marshalled. Messages the bus itself sends (driver replies, NameOwnerChanged, errors) are marshalled per
 * recipient with that recipient's serial counter.
 * <p>
 * <b>In a cluster</b> (a {@link ClusterLink} is set) the total order carries what other nodes must see: name
 * commands (Hello, RequestName, ReleaseName, disconnects; SAFE), broadcast signals and messages to peers of other
 * nodes (BusMessage frames; AGREED). Broadcasts are delivered to this node's subscribers too only when they come
 * back in the order, so every subscriber in the cluster sees one order. A message between two peers of this node
 * takes the local fast path, but waits behind its sender's earlier messages still in the order (per-sender
 * FIFO). A peer's input is held while its Hello is in the order.
 * <p>
 * Runs on the edge agent's thread. Forwarding allocates nothing per message.
 */
public final class BusEdgeHandler implements EdgeHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(BusEdgeHandler.class);
    private static final int SENDER_MASK = 1 << DBusHeaderField.SENDER;
    /** Error of a call the cluster could not take (minority partition). */
    public static final String NOT_PRIMARY_ERROR = "org.omnibus.Cluster.Error.NotPrimary";

    private final Bus bus;
    private final ClusterLink cluster;
    private EdgeAgent agent;
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final DBusMessageView view = new DBusMessageView();
    private final RoutingDecision decision = new RoutingDecision();
    private final DBusHeaderEncoder headerEncoder = new DBusHeaderEncoder();
    private final ExpandableDirectByteBuffer headerBuffer = new ExpandableDirectByteBuffer(1024);
    private final ExpandableDirectByteBuffer outputBuffer = new ExpandableDirectByteBuffer(4096);
    private final ExpandableDirectByteBuffer frameBuffer = new ExpandableDirectByteBuffer(4096);
    private final ExpandableDirectByteBuffer deliveredBuffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder sbeHeaderEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder sbeHeaderDecoder = new MessageHeaderDecoder();
    private final BusMessageEncoder busMessageEncoder = new BusMessageEncoder();
    private final BusMessageDecoder busMessageDecoder = new BusMessageDecoder();
    private final DBusSbeConverter converter = new DBusSbeConverter();
    private final NameCommandCodec nameCommandCodec = new NameCommandCodec();
    private final org.agrona.AsciiSequenceView senderView = new org.agrona.AsciiSequenceView();
    private final Long2ObjectHashMap<BusSession> sessionsById = new Long2ObjectHashMap<>();
    private final ArrayList<BusSession> helloPending = new ArrayList<>();
    private long nowNs;
    private long droppedForCluster;

    /**
     * A handler for a single node: everything is local.
     *
     * @param bus the bus-core facade this node serves.
     */
    public BusEdgeHandler(final Bus bus)
    {
        this(bus, null);
    }

    /**
     * @param bus     the bus-core facade this node serves; in a cluster its context must be
     *                {@code clustered(true)} with a name command sink that calls {@link #submitNameCommand}.
     * @param cluster the way into the total order, or null for a single node.
     */
    public BusEdgeHandler(final Bus bus, final ClusterLink cluster)
    {
        this.bus = bus;
        this.cluster = cluster;
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

    /**
     * @return messages this node could not put into the cluster's order (signals dropped, calls answered with
     * an error).
     */
    public long droppedForCluster()
    {
        return droppedForCluster;
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
        sessionsById.put(peer.id(), session);
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
    public boolean onMessage(
        final EdgeConnection connection, final DirectBuffer buffer, final int offset, final int length)
    {
        final BusSession session = (BusSession)connection.attachment();
        if (session == null)
        {
            return true;
        }
        if (session.peer.isHelloPending())
        {
            // Hello is in the cluster's order: what follows waits for the unique name to exist everywhere
            if (!helloPending.contains(session))
            {
                helloPending.add(session);
            }
            return false;
        }
        try
        {
            message.wrap(buffer, offset, length);
        }
        catch (final DBusCodecException ex)
        {
            agent.close(connection, "invalid message: " + ex.getMessage());
            return true;
        }

        SharedFds fds = null;
        final long unixFds = message.unixFds();
        if (unixFds > 0)
        {
            fds = connection.takeReceivedFds((int)unixFds);
            if (fds == null)
            {
                agent.close(connection, "message declares " + unixFds + " unix fds but fewer were passed");
                return true;
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
                if (cluster != null && (decision.toCluster() || decision.recipients().remoteSize() > 0))
                {
                    if (fds != null)
                    {
                        droppedForCluster++;
                        if (message.type() == MessageType.METHOD_CALL && !message.noReplyExpected())
                        {
                            sendError(session, DBusErrors.NOT_SUPPORTED,
                                "unix file descriptors cannot be passed to peers of other nodes");
                        }
                    }
                    else
                    {
                        submitToCluster(session);
                    }
                    if (!decision.toCluster())
                    {
                        forwardOrDefer(session, decision.recipients(), fds);
                    }
                }
                else
                {
                    forwardOrDefer(session, decision.recipients(), fds);
                }
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
        return true;
    }

    private void submitToCluster(final BusSession session)
    {
        sbeHeaderEncoder.wrap(frameBuffer, 0);
        busMessageEncoder.wrapAndApplyHeader(frameBuffer, 0, sbeHeaderEncoder)
            .globalSeq(-1)
            .viewId(-1)
            .originNode(cluster.nodeId())
            .originSeq(-1)
            .timestampNs(System.currentTimeMillis() * 1_000_000L)
            .senderUid(uint32(session.peer.credentials().uid()))
            .senderGid(uint32(session.peer.credentials().gidCount() > 0 ? session.peer.credentials().gid(0) : -1))
            .senderPid(uint32(session.peer.credentials().pid()))
            .priority((short)0);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH +
            DBusSbeConverter.toSbe(message, busMessageEncoder, session.peer.uniqueName());
        final int result = cluster.submit(false, frameBuffer, 0, length);
        if (result == ClusterLink.ACCEPTED)
        {
            session.submitted++;
            return;
        }
        droppedForCluster++;
        if (message.type() == MessageType.METHOD_CALL && !message.noReplyExpected())
        {
            sendError(session, result == ClusterLink.NOT_PRIMARY ? NOT_PRIMARY_ERROR : DBusErrors.LIMITS_EXCEEDED,
                ClusterLink.describe(result));
        }
        else
        {
            LOG.debug("message from {} not sent to the cluster: {}", session.peer.uniqueName(),
                ClusterLink.describe(result));
        }
    }

    private static long uint32(final long value)
    {
        return value < 0 ? 0xFFFF_FFFFL : value & 0xFFFF_FFFFL;
    }

    private void sendError(final BusSession session, final String errorName, final String text)
    {
        final SimpleMessage error = SimpleMessage.error(
            session.peer.uniqueName(), (int)message.serial(), errorName, text).sender("org.freedesktop.DBus");
        final int length = BusOutputEncoder.encode(error, session.nextSerial(), outputBuffer, 0);
        if (session.connection.send(outputBuffer, 0, length))
        {
            agent.markDirty(session.connection);
        }
    }

    /**
     * Deliver to local recipients now, unless the sender still has messages in the cluster's order: then after
     * them, so its messages keep their send order everywhere.
     */
    private void forwardOrDefer(final BusSession sender, final RecipientList recipients, final SharedFds fds)
    {
        if (recipients.size() == 0)
        {
            return;
        }
        if (cluster == null || sender.delivered >= sender.submitted)
        {
            forward(sender, recipients, fds);
            return;
        }
        final int headerLength = encodeForwardHeader(sender);
        final byte[] bytes = new byte[headerLength + message.bodyLength()];
        headerBuffer.getBytes(0, bytes, 0, headerLength);
        message.buffer().getBytes(message.bodyOffset(), bytes, headerLength, message.bodyLength());
        final long[] ids = new long[recipients.size()];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = recipients.get(i).id();
        }
        if (fds != null)
        {
            fds.retain();
        }
        sender.deferred.add(new Deferred(sender.submitted, bytes, ids, fds));
    }

    private int encodeForwardHeader(final BusSession sender)
    {
        return headerEncoder
            .wrap(headerBuffer, 0, message.endianness())
            .type(message.type())
            .flags(message.flags())
            .serial(message.serial())
            .bodyLength(message.bodyLength())
            .copyFields(message, SENDER_MASK)
            .sender(sender.peer.uniqueName())
            .finish();
    }

    private void forward(final BusSession sender, final RecipientList recipients, final SharedFds fds)
    {
        final int count = recipients.size();
        if (count == 0)
        {
            return;
        }
        final int headerLength = encodeForwardHeader(sender);
        for (int i = 0; i < count; i++)
        {
            final Peer recipient = recipients.get(i);
            final BusSession target = (BusSession)recipient.attachment();
            if (target == null)
            {
                continue;
            }
            queue(target, recipient, headerBuffer, 0, headerLength,
                message.buffer(), message.bodyOffset(), message.bodyLength(), fds);
        }
    }

    private void queue(
        final BusSession target,
        final Peer recipient,
        final DirectBuffer header,
        final int headerOffset,
        final int headerLength,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength,
        final SharedFds fds)
    {
        final EdgeConnection connection = target.connection;
        final SharedFds passed = recipient.unixFdsEnabled() ? fds : null;
        if (connection.send(header, headerOffset, headerLength, body, bodyOffset, bodyLength, passed))
        {
            agent.markDirty(connection);
        }
        else if (!connection.isClosed())
        {
            agent.close(connection, "outgoing queue over its limit (" + connection.outboundBacklog() +
                " bytes queued): the peer does not read fast enough");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // cluster side
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The bus context's name command sink in a cluster: put the command into the total order (SAFE), where every
     * node applies it in the same order ({@link #onClusterDelivery}).
     *
     * @param command from the driver.
     */
    public void submitNameCommand(final NameCommand command)
    {
        final int length = nameCommandCodec.encode(command, frameBuffer, 0);
        final int result = cluster.submit(true, frameBuffer, 0, length);
        if (result != ClusterLink.ACCEPTED)
        {
            // The group holds submissions while it is not primary (SubmitPolicy.WAIT); anything else means the
            // node is shutting down or misconfigured: the command is lost and the caller gets no answer.
            droppedForCluster++;
            LOG.warn("name command {} not submitted: {}", command.kind(), ClusterLink.describe(result));
        }
    }

    /**
     * A message delivered by the cluster's total order, on this agent's thread: a name command is applied, a bus
     * message is routed to this node's peers.
     *
     * @param originNode node that submitted it.
     * @param buffer     holding the frame.
     * @param offset     of the frame.
     * @param length     of the frame.
     */
    public void onClusterDelivery(final int originNode, final DirectBuffer buffer, final int offset, final int length)
    {
        if (FrameCheck.check(buffer, offset, length, BusMessageDecoder.SCHEMA_ID, BusMessageDecoder.SCHEMA_VERSION) !=
            FrameCheck.OK)
        {
            LOG.warn("ordered frame from node {} is not a bus frame: {}", originNode,
                FrameCheck.describe(FrameCheck.check(buffer, offset, length, BusMessageDecoder.SCHEMA_ID,
                BusMessageDecoder.SCHEMA_VERSION)));
            return;
        }
        sbeHeaderDecoder.wrap(buffer, offset);
        final int templateId = sbeHeaderDecoder.templateId();
        if (templateId == NameCommandCodec.TEMPLATE_ID)
        {
            bus.applyNameCommand(buffer, offset, length);
            drainOutbox();
            resumeRegistered();
        }
        else if (templateId == BusMessageDecoder.TEMPLATE_ID)
        {
            onOrderedBusMessage(originNode, buffer, offset);
        }
        else
        {
            LOG.warn("ordered frame from node {} has unknown template {}", originNode, templateId);
        }
    }

    private void onOrderedBusMessage(final int originNode, final DirectBuffer buffer, final int offset)
    {
        busMessageDecoder.wrapAndApplyHeader(buffer, offset, sbeHeaderDecoder);
        final int dbusLength;
        try
        {
            dbusLength = DBusSbeConverter.dbusLength(busMessageDecoder);
            deliveredBuffer.checkLimit(dbusLength);
            converter.toDBus(busMessageDecoder, deliveredBuffer, 0);
            message.wrapHeader(deliveredBuffer, 0, dbusLength);
        }
        catch (final DBusCodecException ex)
        {
            LOG.warn("ordered message from node {} cannot be converted: {}", originNode, ex.getMessage());
            return;
        }
        final long senderId = PeerIds.parse(message.fieldView(DBusHeaderField.SENDER, senderView));
        if (senderId == PeerIds.NONE)
        {
            LOG.warn("ordered message from node {} has no valid sender", originNode);
            return;
        }
        BusSession own = null;
        if (originNode == cluster.nodeId())
        {
            own = sessionsById.get(senderId);
            if (own != null)
            {
                own.delivered++;
            }
        }
        view.wrap(message);
        if (bus.routeFromCluster(senderId, view, nowNs, decision) &&
            decision.action() == RoutingDecision.DELIVER)
        {
            final RecipientList recipients = decision.recipients();
            for (int i = 0, size = recipients.size(); i < size; i++)
            {
                final Peer recipient = recipients.get(i);
                final BusSession target = (BusSession)recipient.attachment();
                if (target != null)
                {
                    queue(target, recipient, deliveredBuffer, 0, 0, deliveredBuffer, 0, dbusLength, null);
                }
            }
        }
        if (own != null)
        {
            releaseDeferred(own);
        }
        drainOutbox();
    }

    private void releaseDeferred(final BusSession session)
    {
        Deferred next;
        while ((next = session.deferred.peek()) != null && session.delivered >= next.afterSubmitted)
        {
            session.deferred.poll();
            deliverDeferred(next);
        }
    }

    private void deliverDeferred(final Deferred deferred)
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(deferred.bytes);
        for (final long id : deferred.recipients)
        {
            final BusSession target = sessionsById.get(id);
            if (target != null && !target.connection.isClosed())
            {
                queue(target, target.peer, bytes, 0, 0, bytes, 0, deferred.bytes.length, deferred.fds);
            }
        }
        if (deferred.fds != null)
        {
            deferred.fds.release();
        }
    }

    /**
     * Nodes left the cluster (a view change, delivered at the same point of the order on every node): their
     * peers' names are released here as everywhere.
     *
     * @param nodeIds the departed nodes.
     */
    public void onNodesDeparted(final long[] nodeIds)
    {
        for (final long nodeId : nodeIds)
        {
            bus.applyNameCommand(NameCommand.unregisterNode(nodeId));
        }
        drainOutbox();
    }

    /**
     * The bus state was replaced by a state transfer: send what the install produced (Hello replies, name
     * signals) and let peers whose Hello is now registered go on.
     */
    public void onStateInstalled()
    {
        drainOutbox();
        resumeRegistered();
    }

    /**
     * @param peer a peer of this node.
     * @return its connection, or null when it has none (any more).
     */
    public EdgeConnection connectionOf(final Peer peer)
    {
        final BusSession session = sessionsById.get(peer.id());
        return session == null ? null : session.connection;
    }

    private void resumeRegistered()
    {
        for (int i = helloPending.size() - 1; i >= 0; i--)
        {
            final BusSession session = helloPending.get(i);
            if (!session.peer.isHelloPending())
            {
                helloPending.remove(i);
                agent.resume(session.connection);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Override
    public void onDisconnected(final EdgeConnection connection, final String reason)
    {
        final BusSession session = (BusSession)connection.attachment();
        if (session != null)
        {
            sessionsById.remove(session.peer.id());
            helloPending.remove(session);
            // messages it sent are accepted: what waited behind its cluster messages goes out now
            Deferred deferred;
            while ((deferred = session.deferred.poll()) != null)
            {
                deliverDeferred(deferred);
            }
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
                    agent.close(target.connection, "outgoing queue over its limit: the peer does not read fast enough");
                }
            }
        }
    }

    /**
     * A message between local peers that waits behind its sender's messages in the cluster's order.
     */
    static final class Deferred
    {
        final long afterSubmitted;
        final byte[] bytes;
        final long[] recipients;
        final SharedFds fds;

        Deferred(final long afterSubmitted, final byte[] bytes, final long[] recipients, final SharedFds fds)
        {
            this.afterSubmitted = afterSubmitted;
            this.bytes = bytes;
            this.recipients = recipients;
            this.fds = fds;
        }
    }
}
