package org.omnibus.bus.router;

import java.util.ArrayList;
import java.util.List;

import org.omnibus.bus.BusContext;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.MessageFlags;
import org.omnibus.bus.MessageType;
import org.omnibus.bus.MessageView;
import org.omnibus.bus.Outbox;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.driver.Driver;
import org.omnibus.bus.driver.DriverEmitter;
import org.omnibus.bus.match.MatchRegistry;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerRegistry;
import org.omnibus.bus.policy.PolicySnapshot;
import org.omnibus.bus.reply.ReplyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where a message goes, as pure logic: the destination's owner (ServiceUnknown / NameHasNoOwner when
 * none), the bus driver, or the peers whose match rules select a broadcast; eavesdroppers; the send and receive
 * policy of sender and recipients (AccessDenied phrased as dbus-daemon's); pending replies (a method return or
 * error only passes when it answers a pending call; a call records one). The result goes into a reusable
 * {@link RoutingDecision}; errors and driver answers into the {@link Outbox}.
 * <p>
 * Routing a message to peers allocates nothing; only errors and driver calls do.
 * <p>
 * The router is also the driver's {@link DriverEmitter}: driver messages are subject to the recipients' receive
 * policy, and its broadcast signals (NameOwnerChanged) fan out through the match rules like any broadcast.
 */
public final class Router implements DriverEmitter
{
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final BusContext context;
    private final PeerRegistry peers;
    private final NameRegistry names;
    private final MatchRegistry matches;
    private final ReplyRegistry replies;
    private final Outbox outbox;
    private final SenderFilter senderFilter = new SenderFilter();
    private final DriverFilter driverFilter = new DriverFilter();
    private final List<Peer> driverRecipients = new ArrayList<>();
    private final org.omnibus.bus.peer.PeerCollector driverCollector = driverRecipients::add;
    private Driver driver;
    private long stamp;

    /**
     * @param context concluded context.
     * @param peers   local peers.
     * @param names   the name registry.
     * @param matches the match registry.
     * @param replies pending replies.
     * @param outbox  where generated messages go.
     */
    public Router(
        final BusContext context,
        final PeerRegistry peers,
        final NameRegistry names,
        final MatchRegistry matches,
        final ReplyRegistry replies,
        final Outbox outbox)
    {
        this.context = context;
        this.peers = peers;
        this.names = names;
        this.matches = matches;
        this.replies = replies;
        this.outbox = outbox;
    }

    /**
     * @param driver the driver messages to org.freedesktop.DBus go to.
     */
    public void driver(final Driver driver)
    {
        this.driver = driver;
    }

    /**
     * Route a message a local peer sent (bus_dispatch).
     *
     * @param sender   the sending peer.
     * @param message  the message.
     * @param nowNs    current time (pending-reply deadlines).
     * @param decision filled with what to do.
     */
    public void route(final Peer sender, final MessageView message, final long nowNs, final RoutingDecision decision)
    {
        decision.reset();
        final int state = sender.state();
        if (state == Peer.STATE_MONITOR)
        {
            decision.disconnect("monitoring connections may not send messages");
            return;
        }
        if (state == Peer.STATE_DISCONNECTED)
        {
            decision.drop("sender is disconnected");
            return;
        }

        final CharSequence destination = message.destination();
        if (matches.hasMonitors())
        {
            capture(sender, message, destination, decision.monitors());
        }
        final int type = message.type();
        if (null == destination)
        {
            if (type == MessageType.SIGNAL)
            {
                if (state != Peer.STATE_REGISTERED)
                {
                    decision.disconnect("client sent a message before Hello");
                    return;
                }
                broadcast(sender, message, decision);
            }
            else if (type == MessageType.METHOD_CALL)
            {
                driver.handleWithoutDestination(sender, message);
                decision.driver();
            }
            else
            {
                decision.drop("reply without destination");
            }
            return;
        }

        if (DBusNames.isDriverName(destination))
        {
            toDriver(sender, message, nowNs, decision);
            return;
        }
        if (state != Peer.STATE_REGISTERED)
        {
            decision.disconnect("client sent a message before Hello");
            return;
        }
        if (type < MessageType.METHOD_CALL || type > MessageType.SIGNAL)
        {
            // dbus-daemon's policy knows only the four types: a message of another type is refused to its sender
            reject(sender, message, decision, DBusErrors.ACCESS_DENIED, complaint("Rejected send message",
                0, message, sender, null, false));
            return;
        }
        unicast(sender, message, destination, nowNs, decision);
    }

