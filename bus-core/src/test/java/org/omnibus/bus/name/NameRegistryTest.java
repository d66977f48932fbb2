package org.omnibus.bus.name;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omnibus.bus.name.NameFlags.ALLOW_REPLACEMENT;
import static org.omnibus.bus.name.NameFlags.DO_NOT_QUEUE;
import static org.omnibus.bus.name.NameFlags.REPLACE_EXISTING;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.peer.PeerCredentials;

class NameRegistryTest
{
    private static final String NAME = "com.example.Name";
    private static final long A = PeerIds.id(1, 1);
    private static final long B = PeerIds.id(1, 2);
    private static final long C = PeerIds.id(1, 3);
    private static final int MAX = 512;

    private final NameRegistry registry = new NameRegistry();
    private final List<NameChange> changes = new ArrayList<>();

    @BeforeEach
    void registerPeers()
    {
        assertThat(registry.register(A, PeerCredentials.of(1000, new long[]{1000}, 11)))
            .isEqualTo(new NameChange(":1.1", null, ":1.1"));
        registry.register(B, PeerCredentials.of(1000, new long[]{1000}, 12));
        registry.register(C, PeerCredentials.of(1001, new long[]{1001}, 13));
    }

    private int request(final long who, final int flags)
    {
        changes.clear();
        final int result = registry.requestName(who, NAME, flags, MAX, changes);
        registry.verify();
        return result;
    }

    private int release(final long who)
    {
        changes.clear();
        final int result = registry.releaseName(who, NAME, changes);
        registry.verify();
        return result;
    }

    private List<String> queue()
    {
        return registry.queuedOwners(NAME);
    }

    @Test
    void firstRequestMakesPrimaryOwner()
    {
        assertThat(request(A, 0)).isEqualTo(NameFlags.REQUEST_PRIMARY_OWNER);
        assertThat(changes).containsExactly(new NameChange(NAME, null, ":1.1"));
        assertThat(registry.primaryOwnerId(NAME)).isEqualTo(A);
        assertThat(registry.hasOwner(NAME)).isTrue();
    }

    @Test
    void requestingAgainIsAlreadyOwnerAndUpdatesFlags()
    {
        request(A, 0);
        assertThat(request(A, ALLOW_REPLACEMENT)).isEqualTo(NameFlags.REQUEST_ALREADY_OWNER);
        assertThat(changes).isEmpty();
        assertThat(registry.queuedFlags(NAME)).containsExactly(ALLOW_REPLACEMENT);
        // the new flag is in force: B may now replace A
        assertThat(request(B, REPLACE_EXISTING)).isEqualTo(NameFlags.REQUEST_PRIMARY_OWNER);
    }

    @Test
    void plainRequestQueuesAtTheTail()
    {
        request(A, 0);
        assertThat(request(B, 0)).isEqualTo(NameFlags.REQUEST_IN_QUEUE);
        assertThat(request(C, 0)).isEqualTo(NameFlags.REQUEST_IN_QUEUE);
        assertThat(changes).isEmpty();
        assertThat(queue()).containsExactly(":1.1", ":1.2", ":1.3");
    }

    @Test
    void doNotQueueFailsWithExists()
    {
        request(A, 0);
        assertThat(request(B, DO_NOT_QUEUE)).isEqualTo(NameFlags.REQUEST_EXISTS);
        assertThat(queue()).containsExactly(":1.1");
    }

    @Test
    void doNotQueueRemovesAnEarlierQueueEntry()
    {
        request(A, 0);
        request(B, 0);
        assertThat(request(B, DO_NOT_QUEUE)).isEqualTo(NameFlags.REQUEST_EXISTS);
        assertThat(queue()).containsExactly(":1.1");
        assertThat(registry.owner(B).ownedCount()).isEqualTo(1);
    }

    @Test
    void replaceExistingWithoutPermissionQueuesRightBehindThePrimary()
    {
        request(A, 0);
        request(B, 0);
        assertThat(request(C, REPLACE_EXISTING)).isEqualTo(NameFlags.REQUEST_IN_QUEUE);
        assertThat(queue()).containsExactly(":1.1", ":1.3", ":1.2");
    }

