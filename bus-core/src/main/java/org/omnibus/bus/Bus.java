package org.omnibus.bus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import org.omnibus.bus.driver.Driver;
import org.omnibus.bus.match.MatchRegistry;
import org.omnibus.bus.name.NameChange;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.name.NameRegistryState;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.peer.PeerRegistry;
import org.omnibus.bus.policy.BusConfig;
import org.omnibus.bus.reply.ReplyRegistry;
import org.omnibus.bus.router.Router;
import org.omnibus.bus.router.RoutingDecision;
import org.omnibus.bus.wire.MalformedFrameException;
import org.omnibus.bus.wire.NameCommandCodec;
import org.omnibus.bus.wire.NameRegistrySnapshotCodec;

/**
 * The D-Bus message bus as pure logic: what the edge calls. No sockets, no threads: the edge's agent calls in
 * from its duty cycle and acts on the answers.
 * <ol>
 * <li>After SASL: {@link #allowsUser(PeerCredentials)} (else refuse), then {@link #connect(PeerCredentials)};
 * keep the edge's connection in {@link Peer#attachment(Object)}.</li>
 * <li>For every message a peer sends: {@link #route(Peer, MessageView, long, RoutingDecision)}, act on the
 * {@link RoutingDecision}, then drain {@link #outbox()}.</li>
 * <li>When a connection closes: {@link #disconnect(Peer)}, then drain the outbox.</li>
 * <li>From the duty cycle: {@link #poll(long)} (reply timeouts), then drain the outbox.</li>
 * </ol>
 * Name commands (Hello, RequestName, ReleaseName, disconnects) go through the context's
 * {@link org.omnibus.bus.name.NameCommandSink}: applied at once by default; a cluster orders them and calls
 * {@link #applyNameCommand(NameCommand)} on delivery, then drains the outbox as after any other call (every output
 * names local recipients only: the caller's reply on its own node, signals to each node's own peers).
 * <p>
 * The replicated state is the name registry: {@link #takeSnapshot} and {@link #installSnapshot} are what the
 * membership layer's state transfer calls (a node's {@code StateTransferHandler} delegates to them).
 */
public final class Bus
{
    private final BusContext context;
    private final PeerRegistry peers;
    private final NameRegistry names;
    private final MatchRegistry matches;
    private final ReplyRegistry replies;
    private final Outbox outbox = new Outbox();
    private final Router router;
    private final Driver driver;
    private final ReplyRegistry.NoReplyHandler noReplyHandler = this::onNoReply;
    private final Long2ObjectHashMap<Peer> remotePeers = new Long2ObjectHashMap<>();
    private final NameCommandCodec commandCodec = new NameCommandCodec();
    private final NameRegistrySnapshotCodec snapshotCodec = new NameRegistrySnapshotCodec();
    private BusConfig config;

    /**
     * @param context the context (concluded here if not yet).
     */
    public Bus(final BusContext context)
    {
        this.context = context.conclude();
        this.config = context.config();
        this.peers = new PeerRegistry(context.nodeId(), context.firstConnectionId());
        this.names = new NameRegistry();
        this.matches = new MatchRegistry(names);
        this.replies = new ReplyRegistry(config.limits().maxRepliesPerConnection(), replyTimeoutNs(config));
        this.router = new Router(context, peers, names, matches, replies, outbox);
        this.driver = new Driver(context, peers, names, matches, router);
        this.router.driver(driver);
        this.driver.reloadListener(this::reloadConfig);
        this.driver.unregisterListener(this::onUnregistered);
    }

    private void onUnregistered(final long peerId)
    {
        if (!peers.isLocalId(peerId))
        {
            remotePeers.remove(peerId);
            replies.onPeerGone(peerId, noReplyHandler);
        }
    }

    private static long replyTimeoutNs(final BusConfig config)
    {
        final long ms = config.limits().replyTimeoutMs();
        return ms > 0 ? TimeUnit.MILLISECONDS.toNanos(ms) : 0;
    }