    /**
     * Copies for monitors (dbus-daemon's bus_transaction_capture at dispatch).
     */
    private void capture(
        final Peer sender, final MessageView message, final CharSequence destination, final RecipientList monitors)
    {
        final long addressedId = null == destination || DBusNames.isDriverName(destination) ? PeerIds.NONE :
            names.primaryOwnerId(destination);
        matches.collectMonitors(message, sender.id(), addressedId, ++stamp, monitors);
    }

    private void toDriver(final Peer sender, final MessageView message, final long nowNs, final RoutingDecision d)
    {
        if (sender.state() != Peer.STATE_REGISTERED && !sender.isHelloPending())
        {
            if (!isHello(message))
            {
                reject(sender, message, d, DBusErrors.ACCESS_DENIED,
                    "Client tried to send a message other than Hello without being registered");
                return;
            }
        }
        else
        {
            final int result = sender.policy().checkSend(message, false, PeerIds.NONE, names);
            if (!PolicySnapshot.isAllowed(result))
            {
                reject(sender, message, d, DBusErrors.ACCESS_DENIED, complaint("Rejected send message",
                    PolicySnapshot.matchedRules(result), message, sender, null, false));
                return;
            }
        }
        driver.handle(sender, message, nowNs);
        d.driver();
    }

    private static boolean isHello(final MessageView message)
    {
        final CharSequence iface = message.interfaceName();
        final CharSequence member = message.member();
        return message.type() == MessageType.METHOD_CALL && null != iface && null != member &&
            DBusNames.DBUS_INTERFACE.contentEquals(iface) && "Hello".contentEquals(member);
    }

    private void unicast(
        final Peer sender,
        final MessageView message,
        final CharSequence destination,
        final long nowNs,
        final RoutingDecision d)
    {
        final long recipientId = names.primaryOwnerId(destination);
        if (recipientId == PeerIds.NONE)
        {
            if ((message.flags() & MessageFlags.NO_AUTO_START) == 0)
            {
                reject(sender, message, d, DBusErrors.SERVICE_UNKNOWN,
                    "The name " + destination + " was not provided by any .service files");
            }
            else
            {
                reject(sender, message, d, DBusErrors.NAME_HAS_NO_OWNER,
                    "Name \"" + destination + "\" does not exist");
            }
            return;
        }
        final Peer recipient = peers.get(recipientId);
        if (null == recipient && !sender.isLocal())
        {
            d.drop("destination is not a peer of this node");
            return;
        }
        final int type = message.type();
        final int replySerial = message.replySerial();
        final boolean requestedReply = replySerial != 0 && replies.isExpected(sender.id(), recipientId, replySerial);

        final int send = sender.policy().checkSend(message, requestedReply, recipientId, names);
        if (MessageType.isReply(type) && !requestedReply)
        {
            reject(sender, message, d, DBusErrors.ACCESS_DENIED, complaint("Rejected send message",
                PolicySnapshot.matchedRules(send), message, sender, recipient, false));
            return;
        }
        if (!PolicySnapshot.isAllowed(send))
        {
            reject(sender, message, d, DBusErrors.ACCESS_DENIED, complaint("Rejected send message",
                PolicySnapshot.matchedRules(send), message, sender, recipient, requestedReply));
            return;
        }

        if (null != recipient)
        {
            final int receive = recipient.policy().checkReceive(message, requestedReply, sender.id(), false, names);
            if (!PolicySnapshot.isAllowed(receive))
            {
                reject(sender, message, d, DBusErrors.ACCESS_DENIED, complaint("Rejected receive message",
                    PolicySnapshot.matchedRules(receive), message, sender, recipient, requestedReply));
                return;
            }
            if (recipient.outgoingQueueFull())
            {
                reject(sender, message, d, DBusErrors.LIMITS_EXCEEDED, complaint(
                    "Rejected: destination has a full message queue", 0, message, sender, recipient,
                    requestedReply));
                return;
            }
            if (message.unixFds() > 0 && !recipient.unixFdsEnabled())
            {
                reject(sender, message, d, DBusErrors.NOT_SUPPORTED, "Tried to send message with Unix file " +
                    "descriptorsto a client that doesn't support that.");
                return;
            }
        }

        if (type == MessageType.METHOD_CALL && !message.noReplyExpected())
        {
            final int rc = replies.expect(sender.id(), message.serial(), recipientId, nowNs);
            if (rc == ReplyRegistry.DUPLICATE)
            {
                reject(sender, message, d, DBusErrors.ACCESS_DENIED,
                    "Message has the same reply serial as a currently-outstanding existing method call");
                return;
            }
            if (rc == ReplyRegistry.LIMIT)
            {
                LOG.warn("The maximum number of pending replies for \"{}\" ({}) has been reached " +
                    "(max_replies_per_connection={})", sender.uniqueName(), sender.loginfo(),
                    context.config().limits().maxRepliesPerConnection());
                reject(sender, message, d, DBusErrors.LIMITS_EXCEEDED,
                    "The maximum number of pending replies per connection has been reached");
                return;
            }
        }
        if (requestedReply)
        {
            replies.consume(sender.id(), recipientId, replySerial);
        }

        final RecipientList recipients = d.recipients();
        final long fanout = ++stamp;
        if (null != recipient)
        {
            recipient.tryMark(fanout);
            recipients.add(recipient);
        }
        else
        {
            recipients.addRemote(recipientId);
        }
        if (matches.hasEavesdroppers())
        {
            senderFilter.prepare(sender, message, true);
            matches.collectEavesdroppers(message, sender.id(), recipientId, fanout, senderFilter, recipients);
            senderFilter.release();
        }
        d.deliver(true, false);
    }

