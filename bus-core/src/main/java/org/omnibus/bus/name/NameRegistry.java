package org.omnibus.bus.name;

import java.util.ArrayList;
import java.util.List;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.bus.policy.NameOwnershipView;
import org.omnibus.bus.util.CharSequenceMap;

/**
 * The name registry: which peer owns which name, and who waits in each name's queue.
 * <p>
 * Commands ({@link #register}, {@link #requestName}, {@link #releaseName}, {@link #unregister}) change the state
 * and report {@link NameChange} records instead of acting; the caller turns them into signals. The semantics are
 * those of dbus-daemon's bus/services.c, queue positions included (a queued REPLACE_EXISTING request goes right
 * behind the primary owner; a displaced owner that may queue goes right behind the new one; a connection that is
 * disconnected gives up its names in the reverse order it acquired or queued for them, its unique name last).
 * <p>
 * Deterministic: the cluster replicates these commands through a total order, and the same command sequence
 * yields the same state and the same changes on every node. No iteration depends on identity hashes.
 * <p>
 * The registry holds the owners of every node (peers are known by id, see {@link PeerIds}); it holds both unique
 * names (registered at Hello) and well-known names. Validation of names and policy checks are the caller's job.
 * It also remembers, per node, the highest connection id ever registered, so that a restarted node never hands
 * out a unique name again ({@link #highestConnectionId(long)}).
 * <p>
 * {@link #exportState()} and {@link #importState(NameRegistryState)} move the whole state to another node (state
 * transfer); the imported registry answers every later command exactly as the original would.
 */
public final class NameRegistry implements NameOwnershipView
{
    private final CharSequenceMap<Name> names = new CharSequenceMap<>(64);
    private final Long2ObjectHashMap<Owner> owners = new Long2ObjectHashMap<>();
    private final Long2LongHashMap highestConnectionIds = new Long2LongHashMap(NO_CONNECTION);
    private int wellKnownCount;

    /** {@link #highestConnectionId(long)} of a node that never registered a peer. */
    public static final long NO_CONNECTION = -1L;

    /**
     * A registered peer as the name registry knows it.
     */
    public static final class Owner
    {
        private final long id;
        private final String uniqueName;
        private final PeerCredentials credentials;
        private final ArrayList<Name> owned = new ArrayList<>();

        Owner(final long id, final PeerCredentials credentials)
        {
            this.id = id;
            this.uniqueName = PeerIds.uniqueName(id);
            this.credentials = credentials;
        }

        /**
         * @return packed peer id.
         */
        public long id()
        {
            return id;
        }

        /**
         * @return unique name.
         */
        public String uniqueName()
        {
            return uniqueName;
        }

        /**
         * @return credentials given at registration (replicated, so any node can answer
         * GetConnectionCredentials).
         */
        public PeerCredentials credentials()
        {
            return credentials;
        }

        /**
         * @return number of names owned or queued for, the unique name included (dbus-daemon counts them all
         * against max_names_per_connection).
         */
        public int ownedCount()
        {
            return owned.size();
        }

        /**
         * @param index 0 &lt;= index &lt; {@link #ownedCount()}, in the order the names were joined.
         * @return the name.
         */
        public String ownedName(final int index)
        {
            return owned.get(index).name;
        }

        /**
         * @param index 0 &lt;= index &lt; {@link #ownedCount()}.
         * @return true when this owner is the primary owner of that name.
         */
        public boolean isPrimary(final int index)
        {
            return owned.get(index).primary() == this;
        }
    }

    static final class Ownership
    {
        final Owner owner;
        int flags;

        Ownership(final Owner owner, final int flags)
        {
            this.owner = owner;
            this.flags = flags;
        }

        boolean allowsReplacement()
        {
            return (flags & NameFlags.ALLOW_REPLACEMENT) != 0;
        }

        boolean doNotQueue()
        {
            return (flags & NameFlags.DO_NOT_QUEUE) != 0;
        }
    }

    static final class Name
    {
        final String name;
        final ArrayList<Ownership> queue = new ArrayList<>(2);

        Name(final String name)
        {
            this.name = name;
        }

        Owner primary()
        {
            return queue.isEmpty() ? null : queue.get(0).owner;
        }