    /**
     * @return the context.
     */
    public BusContext context()
    {
        return context;
    }

    /**
     * @return the configuration in force.
     */
    public BusConfig config()
    {
        return config;
    }

    /**
     * May a user connect at all (the configuration's user and group rules)?
     *
     * @param credentials the authenticated credentials.
     * @return true when allowed.
     */
    public boolean allowsUser(final PeerCredentials credentials)
    {
        return config.policy().allowsUnixUser(credentials.uid(), credentials.gids(), context.busUid());
    }

    /**
     * A connection authenticated: give it a unique name (not yet registered: Hello does that) and its policy
     * snapshot.
     *
     * @param credentials its credentials.
     * @return the peer.
     */
    public Peer connect(final PeerCredentials credentials)
    {
        return peers.connect(credentials, config.policy().snapshot(credentials.uid(), credentials.gids()));
    }

    /**
     * Route a message from a local peer.
     *
     * @param sender   the sender.
     * @param message  the message.
     * @param nowNs    current time.
     * @param decision filled with what to do.
     */
    public void route(final Peer sender, final MessageView message, final long nowNs, final RoutingDecision decision)
    {
        router.route(sender, message, nowNs, decision);
    }

    /**
     * Route a message another node of the cluster accepted from one of its peers: only this node's peers are
     * selected, nothing is forwarded again, a rejection's error stays in the decision (see
     * {@link Router#routeFromCluster}).
     *
     * @param senderId the sending peer's id (registered: its credentials come from the name registry); a peer of
     *                 this node when its own broadcast comes back in the total order.
     * @param message  the message.
     * @param nowNs    current time.
     * @param decision filled with what to do.
     * @return false when the sender is unknown here (not registered in the replicated name registry).
     */
    public boolean routeFromCluster(
        final long senderId, final MessageView message, final long nowNs, final RoutingDecision decision)
    {
        final Peer sender = orderedSender(senderId);
        if (null == sender)
        {
            return false;
        }
        router.routeFromCluster(sender, message, nowNs, decision);
        return true;
    }

    /**
     * The sender of a message that comes back through the cluster's total order: a peer of another node, or one
     * of this node's own peers whose broadcast was ordered (still connected, or gone since it sent the message:
     * then seen like a remote peer, from its registry entry).
     */
    private Peer orderedSender(final long peerId)
    {
        if (!peers.isLocalId(peerId))
        {
            return remotePeer(peerId);
        }
        final Peer local = peers.get(peerId);
        if (null != local)
        {
            return local;
        }
        final org.omnibus.bus.name.NameRegistry.Owner owner = names.owner(peerId);
        if (null == owner)
        {
            return null;
        }
        final PeerCredentials credentials = owner.credentials();
        final Peer departed = new Peer(peerId, credentials,
            config.policy().snapshot(credentials.uid(), credentials.gids()), false);
        departed.state(Peer.STATE_REGISTERED);
        return departed;
    }

    /**
     * The bus' view of a peer of another node: id, credentials from the replicated name registry, and the policy
     * snapshot those credentials give here (every node runs the same configuration). Cached until it unregisters.
     *
     * @param peerId a peer id of another node.
     * @return the peer, or null when it is not registered.
     */
    public Peer remotePeer(final long peerId)
    {
        Peer peer = remotePeers.get(peerId);
        if (null == peer)
        {
            final org.omnibus.bus.name.NameRegistry.Owner owner = names.owner(peerId);
            if (null == owner || peers.isLocalId(peerId))
            {
                return null;
            }
            final PeerCredentials credentials = owner.credentials();
            peer = new Peer(peerId, credentials, config.policy().snapshot(credentials.uid(), credentials.gids()),
                false);
            peer.state(Peer.STATE_REGISTERED);
            remotePeers.put(peerId, peer);
        }
        return peer;
    }