    private void broadcast(final Peer sender, final MessageView message, final RoutingDecision d)
    {
        senderFilter.prepare(sender, message, false);
        matches.collectBroadcast(message, sender.id(), ++stamp, senderFilter, d.recipients());
        senderFilter.release();
        d.deliver(false, context.clustered() && sender.isLocal());
    }

    /**
     * Route a message that another node accepted from one of its peers and sent through the cluster (the sender's
     * node checked its registration and send policy towards remote recipients). Only this node's peers are
     * selected: for a broadcast, those whose rules match (with the sender's send policy towards each and their
     * receive policy, as for a local sender); for a unicast, the addressed local recipient (its receive policy,
     * pending replies) and local eavesdroppers. Nothing is forwarded again and no error is queued: a rejection
     * leaves the error in the decision for the node to send back to the sender's node.
     *
     * @param sender   the remote sender: a non-local {@link Peer} with the snapshot of its credentials.
     * @param message  the message.
     * @param nowNs    current time.
     * @param decision filled with the local recipients.
     */
    public void routeFromCluster(
        final Peer sender, final MessageView message, final long nowNs, final RoutingDecision decision)
    {
        decision.reset();
        final CharSequence destination = message.destination();
        if (null == destination)
        {
            if (message.type() == MessageType.SIGNAL)
            {
                broadcast(sender, message, decision);
                decision.deliver(false, false);
            }
            else
            {
                decision.drop("call without destination from another node");
            }
            return;
        }
        if (DBusNames.isDriverName(destination))
        {
            decision.drop("the origin node's driver answers its peers");
            return;
        }
        final long recipientId = names.primaryOwnerId(destination);
        final Peer recipient = recipientId == PeerIds.NONE ? null : peers.get(recipientId);
        if (null == recipient)
        {
            decision.drop("destination is not a peer of this node");
            return;
        }
        unicast(sender, message, destination, nowNs, decision);
    }

    private void reject(
        final Peer sender, final MessageView message, final RoutingDecision d, final String errorName,
        final String text)
    {
        d.reject(errorName, text);
        if (sender.isLocal())
        {
            driver.sendError(sender, message, errorName, text);
        }
    }