        int indexOf(final Owner owner)
        {
            for (int i = 0, n = queue.size(); i < n; i++)
            {
                if (queue.get(i).owner == owner)
                {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Register a peer's unique name (Hello).
     *
     * @param id          packed peer id.
     * @param credentials its credentials.
     * @return the change: the unique name gets its owner.
     * @throws IllegalStateException if the peer is already registered.
     */
    public NameChange register(final long id, final PeerCredentials credentials)
    {
        if (owners.containsKey(id))
        {
            throw new IllegalStateException("already registered: " + PeerIds.uniqueName(id));
        }
        final Owner owner = new Owner(id, credentials);
        owners.put(id, owner);
        final long nodeId = PeerIds.nodeId(id);
        if (PeerIds.connectionId(id) > highestConnectionIds.get(nodeId))
        {
            highestConnectionIds.put(nodeId, PeerIds.connectionId(id));
        }
        final Name name = new Name(owner.uniqueName);
        names.put(name.name, name);
        addOwner(name, owner, 0);
        return new NameChange(name.name, null, owner.uniqueName);
    }

    /**
     * RequestName, as dbus-daemon's bus_registry_acquire_service once the name is validated and allowed.
     *
     * @param id       the requesting peer, registered.
     * @param name     a valid well-known name (not the driver's, not unique).
     * @param flags    {@link NameFlags} bits; unknown bits are kept but ignored.
     * @param maxNames max_names_per_connection (counting the unique name and queue entries).
     * @param changes  receives at most one change.
     * @return a REQUEST_ constant of {@link NameFlags}.
     * @throws IllegalStateException if the peer is not registered.
     */
    public int requestName(
        final long id, final String name, final int flags, final int maxNames, final List<NameChange> changes)
    {
        final Owner owner = requireOwner(id);
        if (owner.owned.size() >= maxNames)
        {
            return NameFlags.REQUEST_LIMITS_EXCEEDED;
        }

        Name entry = names.get(name);
        if (null == entry)
        {
            entry = new Name(name);
            names.put(name, entry);
            wellKnownCount++;
            addOwner(entry, owner, flags);
            changes.add(new NameChange(name, null, owner.uniqueName));
            return NameFlags.REQUEST_PRIMARY_OWNER;
        }

        final Ownership primary = entry.queue.get(0);
        if (primary.owner == owner)
        {
            primary.flags = flags;
            return NameFlags.REQUEST_ALREADY_OWNER;
        }

        final boolean doNotQueue = (flags & NameFlags.DO_NOT_QUEUE) != 0;
        final boolean replace = (flags & NameFlags.REPLACE_EXISTING) != 0;
        if (doNotQueue && (!primary.allowsReplacement() || !replace))
        {
            final int index = entry.indexOf(owner);
            if (index >= 0)
            {
                removeQueued(entry, index);
            }
            return NameFlags.REQUEST_EXISTS;
        }

        if (!doNotQueue && (!replace || !primary.allowsReplacement()))
        {
            addOwner(entry, owner, flags);
            return NameFlags.REQUEST_IN_QUEUE;
        }

        // replace the primary owner: queue the caller right behind it, then drop or swap the old primary
        addOwner(entry, owner, flags);
        if (primary.doNotQueue())
        {
            removePrimary(entry, changes);
        }
        else
        {
            entry.queue.remove(0);
            entry.queue.add(1, primary);
            changes.add(new NameChange(name, primary.owner.uniqueName, owner.uniqueName));
        }
        return NameFlags.REQUEST_PRIMARY_OWNER;
    }

    /**
     * ReleaseName, as dbus-daemon's bus_registry_release_service once the name is validated.
     *
     * @param id      the releasing peer, registered.
     * @param name    a valid well-known name.
     * @param changes receives at most one change.
     * @return a RELEASE_ constant of {@link NameFlags}.
     */
    public int releaseName(final long id, final CharSequence name, final List<NameChange> changes)
    {
        final Owner owner = requireOwner(id);
        final Name entry = names.get(name);
        if (null == entry)
        {
            return NameFlags.RELEASE_NON_EXISTENT;
        }
        final int index = entry.indexOf(owner);
        if (index < 0)
        {
            return NameFlags.RELEASE_NOT_OWNER;
        }
        if (index == 0)
        {
            removePrimary(entry, changes);
        }
        else
        {
            removeQueued(entry, index);
        }
        return NameFlags.RELEASE_RELEASED;
    }

    /**
     * Forget a peer: give up every name it owns or waits for, in the reverse order it joined them, the unique
     * name last (as dbus-daemon's bus_connection_disconnected).
     *
     * @param id      packed peer id; nothing happens if it is not registered.
     * @param changes receives the changes in order.
     */
    public void unregister(final long id, final List<NameChange> changes)
    {
        unregister(id, changes, false);
    }

    /**
     * Forget a peer as {@link #unregister(long, List)} does, but give up its names in the order it joined them,
     * the unique name first (as dbus-daemon's bus_connection_be_monitor for BecomeMonitor).
     *
     * @param id      packed peer id; nothing happens if it is not registered.
     * @param changes receives the changes in order.
     */
    public void unregisterInJoinOrder(final long id, final List<NameChange> changes)
    {
        unregister(id, changes, true);
    }

    private void unregister(final long id, final List<NameChange> changes, final boolean joinOrder)
    {
        final Owner owner = owners.get(id);
        if (null == owner)
        {
            return;
        }
        while (!owner.owned.isEmpty())
        {
            final Name entry = owner.owned.get(joinOrder ? 0 : owner.owned.size() - 1);
            final int index = entry.indexOf(owner);
            if (index == 0)
            {
                removePrimary(entry, changes);
            }
            else
            {
                removeQueued(entry, index);
            }
        }
        owners.remove(id);
    }

    /**
     * @param nodeId a node.
     * @return the ids of the registered peers of that node, ascending (the order a node's departure releases
     * them in).
     */
    public long[] ownersOnNode(final long nodeId)
    {
        final List<Long> ids = new ArrayList<>();
        for (final Owner owner : owners.values())
        {
            if (PeerIds.nodeId(owner.id) == nodeId)
            {
                ids.add(owner.id);
            }
        }
        ids.sort(Long::compareUnsigned);
        final long[] result = new long[ids.size()];
        for (int i = 0; i < result.length; i++)
        {
            result[i] = ids.get(i);
        }
        return result;
    }

    /**
     * @param id packed peer id.
     * @return the owner record or null if not registered.
     */
    public Owner owner(final long id)
    {
        return owners.get(id);
    }

    /**
     * @param name a name (unique or well-known).
     * @return its primary owner or null.
     */
    public Owner primaryOwner(final CharSequence name)
    {
        final Name entry = names.get(name);
        return null == entry ? null : entry.primary();
    }

    /**
     * @param name a name.
     * @return the id of its primary owner or {@link PeerIds#NONE}.
     */
    public long primaryOwnerId(final CharSequence name)
    {
        final Name entry = names.get(name);
        return null == entry ? PeerIds.NONE : entry.queue.get(0).owner.id;
    }

    /**
     * @param name a name.
     * @return true when it has an owner (the driver's own name is not in the registry).
     */
    public boolean hasOwner(final CharSequence name)
    {
        return names.containsKey(name);
    }

    /**
     * @param name a name.
     * @return unique names of the primary owner and the queue, in queue order; null when the name has no owner.
     */
    public List<String> queuedOwners(final CharSequence name)
    {
        final Name entry = names.get(name);
        if (null == entry)
        {
            return null;
        }
        final List<String> result = new ArrayList<>(entry.queue.size());
        for (final Ownership o : entry.queue)
        {
            result.add(o.owner.uniqueName);
        }
        return result;
    }

    /**
     * @param name a name.
     * @return flags of every queue entry in queue order, or null when the name has no owner.
     */
    public int[] queuedFlags(final CharSequence name)
    {
        final Name entry = names.get(name);
        if (null == entry)
        {
            return null;
        }
        final int[] result = new int[entry.queue.size()];
        for (int i = 0; i < result.length; i++)
        {
            result[i] = entry.queue.get(i).flags;
        }
        return result;
    }

    /**
     * @return every name with an owner: well-known names sorted, then unique names by id.
     */
    public List<String> listNames()
    {
        final List<String> wellKnown = new ArrayList<>(wellKnownCount);
        names.forEach((key, value) ->
        {
            if (!DBusNames.isUniqueName(key))
            {
                wellKnown.add(key);
            }
        });
        wellKnown.sort(null);
        final List<Owner> sortedOwners = new ArrayList<>(owners.values());
        sortedOwners.sort((a, b) -> Long.compareUnsigned(a.id, b.id));
        final List<String> result = new ArrayList<>(wellKnown.size() + sortedOwners.size());
        result.addAll(wellKnown);
        for (final Owner owner : sortedOwners)
        {
            result.add(owner.uniqueName);
        }
        return result;
    }

    /**
     * @return number of names with an owner, unique names included.
     */
    public int size()
    {
        return names.size();
    }

    /**
     * @return number of registered peers.
     */
    public int ownerCount()
    {
        return owners.size();
    }

    /** {@inheritDoc} */
    public boolean isInQueue(final long peerId, final CharSequence name)
    {
        final Name entry = names.get(name);
        if (null == entry)
        {
            return false;
        }
        for (int i = 0, n = entry.queue.size(); i < n; i++)
        {
            if (entry.queue.get(i).owner.id == peerId)
            {
                return true;
            }
        }
        return false;
    }

    /** {@inheritDoc} */
    public boolean isQueuedOwnerByPrefix(final long peerId, final CharSequence prefix)
    {
        final Owner owner = owners.get(peerId);
        if (null == owner)
        {
            return false;
        }
        for (int i = 0, n = owner.owned.size(); i < n; i++)
        {
            if (DBusNames.startsWithWords(owner.owned.get(i).name, prefix))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param peerId a peer.
     * @param name   a name.
     * @return true when the peer is the name's primary owner.
     */
    public boolean isPrimaryOwner(final long peerId, final CharSequence name)
    {
        final Name entry = names.get(name);
        return null != entry && entry.queue.get(0).owner.id == peerId;
    }

    /**
     * A canonical text form of the whole state: every name sorted with its queue (owner and flags), every
     * owner's joined names in order, and every node's highest registered connection id. Two registries are in the
     * same state exactly when their dumps are equal (credentials aside: compare {@link #exportState()} for them).
     *
     * @return the dump.
     */
    public String dump()
    {
        final StringBuilder sb = new StringBuilder();
        final List<String> keys = names.keys();
        keys.sort(null);
        for (final String key : keys)
        {
            sb.append(key).append(':');
            for (final Ownership o : names.get(key).queue)
            {
                sb.append(' ').append(o.owner.uniqueName).append('/').append(o.flags);
            }
            sb.append('\n');
        }
        final List<Owner> sortedOwners = new ArrayList<>(owners.values());
        sortedOwners.sort((a, b) -> Long.compareUnsigned(a.id, b.id));
        for (final Owner owner : sortedOwners)
        {
            sb.append(owner.uniqueName).append(" joined");
            for (final Name n : owner.owned)
            {
                sb.append(' ').append(n.name);
            }
            sb.append('\n');
        }
        for (final NameRegistryState.NodeCounter counter : nodeCounters())
        {
            sb.append("node ").append(counter.nodeId()).append(" highest connection ")
                .append(counter.highestConnectionId()).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param nodeId a node id.
     * @return the highest connection id of that node ever registered here (replicated: the same on every node),
     * or {@link #NO_CONNECTION}. Unregistering does not lower it.
     */
    public long highestConnectionId(final long nodeId)
    {
        return highestConnectionIds.get(nodeId);
    }

    /**
     * The whole state as values in canonical order (control path: allocates). Equal states export equal values.
     *
     * @return the state.
     * @throws IllegalStateException if a name that looks unique is not a peer's own unique name (the caller broke
     *                               the contract of {@link #requestName}).
     */
    public NameRegistryState exportState()
    {
        final List<Owner> sortedOwners = new ArrayList<>(owners.values());
        sortedOwners.sort((a, b) -> Long.compareUnsigned(a.id, b.id));
        final List<NameRegistryState.OwnerState> ownerStates = new ArrayList<>(sortedOwners.size());
        for (final Owner owner : sortedOwners)
        {
            final List<String> joined = new ArrayList<>(owner.owned.size());
            for (final Name n : owner.owned)
            {
                joined.add(n.name);
            }
            ownerStates.add(new NameRegistryState.OwnerState(owner.id, owner.credentials, joined));
        }

        final List<String> keys = names.keys();
        keys.sort(null);
        final List<NameRegistryState.NameState> nameStates = new ArrayList<>(wellKnownCount);
        for (final String key : keys)
        {
            final Name entry = names.get(key);
            if (DBusNames.isUniqueName(key))
            {
                final Owner owner = entry.primary();
                if (entry.queue.size() != 1 || !owner.uniqueName.equals(key) || entry.queue.get(0).flags != 0)
                {
                    throw new IllegalStateException("unique name " + key + " is not its owner's alone");
                }
                continue;
            }
            final List<NameRegistryState.QueueEntry> queue = new ArrayList<>(entry.queue.size());
            for (final Ownership o : entry.queue)
            {
                queue.add(new NameRegistryState.QueueEntry(o.owner.id, o.flags));
            }
            nameStates.add(new NameRegistryState.NameState(key, queue));
        }
        return new NameRegistryState(nodeCounters(), ownerStates, nameStates);
    }

    /**
     * Replace the whole state with an exported one (state transfer). The state is checked first (every reference
     * resolves, queues and joined lists agree, no duplicates, no owner above its node's counter); when it is
     * inconsistent nothing changes.
     *
     * @param state the state to take.
     * @throws IllegalArgumentException describing the first inconsistency.
     */
    public void importState(final NameRegistryState state)
    {
        final NameRegistry fresh = new NameRegistry();
        fresh.load(state);
        try
        {
            fresh.verify();
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalArgumentException("inconsistent state: " + ex.getMessage(), ex);
        }
        names.clear();
        owners.clear();
        highestConnectionIds.clear();
        fresh.names.forEach(names::put);
        fresh.owners.forEachLong(owners::put);
        fresh.highestConnectionIds.forEachLong(highestConnectionIds::put);
        wellKnownCount = fresh.wellKnownCount;
    }

    private void load(final NameRegistryState state)
    {
        for (final NameRegistryState.NodeCounter counter : state.nodes())
        {
            final long nodeId = counter.nodeId();
            final long highest = counter.highestConnectionId();
            require(nodeId >= 0 && nodeId <= 0xFFFF_FFFFL, "node id out of range: ", nodeId);
            require(highest >= 0 && highest <= 0xFFFF_FFFFL, "connection id out of range: ", highest);
            require(!highestConnectionIds.containsKey(nodeId), "node listed twice: ", nodeId);
            highestConnectionIds.put(nodeId, highest);
        }
        for (final NameRegistryState.OwnerState o : state.owners())
        {
            final long id = o.peerId();
            require(!owners.containsKey(id), "peer listed twice: ", PeerIds.uniqueName(id));
            require(PeerIds.connectionId(id) <= highestConnectionIds.get(PeerIds.nodeId(id)),
                "peer above its node's highest connection id: ", PeerIds.uniqueName(id));
            final Owner owner = new Owner(id, o.credentials());
            owners.put(id, owner);
            final Name unique = new Name(owner.uniqueName);
            unique.queue.add(new Ownership(owner, 0));
            names.put(unique.name, unique);
        }
        for (final NameRegistryState.NameState n : state.names())
        {
            final String key = n.name();
            require(null != key && !key.isEmpty() && !DBusNames.isUniqueName(key), "not a well-known name: ", key);
            require(!names.containsKey(key), "name listed twice: ", key);
            require(!n.queue().isEmpty(), "name without owner: ", key);
            final Name entry = new Name(key);
            for (final NameRegistryState.QueueEntry q : n.queue())
            {
                final Owner owner = owners.get(q.peerId());
                require(null != owner, "queue of " + key + " names an unknown peer: ", PeerIds.uniqueName(q.peerId()));
                require(entry.indexOf(owner) < 0, "queue of " + key + " names twice: ", owner.uniqueName);
                entry.queue.add(new Ownership(owner, q.flags()));
            }
            names.put(key, entry);
            wellKnownCount++;
        }
        for (final NameRegistryState.OwnerState o : state.owners())
        {
            final Owner owner = owners.get(o.peerId());
            for (final String joined : o.joined())
            {
                final Name entry = null == joined ? null : names.get(joined);
                require(null != entry && entry.indexOf(owner) >= 0,
                    owner.uniqueName + " joined a name it is not queued for: ", joined);
                require(!owner.owned.contains(entry), owner.uniqueName + " joined twice: ", joined);
                owner.owned.add(entry);
            }
        }
    }

    private static void require(final boolean condition, final String message, final Object value)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message + value);
        }
    }

    private List<NameRegistryState.NodeCounter> nodeCounters()
    {
        final List<NameRegistryState.NodeCounter> result = new ArrayList<>(highestConnectionIds.size());
        highestConnectionIds.forEachLong(
            (nodeId, highest) -> result.add(new NameRegistryState.NodeCounter(nodeId, highest)));
        result.sort((a, b) -> Long.compare(a.nodeId(), b.nodeId()));
        return result;
    }

    /**
     * Check the invariants: every name has at least one queue entry, an owner appears at most once per queue,
     * queues and owners' joined lists agree, every owner owns its unique name.
     *
     * @throws IllegalStateException describing the first violation.
     */
    public void verify()
    {
        final int[] entries = {0};
        names.forEach((key, entry) ->
        {
            if (!key.equals(entry.name) || entry.queue.isEmpty())
            {
                throw new IllegalStateException("empty or misfiled name " + key);
            }
            for (int i = 0; i < entry.queue.size(); i++)
            {
                final Owner owner = entry.queue.get(i).owner;
                if (owners.get(owner.id) != owner || !owner.owned.contains(entry))
                {
                    throw new IllegalStateException(owner.uniqueName + " queued for " + key + " but does not know");
                }
                for (int j = i + 1; j < entry.queue.size(); j++)
                {
                    if (entry.queue.get(j).owner == owner)
                    {
                        throw new IllegalStateException(owner.uniqueName + " twice in queue of " + key);
                    }
                }
                entries[0]++;
            }
        });
        int joined = 0;
        for (final Owner owner : owners.values())
        {
            final Name unique = names.get(owner.uniqueName);
            if (null == unique || unique.queue.size() != 1 || unique.primary() != owner)
            {
                throw new IllegalStateException(owner.uniqueName + " does not own its unique name");
            }
            for (final Name n : owner.owned)
            {
                if (names.get(n.name) != n || n.indexOf(owner) < 0)
                {
                    throw new IllegalStateException(owner.uniqueName + " lists " + n.name + " but is not queued");
                }
                if (owner.owned.indexOf(n) != owner.owned.lastIndexOf(n))
                {
                    throw new IllegalStateException(owner.uniqueName + " lists " + n.name + " twice");
                }
            }
            joined += owner.owned.size();
        }
        if (joined != entries[0])
        {
            throw new IllegalStateException("queue entries " + entries[0] + " != joined " + joined);
        }
    }

    private Owner requireOwner(final long id)
    {
        final Owner owner = owners.get(id);
        if (null == owner)
        {
            throw new IllegalStateException("not registered: " + PeerIds.uniqueName(id));
        }
        return owner;
    }

    /**
     * bus_service_add_owner: a new entry goes to the tail, or right behind the primary owner with
     * REPLACE_EXISTING; an existing entry moves right behind the primary owner with REPLACE_EXISTING. Flags are
     * updated either way.
     */
    private static void addOwner(final Name entry, final Owner owner, final int flags)
    {
        final boolean replace = (flags & NameFlags.REPLACE_EXISTING) != 0;
        final int index = entry.indexOf(owner);
        if (index < 0)
        {
            final Ownership ownership = new Ownership(owner, flags);
            if (!replace || entry.queue.isEmpty())
            {
                entry.queue.add(ownership);
            }
            else
            {
                entry.queue.add(1, ownership);
            }
            owner.owned.add(entry);
        }
        else
        {
            final Ownership ownership = entry.queue.get(index);
            if (replace && index > 0)
            {
                entry.queue.remove(index);
                entry.queue.add(1, ownership);
            }
            ownership.flags = flags;
        }
    }

    private void removeQueued(final Name entry, final int index)
    {
        final Ownership removed = entry.queue.remove(index);
        removed.owner.owned.remove(entry);
    }

    private void removePrimary(final Name entry, final List<NameChange> changes)
    {
        final Ownership removed = entry.queue.remove(0);
        removed.owner.owned.remove(entry);
        if (entry.queue.isEmpty())
        {
            names.remove(entry.name);
            if (!DBusNames.isUniqueName(entry.name))
            {
                wellKnownCount--;
            }
            changes.add(new NameChange(entry.name, removed.owner.uniqueName, null));
        }
        else
        {
            changes.add(new NameChange(entry.name, removed.owner.uniqueName, entry.queue.get(0).owner.uniqueName));
        }
    }
}