    @Test
    void queuedEntryRequestingWithReplaceExistingMovesBehindThePrimary()
    {
        request(A, 0);
        request(B, 0);
        request(C, 0);
        assertThat(request(C, REPLACE_EXISTING)).isEqualTo(NameFlags.REQUEST_IN_QUEUE);
        assertThat(queue()).containsExactly(":1.1", ":1.3", ":1.2");
        assertThat(registry.queuedFlags(NAME)).containsExactly(0, REPLACE_EXISTING, 0);
    }

    @Test
    void queuedEntryRequestingAgainKeepsItsPlaceAndTakesNewFlags()
    {
        request(A, 0);
        request(B, 0);
        request(C, 0);
        assertThat(request(B, ALLOW_REPLACEMENT)).isEqualTo(NameFlags.REQUEST_IN_QUEUE);
        assertThat(queue()).containsExactly(":1.1", ":1.2", ":1.3");
        assertThat(registry.queuedFlags(NAME)).containsExactly(0, ALLOW_REPLACEMENT, 0);
    }

    @Test
    void replacementSwapsTheOldOwnerIntoSecondPlace()
    {
        request(A, ALLOW_REPLACEMENT);
        request(B, 0);
        assertThat(request(C, REPLACE_EXISTING)).isEqualTo(NameFlags.REQUEST_PRIMARY_OWNER);
        assertThat(changes).containsExactly(new NameChange(NAME, ":1.1", ":1.3"));
        assertThat(queue()).containsExactly(":1.3", ":1.1", ":1.2");
    }

    @Test
    void replacementDropsAnOldOwnerThatSaidDoNotQueue()
    {
        request(A, ALLOW_REPLACEMENT | DO_NOT_QUEUE);
        request(B, 0);
        assertThat(request(C, REPLACE_EXISTING)).isEqualTo(NameFlags.REQUEST_PRIMARY_OWNER);
        assertThat(changes).containsExactly(new NameChange(NAME, ":1.1", ":1.3"));
        assertThat(queue()).containsExactly(":1.3", ":1.2");
        assertThat(registry.owner(A).ownedCount()).isEqualTo(1);
    }

    @Test
    void replacementWithDoNotQueueStillReplaces()
    {
        request(A, ALLOW_REPLACEMENT);
        assertThat(request(B, REPLACE_EXISTING | DO_NOT_QUEUE)).isEqualTo(NameFlags.REQUEST_PRIMARY_OWNER);
        assertThat(queue()).containsExactly(":1.2", ":1.1");
    }

    @Test
    void queuedEntryReplacingMovesToTheFront()
    {
        request(A, ALLOW_REPLACEMENT);
        request(B, 0);
        request(C, 0);
        assertThat(request(C, REPLACE_EXISTING)).isEqualTo(NameFlags.REQUEST_PRIMARY_OWNER);
        assertThat(queue()).containsExactly(":1.3", ":1.1", ":1.2");
    }

    /**
     * Every combination of the primary owner's flags and the requester's flags, for a requester not yet queued
     * and for one already queued, against the table derived from dbus-daemon's bus_registry_acquire_service.
     */
    @Test
    void everyFlagCombination()
    {
        for (int primaryFlags = 0; primaryFlags < 8; primaryFlags++)
        {
            for (int flags = 0; flags < 8; flags++)
            {
                for (final boolean alreadyQueued : new boolean[]{false, true})
                {
                    final NameRegistry r = new NameRegistry();
                    r.register(A, PeerCredentials.unknown());
                    r.register(B, PeerCredentials.unknown());
                    r.register(C, PeerCredentials.unknown());
                    final List<NameChange> out = new ArrayList<>();
                    r.requestName(A, NAME, primaryFlags, MAX, out);
                    r.requestName(C, NAME, 0, MAX, out);
                    if (alreadyQueued)
                    {
                        r.requestName(B, NAME, 0, MAX, out);
                    }
                    out.clear();
                    final int result = r.requestName(B, NAME, flags, MAX, out);
                    r.verify();

                    final boolean allow = (primaryFlags & ALLOW_REPLACEMENT) != 0;
                    final boolean primaryDnq = (primaryFlags & DO_NOT_QUEUE) != 0;
                    final boolean replace = (flags & REPLACE_EXISTING) != 0;
                    final boolean dnq = (flags & DO_NOT_QUEUE) != 0;
                    final String ctx = "primary=" + primaryFlags + " flags=" + flags + " queued=" + alreadyQueued;
                    final List<String> queue = r.queuedOwners(NAME);
                    if (replace && allow)
                    {
                        assertThat(result).as(ctx).isEqualTo(NameFlags.REQUEST_PRIMARY_OWNER);
                        assertThat(out).as(ctx).containsExactly(new NameChange(NAME, ":1.1", ":1.2"));
                        assertThat(queue).as(ctx).isEqualTo(primaryDnq ? List.of(":1.2", ":1.3") :
                            List.of(":1.2", ":1.1", ":1.3"));
                    }
                    else if (dnq)
                    {
                        assertThat(result).as(ctx).isEqualTo(NameFlags.REQUEST_EXISTS);
                        assertThat(out).as(ctx).isEmpty();
                        assertThat(queue).as(ctx).containsExactly(":1.1", ":1.3");
                    }
                    else
                    {
                        assertThat(result).as(ctx).isEqualTo(NameFlags.REQUEST_IN_QUEUE);
                        assertThat(out).as(ctx).isEmpty();
                        // REPLACE_EXISTING without permission still jumps right behind the primary owner
                        assertThat(queue).as(ctx).isEqualTo(replace ? List.of(":1.1", ":1.2", ":1.3") :
                            List.of(":1.1", ":1.3", ":1.2"));
                    }
                }
            }
        }
    }