    /**
     * A local connection is gone: its match rules go, its names are released (NameOwnerChanged etc.), calls
     * waiting for it get NoReply.
     *
     * @param peer the peer.
     */
    public void disconnect(final Peer peer)
    {
        if (peer.state() == Peer.STATE_DISCONNECTED)
        {
            return;
        }
        final boolean registered = peer.state() == Peer.STATE_REGISTERED || peer.isHelloPending();
        peers.remove(peer);
        matches.removeAll(peer);
        final org.omnibus.bus.driver.JournalService journal = driver.journalService();
        if (null != journal)
        {
            journal.onDisconnect(peer);
        }
        if (registered)
        {
            driver.submit(NameCommand.unregister(peer.id()));
        }
        replies.onPeerGone(peer.id(), noReplyHandler);
    }

    /**
     * @param service what serves the driver's org.omnibus.Journal interface (durable subscriptions), or null:
     *                the driver then answers NotSupported.
     */
    public void journalService(final org.omnibus.bus.driver.JournalService service)
    {
        driver.journalService(service);
    }

    /**
     * Should a durable subscriber receive a message from the journal? A signal without destination that matches
     * the subscription's rule (a unique-name sender key is compared with the sender, a well-known one with the
     * names the sender owns now) and that the
     * subscriber's receive policy allows. Allocates nothing.
     *
     * @param subscriber a local peer.
     * @param rule       its subscription's rule.
     * @param senderId   the message's sender.
     * @param message    the message.
     * @return true to deliver it.
     */
    public boolean acceptsDurable(
        final Peer subscriber, final org.omnibus.bus.match.MatchRule rule, final long senderId,
        final MessageView message)
    {
        if (message.type() != MessageType.SIGNAL || null != message.destination())
        {
            return false;
        }
        durableSenderCheck.senderId = senderId;
        return rule.matchesMessage(message, durableSenderCheck) &&
            org.omnibus.bus.policy.PolicySnapshot.isAllowed(
            subscriber.policy().checkReceive(message, false, senderId, false, names));
    }

    private final SenderCheck durableSenderCheck = new SenderCheck();

    /**
     * Is a given sender the primary owner of a name (as of now)?
     */
    private final class SenderCheck implements org.omnibus.bus.match.MatchRule.OwnerCheck
    {
        private long senderId;

        @Override
        public boolean isPrimaryOwner(final String name)
        {
            // a unique name is compared as such, so history from departed peers still matches
            return name.startsWith(":") ? PeerIds.parse(name) == senderId : names.isPrimaryOwner(senderId, name);
        }
    }

    /**
     * Expire pending calls whose reply timeout passed (NoReply errors to their callers).
     *
     * @param nowNs current time.
     * @return number of expired calls.
     */
    public int poll(final long nowNs)
    {
        return replies.poll(nowNs, noReplyHandler);
    }

    /**
     * @return when {@link #poll(long)} has work next, {@link Long#MAX_VALUE} for never.
     */
    public long nextDeadlineNs()
    {
        return replies.nextDeadlineNs();
    }

    /**
     * Apply a name command delivered by the total order (cluster), or submitted locally.
     *
     * @param command the command.
     */
    public void applyNameCommand(final NameCommand command)
    {
        driver.apply(command);
    }

    /**
     * Decode a name command delivered by the total order ({@link NameCommandCodec}) and apply it.
     *
     * @param buffer holding the payload.
     * @param offset of its message header.
     * @param length of the payload.
     * @return the command applied.
     * @throws MalformedFrameException when the payload is not a well-formed NameCommand (nothing applied; every
     *                                 node rejects the same bytes the same way).
     */
    public NameCommand applyNameCommand(final DirectBuffer buffer, final int offset, final int length)
    {
        final NameCommand command = commandCodec.decode(buffer, offset, length);
        driver.apply(command);
        return command;
    }

    /**
     * Write the replicated state (the name registry) as a snapshot, for a node that lacks it: what a
     * {@code StateTransferHandler.takeSnapshot} does.
     *
     * @param asOfSeq the last global sequence applied.
     * @param buffer  to write into (an expandable buffer grows).
     * @param offset  where to start.
     * @return bytes written.
     * @throws org.omnibus.bus.wire.SnapshotTooLargeException when the snapshot exceeds
     *                                                        {@link BusContext#maxSnapshotLength()}.
     */
    public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
    {
        return snapshotCodec.writeSnapshot(names, asOfSeq, buffer, offset, context.maxSnapshotLength());
    }

