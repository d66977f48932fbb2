package org.omnibus.bus.driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.omnibus.bus.BusContext;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.MessageFlags;
import org.omnibus.bus.MessageType;
import org.omnibus.bus.MessageView;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.Signatures;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.codec.dbus.DBusVariant;
import org.omnibus.bus.match.MatchRegistry;
import org.omnibus.bus.match.MatchRule;
import org.omnibus.bus.match.MatchRuleException;
import org.omnibus.bus.match.MatchRuleParser;
import org.omnibus.bus.name.NameChange;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.name.NameCommandSink;
import org.omnibus.bus.name.NameFlags;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.peer.PeerRegistry;
import org.omnibus.bus.policy.BusConfig;
import org.omnibus.bus.policy.BusLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus driver, org.freedesktop.DBus, as a table: each method is a {@link DriverMethod} row (name, in and out
 * signature, flags, handler) of a {@link DriverInterface}; dispatch, signature checks and the Introspect XML
 * all come from the table. Answers, errors and their messages are dbus-daemon's (bus/driver.c).
 * <p>
 * Name changes go through the {@link NameCommandSink}; {@link #apply(NameCommand)} turns the registry's
 * {@link NameChange}s into NameLost, NameOwnerChanged and NameAcquired (in that order) and answers the caller
 * (after the signals, as dbus-daemon does; Hello's reply comes first).
 */
public final class Driver
{
    private static final Logger LOG = LoggerFactory.getLogger(Driver.class);

    private static final String DOCTYPE = "<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection " +
        "1.0//EN\"\n\"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">\n";
    private static final String PEER_INTERFACE = "org.freedesktop.DBus.Peer";
    private static final String PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties";
    private static final String INTROSPECTABLE_INTERFACE = "org.freedesktop.DBus.Introspectable";
    private static final String MONITORING_INTERFACE = "org.freedesktop.DBus.Monitoring";
    /** The durable-subscription interface (an Omnibus extension, at the canonical path). */
    public static final String JOURNAL_INTERFACE = "org.omnibus.Journal";

    private final BusContext context;
    private final PeerRegistry peers;
    private final NameRegistry names;
    private final MatchRegistry matches;
    private final DriverEmitter emitter;
    private final List<DriverInterface> interfaces;
    private final Map<String, String> activationEnvironment = new TreeMap<>();
    private final Map<Long, List<MatchRule>> pendingMonitorRules = new java.util.HashMap<>();
    private NameCommandSink sink;
    private BusConfig config;
    private JournalService journalService;

    /**
     * @param context  concluded context.
     * @param peers    local peers.
     * @param names    the name registry.
     * @param matches  the match registry.
     * @param emitter  where messages go.
     */
    public Driver(
        final BusContext context,
        final PeerRegistry peers,
        final NameRegistry names,
        final MatchRegistry matches,
        final DriverEmitter emitter)
    {
        this.context = context;
        this.peers = peers;
        this.names = names;
        this.matches = matches;
        this.emitter = emitter;
        this.config = context.config();
        this.sink = null != context.nameCommandSink() ? context.nameCommandSink() : this::apply;
        this.interfaces = buildTable();
    }

    /**
     * @param sink where name commands go from now on.
     */
    public void nameCommandSink(final NameCommandSink sink)
    {
        this.sink = sink;
    }

    /**
     * Send a name command to the sink (applied at once on a single node).
     *
     * @param command the command.
     */
    public void submit(final NameCommand command)
    {
        sink.submit(command);
    }

    /**
     * @param config the configuration in force (after ReloadConfig).
     */
    public void config(final BusConfig config)
    {
        this.config = config;
    }

    /**
     * @param service what serves org.omnibus.Journal, or null (NotSupported).
     */
    public void journalService(final JournalService service)
    {
        this.journalService = service;
    }

    /**
     * @return what serves org.omnibus.Journal, or null.
     */
    public JournalService journalService()
    {
        return journalService;
    }

    /**
     * @return the table, in dispatch and introspection order.
     */
    public List<DriverInterface> interfaces()
    {
        return interfaces;
    }

    /**
     * @return the environment UpdateActivationEnvironment set (no activation uses it).
     */
    public Map<String, String> activationEnvironment()
    {
        return Map.copyOf(activationEnvironment);
    }

    private List<DriverInterface> buildTable()
    {
        final int any = DriverMethod.ANY_PATH;
        final List<DriverMethod> dbus = List.of(
            new DriverMethod("Hello", "", "s", any, this::hello),
            new DriverMethod("RequestName", "su", "u", any, this::requestName),
            new DriverMethod("ReleaseName", "s", "u", any, this::releaseName),
            new DriverMethod("StartServiceByName", "su", "u", any, this::startServiceByName),
            new DriverMethod("UpdateActivationEnvironment", "a{ss}", "", DriverMethod.PRIVILEGED,
                this::updateActivationEnvironment),
            new DriverMethod("NameHasOwner", "s", "b", any, this::nameHasOwner),
            new DriverMethod("ListNames", "", "as", any, this::listNames),
            new DriverMethod("ListActivatableNames", "", "as", any,
                (call) -> call.reply("as", List.of(DBusNames.DBUS_SERVICE))),
            new DriverMethod("AddMatch", "s", "", any, this::addMatch),
            new DriverMethod("RemoveMatch", "s", "", any, this::removeMatch),
            new DriverMethod("GetNameOwner", "s", "s", any, this::getNameOwner),
            new DriverMethod("ListQueuedOwners", "s", "as", any, this::listQueuedOwners),
            new DriverMethod("GetConnectionUnixUser", "s", "u", any, this::getConnectionUnixUser),
            new DriverMethod("GetConnectionUnixProcessID", "s", "u", any, this::getConnectionUnixProcessId),
            new DriverMethod("GetAdtAuditSessionData", "s", "ay", any, this::getAdtAuditSessionData),
            new DriverMethod("GetConnectionSELinuxSecurityContext", "s", "ay", any, this::getSelinuxContext),
            new DriverMethod("ReloadConfig", "", "", any, this::reloadConfig),
            new DriverMethod("GetId", "", "s", any, (call) -> call.reply("s", context.busId())),
            new DriverMethod("GetConnectionCredentials", "s", "a{sv}", any, this::getConnectionCredentials));
        final List<DriverProperty> dbusProperties = List.of(
            new DriverProperty("Features", "as", () -> List.of("ActivatableServicesChanged", "HeaderFiltering")),
            new DriverProperty("Interfaces", "as", this::interestingInterfaces));
        final String dbusSignals =
            "    <signal name=\"NameOwnerChanged\">\n" +
            "      <arg type=\"s\"/>\n" +
            "      <arg type=\"s\"/>\n" +
            "      <arg type=\"s\"/>\n" +
            "    </signal>\n" +
            "    <signal name=\"NameLost\">\n" +
            "      <arg type=\"s\"/>\n" +
            "    </signal>\n" +
            "    <signal name=\"NameAcquired\">\n" +
            "      <arg type=\"s\"/>\n" +
            "    </signal>\n" +
            "    <signal name=\"ActivatableServicesChanged\">\n" +
            "    </signal>\n";
        final String propertiesSignals =
            "    <signal name=\"PropertiesChanged\">\n" +
            "      <arg type=\"s\" name=\"interface_name\"/>\n" +
            "      <arg type=\"a{sv}\" name=\"changed_properties\"/>\n" +
            "      <arg type=\"as\" name=\"invalidated_properties\"/>\n" +
            "    </signal>\n";

        final List<DriverInterface> table = new ArrayList<>();
        table.add(new DriverInterface(DBusNames.DBUS_INTERFACE, dbus, dbusProperties, dbusSignals,
            DriverInterface.ANY_PATH | DriverInterface.UNINTERESTING));
        table.add(new DriverInterface(PROPERTIES_INTERFACE, List.of(
            new DriverMethod("Get", "ss", "v", 0, this::propertiesGet),
            new DriverMethod("GetAll", "s", "a{sv}", 0, this::propertiesGetAll),
            new DriverMethod("Set", "ssv", "", 0, this::propertiesSet)),
            List.of(), propertiesSignals, DriverInterface.UNINTERESTING));
        table.add(new DriverInterface(INTROSPECTABLE_INTERFACE, List.of(
            new DriverMethod("Introspect", "", "s", any, (call) -> call.reply("s", introspect(call.message())))),
            List.of(), "", DriverInterface.ANY_PATH | DriverInterface.UNINTERESTING));
        table.add(new DriverInterface(MONITORING_INTERFACE, List.of(
            new DriverMethod("BecomeMonitor", "asu", "", DriverMethod.PRIVILEGED, this::becomeMonitor)),
            List.of(), "", 0));
        table.add(new DriverInterface(PEER_INTERFACE, List.of(
            new DriverMethod("GetMachineId", "", "s", any, (call) -> call.reply("s", context.machineId())),
            new DriverMethod("Ping", "", "", any, DriverCall::ack)),
            List.of(), "", DriverInterface.ANY_PATH | DriverInterface.UNINTERESTING));
        table.add(new DriverInterface(JOURNAL_INTERFACE, List.of(
            new DriverMethod("Subscribe", "st", "tt", 0, this::journalSubscribe),
            new DriverMethod("SubscribeFromTime", "st", "tt", 0, this::journalSubscribeFromTime),
            new DriverMethod("Unsubscribe", "t", "", 0, this::journalUnsubscribe),
            new DriverMethod("GetPosition", "", "tt", 0, this::journalPosition)),
            List.of(), "", context.clustered() ? 0 : DriverInterface.HIDDEN));
        return List.copyOf(table);
    }

    private List<String> interestingInterfaces()
    {
        final List<String> result = new ArrayList<>();
        for (final DriverInterface ih : interfaces)
        {
            if ((ih.flags() & (DriverInterface.UNINTERESTING | DriverInterface.HIDDEN)) == 0)
            {
                result.add(ih.name());
            }
        }
        return result;
    }

    /**
     * Handle a message addressed to org.freedesktop.DBus (bus_driver_handle_message). The caller checked that
     * the sender may send it (registration and send policy). Non-method-calls are ignored.
     *
     * @param caller  the sending peer.
     * @param message the message.
     * @param nowNs   current time.
     */
    public void handle(final Peer caller, final MessageView message, final long nowNs)
    {
        if (message.type() != MessageType.METHOD_CALL)
        {
            return;
        }
        final CharSequence iface = message.interfaceName();
        final CharSequence member = message.member();
        final boolean canonical = isCanonicalPath(message.path());
        boolean foundInterface = false;
        for (final DriverInterface ih : interfaces)
        {
            if (!canonical && (ih.flags() & DriverInterface.ANY_PATH) == 0)
            {
                continue;
            }
            if (null != iface && !ih.name().contentEquals(iface))
            {
                continue;
            }
            foundInterface = true;
            final DriverMethod method = null == member ? null : ih.method(member);
            if (null == method)
            {
                continue;
            }
            final DriverCall call = new DriverCall(this, caller, message, nowNs);
            if ((method.flags() & DriverMethod.PRIVILEGED) != 0 && !checkPrivileged(call))
            {
                return;
            }
            if (!canonical && (method.flags() & DriverMethod.ANY_PATH) == 0)
            {
                call.error(DBusErrors.ACCESS_DENIED, "Method '" + member +
                    "' is only available at the canonical object path '" + DBusNames.DBUS_PATH + "'");
                return;
            }
            final String signature = null == message.signature() ? "" : message.signature().toString();
            if (!signature.equals(method.inSignature()))
            {
                call.error(DBusErrors.INVALID_ARGS, "Call to " + member + " has wrong args (" + signature +
                    ", expected " + method.inSignature() + ")\n");
                return;
            }
            try
            {
                method.handler().handle(call);
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("driver method {} failed", member, ex);
                if (!call.answered())
                {
                    call.error(DBusErrors.FAILED, "Failed to handle " + member + ": " + ex.getMessage());
                }
            }
            return;
        }
        sendError(caller, message, foundInterface ? DBusErrors.UNKNOWN_METHOD : DBusErrors.UNKNOWN_INTERFACE,
            DBusNames.DBUS_SERVICE + " does not understand message " + member);
    }

    /**
     * Answer a method call that has no destination, as dbus-daemon's own libdbus connection does: only the
     * org.freedesktop.DBus.Peer interface, and the answers carry no sender.
     *
     * @param caller  the sending peer.
     * @param message a method call without destination.
     */
    public void handleWithoutDestination(final Peer caller, final MessageView message)
    {
        final CharSequence iface = message.interfaceName();
        final CharSequence member = message.member();
        SimpleMessage answer;
        if (null != iface && PEER_INTERFACE.contentEquals(iface))
        {
            if (null != member && "Ping".contentEquals(member))
            {
                answer = SimpleMessage.methodReturn(null, message.serial());
            }
            else if (null != member && "GetMachineId".contentEquals(member))
            {
                answer = SimpleMessage.methodReturn(null, message.serial()).body("s", context.machineId());
            }
            else
            {
                answer = SimpleMessage.error(null, message.serial(), DBusErrors.UNKNOWN_METHOD,
                    "Unknown method invoked on org.freedesktop.DBus.Peer interface");
            }
        }
        else
        {
            answer = SimpleMessage.error(null, message.serial(), DBusErrors.UNKNOWN_METHOD,
                "Method \"" + member + "\" with signature \"" + (null == message.signature() ? "" :
                message.signature()) + "\" on interface \"" + iface + "\" doesn't exist\n");
        }
        answer.flags(MessageFlags.NO_REPLY_EXPECTED);
        emitter.unicast(caller, answer, true);
    }

    /**
     * Apply a name command (at once on a single node; on delivery in a cluster, on every node in the same
     * order): change the registry, emit the resulting signals to local peers and answer a local caller.
     *
     * @param command the command.
     */
    public void apply(final NameCommand command)
    {
        final List<NameChange> changes = new ArrayList<>(2);
        switch (command.kind())
        {
            case REGISTER:
            {
                final NameChange change = names.register(command.peerId(), command.credentials());
                final Peer peer = peers.get(command.peerId());
                if (null != peer && peer.state() == Peer.STATE_CONNECTED)
                {
                    completeHello(peer, command.serial());
                }
                emitChange(change);
                break;
            }
            case REQUEST_NAME:
            {
                if (null == names.owner(command.peerId()))
                {
                    return;
                }
                final int result = names.requestName(
                    command.peerId(), command.name(), command.flags(), command.maxNames(), changes);
                final Peer peer = peers.get(command.peerId());
                if (result == NameFlags.REQUEST_LIMITS_EXCEEDED)
                {
                    final String text = "Connection \"" + PeerIds.uniqueName(command.peerId()) +
                        "\" is not allowed to own more services (increase limits in configuration file if " +
                        "required; max_names_per_connection=" + command.maxNames() + ")";
                    LOG.warn("{}", text);
                    if (null != peer)
                    {
                        emitter.unicast(peer, errorTo(peer, command.serial(), DBusErrors.LIMITS_EXCEEDED, text), true);
                    }
                    return;
                }
                emitChanges(changes);
                if (null != peer)
                {
                    emitter.unicast(peer, returnTo(peer, command.serial()).body("u", (long)result), true);
                }
                break;
            }
            case RELEASE_NAME:
            {
                if (null == names.owner(command.peerId()))
                {
                    return;
                }
                final int result = names.releaseName(command.peerId(), command.name(), changes);
                emitChanges(changes);
                final Peer peer = peers.get(command.peerId());
                if (null != peer)
                {
                    emitter.unicast(peer, returnTo(peer, command.serial()).body("u", (long)result), true);
                }
                break;
            }
            case UNREGISTER:
                unregister(command.peerId(), changes);
                break;
            case BECOME_MONITOR:
            {
                names.unregisterInJoinOrder(command.peerId(), changes);
                emitChanges(changes);
                completeMonitor(command.peerId());
                if (null != unregisterListener)
                {
                    unregisterListener.accept(command.peerId());
                }
                break;
            }
            case UNREGISTER_NODE:
                for (final long id : names.ownersOnNode(command.peerId()))
                {
                    unregister(id, changes);
                    changes.clear();
                }
                break;
            default:
                throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /**
     * A local peer's Hello took effect: it is registered; answer Hello with its unique name (NameOwnerChanged and
     * NameAcquired follow from the change).
     *
     * @param peer   the peer, connected.
     * @param serial Hello's serial.
     */
    public void completeHello(final Peer peer, final int serial)
    {
        peer.state(Peer.STATE_REGISTERED);
        peer.helloPending(false);
        emitter.unicast(peer, returnTo(peer, serial).body("s", peer.uniqueName()), true);
    }

    /**
     * A local peer's BecomeMonitor took effect (its names are released): it becomes a monitor with the rules it
     * asked for.
     *
     * @param peerId the peer.
     * @return true when a local registered peer was waiting to become a monitor and now is one.
     */
    public boolean completeMonitor(final long peerId)
    {
        final List<MatchRule> rules = pendingMonitorRules.remove(peerId);
        final Peer peer = peers.get(peerId);
        if (null != peer && null != rules && peer.state() == Peer.STATE_REGISTERED)
        {
            matches.removeAll(peer);
            peer.state(Peer.STATE_MONITOR);
            for (final MatchRule rule : rules)
            {
                matches.addMonitorRule(peer, rule);
            }
            LOG.info("Connection {} ({}) became a monitor.", peer.uniqueName(), peer.loginfo());
            return true;
        }
        return false;
    }

    /**
     * The name registry was replaced by a state transfer: drop the match rules that name a unique name that is
     * gone, as a departure does.
     *
     * @param uniqueName a unique name no longer registered.
     */
    public void forgetUniqueName(final String uniqueName)
    {
        matches.removeReferencing(uniqueName);
    }

    private void unregister(final long peerId, final List<NameChange> changes)
    {
        final NameRegistry.Owner owner = names.owner(peerId);
        if (null == owner)
        {
            return;
        }
        matches.removeReferencing(owner.uniqueName());
        names.unregister(peerId, changes);
        emitChanges(changes);
        if (null != unregisterListener)
        {
            unregisterListener.accept(peerId);
        }
    }

    private java.util.function.LongConsumer unregisterListener;

    /**
     * @param listener told about every peer whose names were released (local or remote), after the signals.
     */
    public void unregisterListener(final java.util.function.LongConsumer listener)
    {
        this.unregisterListener = listener;
    }

    private void emitChanges(final List<NameChange> changes)
    {
        for (final NameChange change : changes)
        {
            emitChange(change);
        }
    }

    /**
     * Emit the signals of one change: NameLost to the old owner, NameOwnerChanged to the matching peers,
     * NameAcquired to the new owner (each only to local, connected peers).
     *
     * @param change the change.
     */
    public void emitChange(final NameChange change)
    {
        if (null != change.oldOwner())
        {
            final Peer old = peers.find(change.oldOwner());
            if (null != old && old.state() == Peer.STATE_REGISTERED)
            {
                emitter.unicast(old, nameSignal("NameLost", old, change.name()), false);
            }
        }
        emitter.broadcast(driverSignal("NameOwnerChanged")
            .body("sss", change.name(), change.oldOwnerArg(), change.newOwnerArg()));
        if (null != change.newOwner())
        {
            final Peer now = peers.find(change.newOwner());
            if (null != now && now.state() == Peer.STATE_REGISTERED)
            {
                emitter.unicast(now, nameSignal("NameAcquired", now, change.name()), false);
            }
        }
    }

    /**
     * Tell a caller its call will get no reply (NoReply error from the driver).
     *
     * @param caller             the caller.
     * @param serial             its call's serial.
     * @param calleeDisconnected true when the callee disconnected, false on timeout.
     */
    public void sendNoReply(final Peer caller, final int serial, final boolean calleeDisconnected)
    {
        emitter.unicast(caller, errorTo(caller, serial, DBusErrors.NO_REPLY, calleeDisconnected ?
            org.omnibus.bus.reply.ReplyRegistry.CALLEE_DISCONNECTED_MESSAGE :
            org.omnibus.bus.reply.ReplyRegistry.TIMEOUT_MESSAGE), true);
    }

    void sendReply(final Peer caller, final MessageView call, final String signature, final Object... values)
    {
        emitter.unicast(caller, returnTo(caller, call.serial()).body(signature, values), true);
    }

    /**
     * Send an error from the driver to a peer in reply to a message.
     *
     * @param caller    the peer.
     * @param call      the message answered.
     * @param errorName error name.
     * @param text      error message.
     */
    public void sendError(final Peer caller, final MessageView call, final String errorName, final String text)
    {
        emitter.unicast(caller, errorTo(caller, call.serial(), errorName, text), true);
    }

    private static SimpleMessage returnTo(final Peer peer, final int serial)
    {
        return SimpleMessage.methodReturn(destinationOf(peer), serial).sender(DBusNames.DBUS_SERVICE)
            .flags(MessageFlags.NO_REPLY_EXPECTED);
    }

    private static SimpleMessage errorTo(final Peer peer, final int serial, final String name, final String text)
    {
        return SimpleMessage.error(destinationOf(peer), serial, name, text).sender(DBusNames.DBUS_SERVICE)
            .flags(MessageFlags.NO_REPLY_EXPECTED);
    }

    private static String destinationOf(final Peer peer)
    {
        // dbus-daemon only sets the destination once the connection is active (has a unique name)
        return peer.state() == Peer.STATE_CONNECTED && !peer.isHelloPending() ? null : peer.uniqueName();
    }

    private static SimpleMessage driverSignal(final String member)
    {
        return SimpleMessage.signal(DBusNames.DBUS_PATH, DBusNames.DBUS_INTERFACE, member)
            .sender(DBusNames.DBUS_SERVICE).flags(MessageFlags.NO_REPLY_EXPECTED);
    }

    private static SimpleMessage nameSignal(final String member, final Peer to, final String name)
    {
        return driverSignal(member).destination(to.uniqueName()).body("s", name);
    }

    private static boolean isCanonicalPath(final CharSequence path)
    {
        return null != path && DBusNames.DBUS_PATH.contentEquals(path);
    }

    private static String connectionName(final Peer peer)
    {
        return peer.isRegistered() ? peer.uniqueName() : "(inactive)";
    }

    private boolean checkPrivileged(final DriverCall call)
    {
        final Peer caller = call.caller();
        final long uid = caller.credentials().uid();
        final String method = String.valueOf(call.message().member());
        final String text;
        if (uid == PeerCredentials.UNKNOWN)
        {
            text = "rejected attempt to call " + method + " by connection " + connectionName(caller) + " (" +
                caller.loginfo() + ") with unknown uid";
        }
        else if (uid == context.busUid() || uid == 0)
        {
            return true;
        }
        else
        {
            text = "rejected attempt to call " + method + " by connection " + connectionName(caller) + " (" +
                caller.loginfo() + ") with uid " + uid;
        }
        LOG.warn("{}", text);
        call.error(DBusErrors.ACCESS_DENIED, text);
        return false;
    }

    private BusLimits limits()
    {
        return config.limits();
    }

    private void hello(final DriverCall call)
    {
        final Peer caller = call.caller();
        if (caller.state() != Peer.STATE_CONNECTED || caller.isHelloPending())
        {
            call.error(DBusErrors.FAILED, "Already handled an Hello message");
            return;
        }
        if (peers.registeredCount() >= limits().maxCompletedConnections())
        {
            final String text = "The maximum number of active connections has been reached";
            LOG.warn("{} (max_completed_connections={})", text, limits().maxCompletedConnections());
            call.error(DBusErrors.LIMITS_EXCEEDED, text);
            return;
        }
        final long uid = caller.credentials().uid();
        if (uid != PeerCredentials.UNKNOWN && peers.registeredCountForUid(uid) >= limits().maxConnectionsPerUser())
        {
            final String text = "The maximum number of active connections for UID " + uid + " has been reached";
            LOG.warn("{} (max_connections_per_user={})", text, limits().maxConnectionsPerUser());
            call.error(DBusErrors.LIMITS_EXCEEDED, text);
            return;
        }
        caller.helloPending(true);
        caller.helloSerial(call.message().serial());
        call.deferred();
        sink.submit(NameCommand.register(caller.id(), caller.credentials(), call.message().serial()));
    }

    private void requestName(final DriverCall call)
    {
        final Peer caller = call.caller();
        final String name = call.stringArg(0);
        final int flags = (int)call.uint32Arg(1);
        if (!DBusNames.isValidBusName(name))
        {
            call.error(DBusErrors.INVALID_ARGS, "Requested bus name \"" + name + "\" is not valid");
            return;
        }
        if (DBusNames.isUniqueName(name))
        {
            call.error(DBusErrors.INVALID_ARGS, "Cannot acquire a service starting with ':' such as \"" + name +
                "\"");
            return;
        }
        if (DBusNames.DBUS_SERVICE.equals(name))
        {
            call.error(DBusErrors.INVALID_ARGS, "Connection \"" + connectionName(caller) + "\" is not allowed to " +
                "own the service \"" + DBusNames.DBUS_SERVICE + "\"because it is reserved for D-Bus' use only");
            return;
        }
        if (!caller.policy().canOwn(name))
        {
            call.error(DBusErrors.ACCESS_DENIED, "Connection \"" + connectionName(caller) + "\" is not allowed " +
                "to own the service \"" + name + "\" due to security policies in the configuration file");
            return;
        }
        call.deferred();
        sink.submit(NameCommand.requestName(
            caller.id(), name, flags, limits().maxNamesPerConnection(), call.message().serial()));
    }

    private void releaseName(final DriverCall call)
    {
        final String name = call.stringArg(0);
        if (!DBusNames.isValidBusName(name))
        {
            call.error(DBusErrors.INVALID_ARGS, "Given bus name \"" + name + "\" is not valid");
            return;
        }
        if (DBusNames.isUniqueName(name))
        {
            call.error(DBusErrors.INVALID_ARGS, "Cannot release a service starting with ':' such as \"" + name +
                "\"");
            return;
        }
        if (DBusNames.DBUS_SERVICE.equals(name))
        {
            call.error(DBusErrors.INVALID_ARGS, "Cannot release the " + DBusNames.DBUS_SERVICE +
                " service because it is owned by the bus");
            return;
        }
        call.deferred();
        sink.submit(NameCommand.releaseName(call.caller().id(), name, call.message().serial()));
    }

    /**
     * dbus-daemon looks for the name's .service file before anything else, even when the name has an owner; there
     * are no .service files here, so the answer is always ServiceUnknown.
     */
    private void startServiceByName(final DriverCall call)
    {
        call.error(DBusErrors.SERVICE_UNKNOWN,
            "The name " + call.stringArg(0) + " was not provided by any .service files");
    }

    @SuppressWarnings("unchecked")
    private void updateActivationEnvironment(final DriverCall call)
    {
        if (null != config.serviceHelper() || "system".equals(config.type()))
        {
            call.error(DBusErrors.ACCESS_DENIED, "Cannot change activation environment on a system bus.");
            return;
        }
        final Map<String, String> env = (Map<String, String>)call.arg(0);
        activationEnvironment.putAll(env);
        call.ack();
    }

    @SuppressWarnings("unchecked")
    private void becomeMonitor(final DriverCall call)
    {
        final List<String> texts = (List<String>)call.arg(0);
        final long flags = call.uint32Arg(1);
        if (flags != 0)
        {
            call.error(DBusErrors.INVALID_ARGS, "BecomeMonitor does not support any flags yet");
            return;
        }
        final List<MatchRule> rules = new ArrayList<>();
        try
        {
            for (final String text : texts.isEmpty() ? List.of("") : texts)
            {
                rules.add(MatchRuleParser.parseMonitorRule(text));
            }
        }
        catch (final MatchRuleException ex)
        {
            call.error(ex.errorName(), ex.getMessage());
            return;
        }
        final Peer caller = call.caller();
        if (!caller.isRegistered())
        {
            call.error(DBusErrors.FAILED, "Connection is not registered");
            return;
        }
        // the ack goes first: then the caller loses its names, then it only receives
        call.ack();
        pendingMonitorRules.put(caller.id(), rules);
        sink.submit(NameCommand.becomeMonitor(caller.id()));
    }

    private void nameHasOwner(final DriverCall call)
    {
        final String name = call.stringArg(0);
        call.reply("b", DBusNames.DBUS_SERVICE.equals(name) || names.hasOwner(name));
    }

    private void listNames(final DriverCall call)
    {
        final List<String> result = new ArrayList<>(names.size() + 1);
        result.add(DBusNames.DBUS_SERVICE);
        result.addAll(names.listNames());
        call.reply("as", result);
    }

    private JournalService journalOrError(final DriverCall call)
    {
        if (null == journalService)
        {
            call.error(DBusErrors.NOT_SUPPORTED, "this bus keeps no journal: durable subscriptions need a node " +
                "running in cluster mode with its journal on");
        }
        return journalService;
    }

    /**
     * The rule of a durable subscription: dbus-daemon's syntax, for broadcast signals only.
     */
    private static MatchRule durableRule(final DriverCall call)
    {
        final MatchRule rule;
        try
        {
            rule = MatchRuleParser.parse(call.stringArg(0));
        }
        catch (final MatchRuleException ex)
        {
            call.error(ex.errorName(), ex.getMessage());
            return null;
        }
        if (rule.isEavesdropping() || null != rule.destination())
        {
            call.error(DBusErrors.MATCH_RULE_INVALID,
                "a durable subscription receives broadcast signals only: no destination key, no eavesdropping");
            return null;
        }
        if (rule.messageType() != MessageType.INVALID && rule.messageType() != MessageType.SIGNAL)
        {
            call.error(DBusErrors.MATCH_RULE_INVALID, "a durable subscription receives signals only: type='" +
                MessageType.toString(rule.messageType()) + "'");
            return null;
        }
        return rule;
    }

    private static long unsignedArg(final DriverCall call, final int index, final String what)
    {
        final long value = ((Number)call.arg(index)).longValue();
        if (value < 0)
        {
            call.error(DBusErrors.INVALID_ARGS, what + " " + Long.toUnsignedString(value) + " is out of range");
        }
        return value;
    }

    private void journalSubscribe(final DriverCall call)
    {
        final JournalService service = journalOrError(call);
        final MatchRule rule = null == service ? null : durableRule(call);
        if (null != rule)
        {
            final long fromSeq = unsignedArg(call, 1, "from_seq");
            if (fromSeq >= 0)
            {
                service.subscribe(call, rule, fromSeq);
            }
        }
    }

    private void journalSubscribeFromTime(final DriverCall call)
    {
        final JournalService service = journalOrError(call);
        final MatchRule rule = null == service ? null : durableRule(call);
        if (null != rule)
        {
            final long timeNs = unsignedArg(call, 1, "unix_time_ns");
            if (timeNs >= 0)
            {
                service.subscribeFromTime(call, rule, timeNs);
            }
        }
    }

    private void journalUnsubscribe(final DriverCall call)
    {
        final JournalService service = journalOrError(call);
        if (null != service)
        {
            service.unsubscribe(call, ((Number)call.arg(0)).longValue());
        }
    }

    private void journalPosition(final DriverCall call)
    {
        final JournalService service = journalOrError(call);
        if (null != service)
        {
            service.position(call);
        }
    }

    private void addMatch(final DriverCall call)
    {
        final Peer caller = call.caller();
        final int limit = limits().maxMatchRulesPerConnection();
        if (matches.count(caller) >= limit)
        {
            final String text = "Connection \"" + connectionName(caller) + "\" is not allowed to add more match " +
                "rules (increase limits in configuration file if required; max_match_rules_per_connection=" +
                limit + ")";
            LOG.warn("{}", text);
            call.error(DBusErrors.LIMITS_EXCEEDED, text);
            return;
        }
        final MatchRule rule;
        try
        {
            rule = MatchRuleParser.parse(call.stringArg(0));
        }
        catch (final MatchRuleException ex)
        {
            call.error(ex.errorName(), ex.getMessage());
            return;
        }
        if (rule.isEavesdropping() && !checkPrivileged(call))
        {
            return;
        }
        matches.add(caller, rule);
        call.ack();
    }

    private void removeMatch(final DriverCall call)
    {
        final MatchRule rule;
        try
        {
            rule = MatchRuleParser.parse(call.stringArg(0));
        }
        catch (final MatchRuleException ex)
        {
            call.error(ex.errorName(), ex.getMessage());
            return;
        }
        if (!matches.remove(call.caller(), rule))
        {
            call.error(DBusErrors.MATCH_RULE_NOT_FOUND, "The given match rule wasn't found and can't be removed");
            return;
        }
        call.ack();
    }

    private void getNameOwner(final DriverCall call)
    {
        final String name = call.stringArg(0);
        if (DBusNames.DBUS_SERVICE.equals(name))
        {
            call.reply("s", DBusNames.DBUS_SERVICE);
            return;
        }
        final NameRegistry.Owner owner = names.primaryOwner(name);
        if (null == owner)
        {
            call.error(DBusErrors.NAME_HAS_NO_OWNER, "Could not get owner of name '" + name + "': no such name");
            return;
        }
        call.reply("s", owner.uniqueName());
    }

    private void listQueuedOwners(final DriverCall call)
    {
        final String name = call.stringArg(0);
        if (DBusNames.DBUS_SERVICE.equals(name))
        {
            call.reply("as", List.of(DBusNames.DBUS_SERVICE));
            return;
        }
        final List<String> owners = names.queuedOwners(name);
        if (null == owners)
        {
            call.error(DBusErrors.NAME_HAS_NO_OWNER, "Could not get owners of name '" + name + "': no such name");
            return;
        }
        call.reply("as", owners);
    }

    /** Marker for "the bus itself" in connection lookups. */
    private static final NameRegistry.Owner SELF = null;

    /**
     * bus_driver_get_conn_helper: the owner of the name in argument 0.
     *
     * @return true and sets {@code found[0]} (null for the bus itself); false after answering with an error.
     */
    private boolean lookupConnection(final DriverCall call, final String what, final NameRegistry.Owner[] found)
    {
        final String name = call.stringArg(0);
        if (DBusNames.DBUS_SERVICE.equals(name))
        {
            found[0] = SELF;
            return true;
        }
        final NameRegistry.Owner owner = names.primaryOwner(name);
        if (null == owner)
        {
            call.error(DBusErrors.NAME_HAS_NO_OWNER, "Could not get " + what + " of name '" + name +
                "': no such name");
            return false;
        }
        found[0] = owner;
        return true;
    }

    private void getConnectionUnixUser(final DriverCall call)
    {
        final NameRegistry.Owner[] found = new NameRegistry.Owner[1];
        if (!lookupConnection(call, "UID", found))
        {
            return;
        }
        final long uid = null == found[0] ? context.busUid() : found[0].credentials().uid();
        if (uid < 0)
        {
            call.error(DBusErrors.FAILED, "Could not determine UID for '" + call.stringArg(0) + "'");
            return;
        }
        call.reply("u", uid);
    }

    private void getConnectionUnixProcessId(final DriverCall call)
    {
        final NameRegistry.Owner[] found = new NameRegistry.Owner[1];
        if (!lookupConnection(call, "PID", found))
        {
            return;
        }
        final long pid = null == found[0] ? context.busPid() : found[0].credentials().pid();
        if (pid < 0 || pid > 0xFFFF_FFFFL)
        {
            call.error(DBusErrors.UNIX_PROCESS_ID_UNKNOWN, "Could not determine PID for '" + call.stringArg(0) +
                "'");
            return;
        }
        call.reply("u", pid);
    }

    private void getAdtAuditSessionData(final DriverCall call)
    {
        final NameRegistry.Owner[] found = new NameRegistry.Owner[1];
        if (lookupConnection(call, "audit session data", found))
        {
            call.error(DBusErrors.ADT_AUDIT_DATA_UNKNOWN, "Could not determine audit session data for '" +
                call.stringArg(0) + "'");
        }
    }

    private void getSelinuxContext(final DriverCall call)
    {
        final NameRegistry.Owner[] found = new NameRegistry.Owner[1];
        if (lookupConnection(call, "security context", found))
        {
            call.error(DBusErrors.SELINUX_SECURITY_CONTEXT_UNKNOWN, "Could not determine security context for '" +
                call.stringArg(0) + "'");
        }
    }

    private void getConnectionCredentials(final DriverCall call)
    {
        final NameRegistry.Owner[] found = new NameRegistry.Owner[1];
        if (!lookupConnection(call, "credentials", found))
        {
            return;
        }
        final Map<String, DBusVariant> result = new LinkedHashMap<>();
        if (null == found[0])
        {
            if (context.busPid() >= 0)
            {
                result.put("ProcessID", new DBusVariant("u", context.busPid()));
            }
            if (context.busUid() >= 0)
            {
                result.put("UnixUserID", new DBusVariant("u", context.busUid()));
            }
        }
        else
        {
            final PeerCredentials credentials = found[0].credentials();
            if (credentials.pid() >= 0 && credentials.pid() <= 0xFFFF_FFFFL)
            {
                result.put("ProcessID", new DBusVariant("u", credentials.pid()));
            }
            if (credentials.uid() >= 0 && credentials.uid() <= 0xFFFF_FFFFL)
            {
                result.put("UnixUserID", new DBusVariant("u", credentials.uid()));
            }
            if (credentials.gidCount() > 0)
            {
                final List<Long> gids = new ArrayList<>(credentials.gidCount());
                for (int i = 0; i < credentials.gidCount(); i++)
                {
                    gids.add(credentials.gid(i));
                }
                result.put("UnixGroupIDs", new DBusVariant("au", gids));
            }
            final byte[] label = credentials.securityLabel();
            if (null != label)
            {
                // GVariant bytestring convention: the trailing NUL is included
                final byte[] withNul = java.util.Arrays.copyOf(label, label.length + 1);
                result.put("LinuxSecurityLabel", new DBusVariant("ay", withNul));
            }
        }
        call.reply("a{sv}", result);
    }

    private void reloadConfig(final DriverCall call)
    {
        final BusContext.ConfigReloader reloader = context.configReloader();
        if (null != reloader)
        {
            try
            {
                final BusConfig newConfig = reloader.reload();
                if (null != newConfig && null != reloadListener)
                {
                    reloadListener.accept(newConfig);
                }
            }
            catch (final Exception ex)
            {
                call.error(DBusErrors.FAILED, String.valueOf(ex.getMessage()));
                return;
            }
        }
        call.reply("");
    }

    private java.util.function.Consumer<BusConfig> reloadListener;

    /**
     * @param listener told about a configuration ReloadConfig loaded.
     */
    public void reloadListener(final java.util.function.Consumer<BusConfig> listener)
    {
        this.reloadListener = listener;
    }

    private DriverInterface findInterface(final DriverCall call, final String name)
    {
        for (final DriverInterface ih : interfaces)
        {
            if (ih.name().equals(name))
            {
                return ih;
            }
        }
        call.error(DBusErrors.UNKNOWN_INTERFACE, "Interface \"" + name + "\" not found");
        return null;
    }

    private void propertiesGet(final DriverCall call)
    {
        final String iface = call.stringArg(0);
        final String prop = call.stringArg(1);
        final DriverInterface ih = findInterface(call, iface);
        if (null == ih)
        {
            return;
        }
        final DriverProperty property = ih.property(prop);
        if (null == property)
        {
            call.error(DBusErrors.UNKNOWN_PROPERTY, "Property \"" + iface + "." + prop + "\" not found");
            return;
        }
        call.reply("v", new DBusVariant(property.type(), property.getter().get()));
    }

    private void propertiesGetAll(final DriverCall call)
    {
        final DriverInterface ih = findInterface(call, call.stringArg(0));
        if (null == ih)
        {
            return;
        }
        final Map<String, DBusVariant> result = new LinkedHashMap<>();
        for (final DriverProperty property : ih.properties())
        {
            result.put(property.name(), new DBusVariant(property.type(), property.getter().get()));
        }
        call.reply("a{sv}", result);
    }

    private void propertiesSet(final DriverCall call)
    {
        final String iface = call.stringArg(0);
        final String prop = call.stringArg(1);
        final DriverInterface ih = findInterface(call, iface);
        if (null == ih)
        {
            return;
        }
        if (null == ih.property(prop))
        {
            call.error(DBusErrors.UNKNOWN_PROPERTY, "Property \"" + iface + "." + prop + "\" not found");
            return;
        }
        call.error(DBusErrors.PROPERTY_READ_ONLY, "Property '" + iface + "." + prop + "' cannot be set");
    }

    /**
     * The Introspect XML for an object path, generated from the table as dbus-daemon does.
     *
     * @param message the Introspect call (its path decides what is listed).
     * @return the XML.
     */
    public String introspect(final MessageView message)
    {
        final CharSequence path = message.path();
        final boolean canonical = isCanonicalPath(path);
        final StringBuilder xml = new StringBuilder(4096);
        xml.append(DOCTYPE).append("<node>\n");
        for (final DriverInterface ih : interfaces)
        {
            if ((!canonical && (ih.flags() & DriverInterface.ANY_PATH) == 0) ||
                (ih.flags() & DriverInterface.HIDDEN) != 0)
            {
                continue;
            }
            xml.append("  <interface name=\"").append(ih.name()).append("\">\n");
            for (final DriverMethod method : ih.methods())
            {
                xml.append("    <method name=\"").append(method.name()).append("\">\n");
                for (final String type : Signatures.split(method.inSignature()))
                {
                    xml.append("      <arg direction=\"in\" type=\"").append(type).append("\"/>\n");
                }
                for (final String type : Signatures.split(method.outSignature()))
                {
                    xml.append("      <arg direction=\"out\" type=\"").append(type).append("\"/>\n");
                }
                xml.append("    </method>\n");
            }
            for (final DriverProperty property : ih.properties())
            {
                xml.append("    <property name=\"").append(property.name()).append("\" type=\"")
                    .append(property.type()).append("\" access=\"read\">\n")
                    .append("      <annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" ")
                    .append("value=\"const\"/>\n    </property>\n");
            }
            xml.append(ih.extraIntrospection()).append("  </interface>\n");
        }
        if (null != path)
        {
            if ("/".contentEquals(path))
            {
                xml.append("  <node name=\"org/freedesktop/DBus\"/>\n");
            }
            else if ("/org".contentEquals(path))
            {
                xml.append("  <node name=\"freedesktop/DBus\"/>\n");
            }
            else if ("/org/freedesktop".contentEquals(path))
            {
                xml.append("  <node name=\"DBus\"/>\n");
            }
        }
        return xml.append("</node>\n").toString();
    }
}