    @Test
    void releaseResults()
    {
        assertThat(release(A)).isEqualTo(NameFlags.RELEASE_NON_EXISTENT);
        request(A, 0);
        assertThat(release(B)).isEqualTo(NameFlags.RELEASE_NOT_OWNER);
        request(B, 0);
        assertThat(release(B)).isEqualTo(NameFlags.RELEASE_RELEASED);
        assertThat(changes).isEmpty();
        assertThat(queue()).containsExactly(":1.1");
        assertThat(release(A)).isEqualTo(NameFlags.RELEASE_RELEASED);
        assertThat(changes).containsExactly(new NameChange(NAME, ":1.1", null));
        assertThat(registry.hasOwner(NAME)).isFalse();
        assertThat(registry.queuedOwners(NAME)).isNull();
    }

    @Test
    void releasingThePrimaryHandsTheNameToTheNextInQueue()
    {
        request(A, 0);
        request(B, 0);
        request(C, 0);
        assertThat(release(A)).isEqualTo(NameFlags.RELEASE_RELEASED);
        assertThat(changes).containsExactly(new NameChange(NAME, ":1.1", ":1.2"));
        assertThat(queue()).containsExactly(":1.2", ":1.3");
    }

    @Test
    void unregisterReleasesInReverseJoinOrderUniqueNameLast()
    {
        registry.requestName(A, "com.example.One", 0, MAX, changes);
        registry.requestName(B, "com.example.Two", 0, MAX, changes);
        registry.requestName(A, "com.example.Two", 0, MAX, changes);
        registry.requestName(A, "com.example.Three", 0, MAX, changes);
        changes.clear();
        registry.unregister(A, changes);
        registry.verify();
        assertThat(changes).containsExactly(
            new NameChange("com.example.Three", ":1.1", null),
            new NameChange("com.example.One", ":1.1", null),
            new NameChange(":1.1", ":1.1", null));
        assertThat(registry.owner(A)).isNull();
        assertThat(registry.queuedOwners("com.example.Two")).containsExactly(":1.2");
    }

    @Test
    void unregisterHandsOverToQueuedOwners()
    {
        request(A, 0);
        request(B, 0);
        changes.clear();
        registry.unregister(A, changes);
        assertThat(changes).containsExactly(new NameChange(NAME, ":1.1", ":1.2"), new NameChange(":1.1", ":1.1", null));
    }

    @Test
    void limitCountsUniqueNameAndQueueEntries()
    {
        changes.clear();
        assertThat(registry.requestName(A, "a.b", 0, 3, changes)).isEqualTo(NameFlags.REQUEST_PRIMARY_OWNER);
        registry.requestName(B, "c.d", 0, 3, changes);
        assertThat(registry.requestName(A, "c.d", 0, 3, changes)).isEqualTo(NameFlags.REQUEST_IN_QUEUE);
        assertThat(registry.requestName(A, "e.f", 0, 3, changes)).isEqualTo(NameFlags.REQUEST_LIMITS_EXCEEDED);
        // dbus-daemon checks the limit before anything else, even for a name already owned
        assertThat(registry.requestName(A, "a.b", 0, 3, changes)).isEqualTo(NameFlags.REQUEST_LIMITS_EXCEEDED);
    }