    /**
     * Replace the replicated state with a snapshot another node took ({@code StateTransferHandler.installSnapshot})
     * and reconcile this node's peers with it; see {@link #installState}.
     *
     * @param asOfSeq the last global sequence the snapshot includes (checked against the one inside it).
     * @param buffer  holding the snapshot.
     * @param offset  of the snapshot.
     * @param length  of the snapshot.
     * @return what changed and what the node must do next.
     * @throws MalformedFrameException when the snapshot is malformed, inconsistent or of another sequence
     *                                 (nothing changed).
     */
    public StateInstall installSnapshot(
        final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        final NameRegistrySnapshotCodec.Snapshot snapshot = snapshotCodec.decode(buffer, offset, length);
        if (snapshot.asOfSeq() != asOfSeq)
        {
            throw new MalformedFrameException("NameRegistrySnapshot as of " + snapshot.asOfSeq() +
                " installed as of " + asOfSeq);
        }
        try
        {
            return installState(asOfSeq, snapshot.state());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new MalformedFrameException("NameRegistrySnapshot: " + ex.getMessage(), ex);
        }
    }

    /**
     * Replace the name registry with a transferred state and reconcile this node with it, in this order: answer
     * the Hello of local peers the state shows registered (their command was applied elsewhere before the
     * snapshot); signal every primary-owner change between the old and the new state to local peers
     * (NameOwnerChanged to subscribers, NameLost and NameAcquired to local owners); drop match rules naming
     * vanished unique names; fail local calls waiting on vanished remote peers (NoReply); make monitors of local
     * peers whose BecomeMonitor took effect; list the other local peers that vanished (orphans); never hand out
     * a connection id this node already registered (restart). Then drain the outbox. Replies to RequestName and
     * ReleaseName calls whose command took effect before the snapshot but was not delivered here are not sent
     * (the snapshot does not hold results).
     *
     * @param asOfSeq the last global sequence the state includes.
     * @param state   the state.
     * @return what changed and what the node must do next.
     * @throws IllegalArgumentException when the state is inconsistent (nothing changed).
     */
    public StateInstall installState(final long asOfSeq, final NameRegistryState state)
    {
        final NameRegistryState before = names.exportState();
        names.importState(state);
        remotePeers.clear();

        for (final Peer peer : peers.peers())
        {
            if (peer.state() == Peer.STATE_CONNECTED && peer.isHelloPending() && null != names.owner(peer.id()))
            {
                driver.completeHello(peer, peer.helloSerial());
            }
        }
        final List<NameChange> changes = ownerChanges(before, state);
        for (final NameChange change : changes)
        {
            driver.emitChange(change);
        }

        final Set<Long> after = new HashSet<>();
        for (final NameRegistryState.OwnerState owner : state.owners())
        {
            after.add(owner.peerId());
        }
        for (final NameRegistryState.OwnerState owner : before.owners())
        {
            final long id = owner.peerId();
            if (!after.contains(id))
            {
                driver.forgetUniqueName(PeerIds.uniqueName(id));
                if (!peers.isLocalId(id))
                {
                    replies.onPeerGone(id, noReplyHandler);
                }
            }
        }

        final List<Peer> orphans = new ArrayList<>();
        for (final Peer peer : peers.peers())
        {
            if (peer.state() == Peer.STATE_REGISTERED && null == names.owner(peer.id()) &&
                !driver.completeMonitor(peer.id()))
            {
                orphans.add(peer);
            }
        }
        final long[] unknown = state.owners().stream()
            .mapToLong(NameRegistryState.OwnerState::peerId)
            .filter(id -> peers.isLocalId(id) && null == peers.get(id))
            .toArray();
        final long highest = names.highestConnectionId(peers.nodeId());
        if (highest != NameRegistry.NO_CONNECTION)
        {
            peers.advanceConnectionIds(highest + 1);
        }
        return new StateInstall(asOfSeq, List.copyOf(changes), List.copyOf(orphans), unknown);
    }