    /**
     * complain_about_message of dbus-daemon's bus.c.
     */
    private static String complaint(
        final String complaint,
        final int matchedRules,
        final MessageView message,
        final Peer sender,
        final Peer recipient,
        final boolean requestedReply)
    {
        final CharSequence destination = message.destination();
        return complaint + ", " + matchedRules + " matched rules; type=\"" + MessageType.toString(message.type()) +
            "\", sender=\"" + (null == sender ? "(unset)" : sender.uniqueName()) + "\" (" +
            (null == sender ? "(bus)" : sender.loginfo()) + ") interface=\"" +
            orUnset(message.interfaceName()) + "\" member=\"" + orUnset(message.member()) + "\" error name=\"" +
            orUnset(message.errorName()) + "\" requested_reply=\"" + (requestedReply ? 1 : 0) +
            "\" destination=\"" + (null == destination ? DBusNames.DBUS_SERVICE : destination) + "\" (" +
            (null == recipient ? "bus" : recipient.loginfo()) + ")";
    }

    private static String orUnset(final CharSequence value)
    {
        return null == value ? "(unset)" : value.toString();
    }

    /** {@inheritDoc} */
    public void unicast(final Peer recipient, final SimpleMessage message, final boolean requestedReply)
    {
        if (!recipient.isLocal() || recipient.state() == Peer.STATE_DISCONNECTED)
        {
            return;
        }
        if (recipient.state() != Peer.STATE_CONNECTED || recipient.isHelloPending())
        {
            final int receive =
                recipient.policy().checkReceive(message, requestedReply, PeerIds.NONE, false, names);
            if (!PolicySnapshot.isAllowed(receive))
            {
                LOG.debug("receive policy of {} drops a message from the bus: {}", recipient, message);
                return;
            }
        }
        if (matches.hasMonitors() && null != message.sender())
        {
            driverRecipients.clear();
            driverRecipients.add(recipient);
            matches.collectMonitors(message, PeerIds.NONE, recipient.id(), ++stamp, driverCollector);
            outbox.add(message, driverRecipients);
            driverRecipients.clear();
            return;
        }
        outbox.add(message, recipient);
    }

    /** {@inheritDoc} */
    public void broadcast(final SimpleMessage signal)
    {
        driverRecipients.clear();
        driverFilter.message = signal;
        matches.collectBroadcast(signal, PeerIds.NONE, ++stamp, driverFilter, driverCollector);
        driverFilter.message = null;
        if (matches.hasMonitors())
        {
            matches.collectMonitors(signal, PeerIds.NONE, PeerIds.NONE, ++stamp, driverCollector);
        }
        outbox.add(signal, driverRecipients);
        driverRecipients.clear();
    }

    /**
     * Policy for broadcast and eavesdropping recipients of a peer's message (send_one_message): the sender's
     * send policy towards the recipient, the recipient's receive policy, and fd support. A refusal is silent.
     */
    private final class SenderFilter implements MatchRegistry.RecipientFilter
    {
        private Peer sender;
        private MessageView message;
        private boolean eavesdropping;

        void prepare(final Peer sender, final MessageView message, final boolean eavesdropping)
        {
            this.sender = sender;
            this.message = message;
            this.eavesdropping = eavesdropping;
        }

        void release()
        {
            sender = null;
            message = null;
        }

        public boolean accept(final Peer recipient)
        {
            if (!PolicySnapshot.isAllowed(sender.policy().checkSend(message, false, recipient.id(), names)))
            {
                return false;
            }
            if (!PolicySnapshot.isAllowed(
                recipient.policy().checkReceive(message, false, sender.id(), eavesdropping, names)))
            {
                return false;
            }
            return message.unixFds() == 0 || recipient.unixFdsEnabled();
        }
    }

    /**
     * Policy for recipients of the driver's broadcasts: their receive policy only.
     */
    private final class DriverFilter implements MatchRegistry.RecipientFilter
    {
        private MessageView message;

        public boolean accept(final Peer recipient)
        {
            return PolicySnapshot.isAllowed(recipient.policy().checkReceive(message, false, PeerIds.NONE, false,
                names));
        }
    }
}