    @Test
    void ownershipQueries()
    {
        request(A, 0);
        request(B, 0);
        assertThat(registry.isPrimaryOwner(A, NAME)).isTrue();
        assertThat(registry.isPrimaryOwner(B, NAME)).isFalse();
        assertThat(registry.isInQueue(B, NAME)).isTrue();
        assertThat(registry.isInQueue(C, NAME)).isFalse();
        assertThat(registry.isInQueue(A, ":1.1")).isTrue();
        assertThat(registry.isQueuedOwnerByPrefix(B, "com.example")).isTrue();
        assertThat(registry.isQueuedOwnerByPrefix(B, "com.exam")).isFalse();
        assertThat(registry.isQueuedOwnerByPrefix(B, "com.example.Name")).isTrue();
        assertThat(registry.primaryOwnerId(new StringBuilder(NAME))).isEqualTo(A);
        assertThat(registry.listNames()).containsExactly(NAME, ":1.1", ":1.2", ":1.3");
        assertThat(registry.ownersOnNode(1)).containsExactly(A, B, C);
        assertThat(registry.ownersOnNode(2)).isEmpty();
    }

    @Test
    void commandsNeedARegisteredPeer()
    {
        assertThatThrownBy(() -> registry.requestName(PeerIds.id(1, 99), NAME, 0, MAX, changes))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> registry.register(A, PeerCredentials.unknown()))
            .isInstanceOf(IllegalStateException.class);
    }

    static long[] seeds()
    {
        final long[] seeds = new long[40];
        for (int i = 0; i < seeds.length; i++)
        {
            seeds[i] = 0x5EED0000L + i * 7919L;
        }
        return seeds;
    }

    /**
     * Random command sequences: two registries fed the same commands report the same changes and end in the
     * same state; invariants hold after every command; the changes alone tell who owns each name.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void randomCommandsAreDeterministicAndConsistent(final long seed)
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        final NameRegistry one = new NameRegistry();
        final NameRegistry two = new NameRegistry();
        final java.util.Map<String, String> ownerFromChanges = new java.util.HashMap<>();
        final List<Long> registered = new ArrayList<>();
        final String[] namePool = {"a.b", "a.c", "com.x.Y", "org.z.W", "q.r"};
        long nextConn = 1;
        for (int step = 0; step < 400; step++)
        {
            final List<NameChange> out1 = new ArrayList<>();
            final List<NameChange> out2 = new ArrayList<>();
            final int op = random.nextInt(10);
            final String ctx = "seed=" + seed + " step=" + step;
            if (op == 0 || registered.isEmpty())
            {
                final long id = PeerIds.id(1 + random.nextInt(2), nextConn++);
                out1.add(one.register(id, PeerCredentials.unknown()));
                out2.add(two.register(id, PeerCredentials.unknown()));
                registered.add(id);
            }
            else if (op == 1)
            {
                final long id = registered.remove(random.nextInt(registered.size()));
                one.unregister(id, out1);
                two.unregister(id, out2);
            }
            else
            {
                final long id = registered.get(random.nextInt(registered.size()));
                final String name = namePool[random.nextInt(namePool.length)];
                if (op < 8)
                {
                    final int flags = random.nextInt(8);
                    final int max = 2 + random.nextInt(5);
                    assertThat(one.requestName(id, name, flags, max, out1)).as(ctx)
                        .isEqualTo(two.requestName(id, name, flags, max, out2));
                }
                else
                {
                    assertThat(one.releaseName(id, name, out1)).as(ctx).isEqualTo(two.releaseName(id, name, out2));
                }
            }
            assertThat(out1).as(ctx).isEqualTo(out2);
            for (final NameChange change : out1)
            {
                assertThat(ownerFromChanges.get(change.name())).as(ctx + " " + change).isEqualTo(change.oldOwner());
                assertThat(change.oldOwner()).as(ctx).isNotEqualTo(change.newOwner());
                if (null == change.newOwner())
                {
                    ownerFromChanges.remove(change.name());
                }
                else
                {
                    ownerFromChanges.put(change.name(), change.newOwner());
                }
            }
            one.verify();
            assertThat(one.dump()).as(ctx).isEqualTo(two.dump());
            for (final String name : namePool)
            {
                final NameRegistry.Owner owner = one.primaryOwner(name);
                assertThat(null == owner ? null : owner.uniqueName()).as(ctx + " " + name)
                    .isEqualTo(ownerFromChanges.get(name));
            }
        }
    }
}