    /**
     * The primary-owner changes from one state to another: unique names that appeared (by id), well-known names
     * whose primary owner differs (sorted), unique names that vanished (by id).
     */
    static List<NameChange> ownerChanges(final NameRegistryState before, final NameRegistryState after)
    {
        final List<NameChange> changes = new ArrayList<>();
        final Set<Long> idsBefore = new HashSet<>();
        for (final NameRegistryState.OwnerState owner : before.owners())
        {
            idsBefore.add(owner.peerId());
        }
        final Set<Long> idsAfter = new HashSet<>();
        for (final NameRegistryState.OwnerState owner : after.owners())
        {
            idsAfter.add(owner.peerId());
            if (!idsBefore.contains(owner.peerId()))
            {
                final String unique = PeerIds.uniqueName(owner.peerId());
                changes.add(new NameChange(unique, null, unique));
            }
        }

        final Map<String, String> primaryBefore = primaries(before);
        final Map<String, String> primaryAfter = primaries(after);
        final List<String> wellKnown = new ArrayList<>(primaryBefore.keySet());
        for (final String name : primaryAfter.keySet())
        {
            if (!primaryBefore.containsKey(name))
            {
                wellKnown.add(name);
            }
        }
        wellKnown.sort(null);
        for (final String name : wellKnown)
        {
            final String oldOwner = primaryBefore.get(name);
            final String newOwner = primaryAfter.get(name);
            if (!java.util.Objects.equals(oldOwner, newOwner))
            {
                changes.add(new NameChange(name, oldOwner, newOwner));
            }
        }

        for (final NameRegistryState.OwnerState owner : before.owners())
        {
            if (!idsAfter.contains(owner.peerId()))
            {
                final String unique = PeerIds.uniqueName(owner.peerId());
                changes.add(new NameChange(unique, unique, null));
            }
        }
        return changes;
    }

    private static Map<String, String> primaries(final NameRegistryState state)
    {
        final Map<String, String> result = new HashMap<>();
        for (final NameRegistryState.NameState name : state.names())
        {
            result.put(name.name(), PeerIds.uniqueName(name.queue().get(0).peerId()));
        }
        return result;
    }

    /**
     * Put a new configuration in force: limits, and every local peer's policy snapshot.
     *
     * @param newConfig the configuration.
     */
    public void reloadConfig(final BusConfig newConfig)
    {
        this.config = newConfig;
        driver.config(newConfig);
        replies.limits(newConfig.limits().maxRepliesPerConnection(), replyTimeoutNs(newConfig));
        for (final Peer peer : peers.peers())
        {
            peer.policy(newConfig.policy().snapshot(peer.credentials().uid(), peer.credentials().gids()));
        }
        remotePeers.clear();
    }

    private void onNoReply(final long caller, final int serial, final long callee, final boolean calleeGone)
    {
        final Peer peer = peers.get(caller);
        if (null != peer)
        {
            driver.sendNoReply(peer, serial, calleeGone);
        }
    }

    /**
     * @return messages the bus generated, to be sent by the edge.
     */
    public Outbox outbox()
    {
        return outbox;
    }

    /**
     * @return local peers.
     */
    public PeerRegistry peers()
    {
        return peers;
    }

    /**
     * @return the name registry.
     */
    public NameRegistry names()
    {
        return names;
    }

    /**
     * @return the match registry.
     */
    public MatchRegistry matches()
    {
        return matches;
    }

    /**
     * @return pending replies.
     */
    public ReplyRegistry replies()
    {
        return replies;
    }

    /**
     * @return the driver.
     */
    public Driver driver()
    {
        return driver;
    }

    /**
     * @return the router.
     */
    public Router router()
    {
        return router;
    }
}
