package org.omnibus.bus;

import java.util.concurrent.TimeUnit;

import org.agrona.collections.Long2ObjectHashMap;

import org.omnibus.bus.driver.Driver;
import org.omnibus.bus.match.MatchRegistry;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.peer.PeerRegistry;
import org.omnibus.bus.policy.BusConfig;
import org.omnibus.bus.reply.ReplyRegistry;
import org.omnibus.bus.router.Router;
import org.omnibus.bus.router.RoutingDecision;

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
 * {@link #applyNameCommand(NameCommand)} on delivery.
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
     * @param senderId the sending peer's id (registered: its credentials come from the name registry).
     * @param message  the message.
     * @param nowNs    current time.
     * @param decision filled with what to do.
     * @return false when the sender is unknown here (not registered in the replicated name registry).
     */
    public boolean routeFromCluster(
        final long senderId, final MessageView message, final long nowNs, final RoutingDecision decision)
    {
        final Peer sender = remotePeer(senderId);
        if (null == sender)
        {
            return false;
        }
        router.routeFromCluster(sender, message, nowNs, decision);
        return true;
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
        if (registered)
        {
            driver.submit(NameCommand.unregister(peer.id()));
        }
        replies.onPeerGone(peer.id(), noReplyHandler);
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
