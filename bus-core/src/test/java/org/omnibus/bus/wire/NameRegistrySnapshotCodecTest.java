package org.omnibus.bus.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.name.NameChange;
import org.omnibus.bus.name.NameFlags;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.name.NameRegistryState;
import org.omnibus.bus.peer.PeerCredentials;

/**
 * Name registry snapshots: a registry restored from a snapshot is equal to the original and gives the same changes
 * for any later command sequence; malformed or inconsistent snapshots are rejected and change nothing; the size
 * limit holds.
 */
class NameRegistrySnapshotCodecTest
{
    private static final String[] POOL = {"a.b", "a.c", "com.x.Y", "org.z.W", "q.r", "org.freedesktop.Notifications"};

    private final NameRegistrySnapshotCodec codec = new NameRegistrySnapshotCodec();

    static LongStream seeds()
    {
        return LongStream.range(0, 100).map(i -> 0x5A95_0000L + i * 7_919L);
    }

    /** A random command applied to a registry; the same random stream gives the same command. */
    private static final class Commands
    {
        final SplittableRandom random;
        final List<Long> registered = new ArrayList<>();
        final long[] nextConnection = {0, 0, 0, 0};

        Commands(final SplittableRandom random)
        {
            this.random = random;
        }

        /** Draw one command, apply it to every registry, return each one's result and changes as text. */
        List<String> step(final NameRegistry... registries)
        {
            final int op = random.nextInt(12);
            final List<String> results = new ArrayList<>();
            if (op == 0 || registered.isEmpty())
            {
                final int node = 1 + random.nextInt(3);
                final long id = PeerIds.id(node, nextConnection[node]++);
                final PeerCredentials credentials = NameCommandCodecTest.randomCredentials(random);
                for (final NameRegistry registry : registries)
                {
                    results.add(String.valueOf(registry.register(id, credentials)));
                }
                registered.add(id);
            }
            else if (op == 1)
            {
                final long id = registered.remove(random.nextInt(registered.size()));
                final boolean joinOrder = random.nextBoolean();
                for (final NameRegistry registry : registries)
                {
                    final List<NameChange> changes = new ArrayList<>();
                    if (joinOrder)
                    {
                        registry.unregisterInJoinOrder(id, changes);
                    }
                    else
                    {
                        registry.unregister(id, changes);
                    }
                    results.add(changes.toString());
                }
            }
            else if (op == 2 && random.nextInt(4) == 0)
            {
                final int node = 1 + random.nextInt(3);
                final long[] ids = registries[0].ownersOnNode(node);
                for (final NameRegistry registry : registries)
                {
                    final List<NameChange> changes = new ArrayList<>();
                    for (final long id : registry.ownersOnNode(node))
                    {
                        registry.unregister(id, changes);
                    }
                    results.add(changes.toString());
                }
                for (final long id : ids)
                {
                    registered.remove(id);
                }
            }
            else
            {
                final long id = registered.get(random.nextInt(registered.size()));
                final String name = POOL[random.nextInt(POOL.length)];
                if (op < 9)
                {
                    final int flags = random.nextInt(8) | (random.nextInt(10) == 0 ? random.nextInt() & ~7 : 0);
                    final int max = 2 + random.nextInt(5);
                    for (final NameRegistry registry : registries)
                    {
                        final List<NameChange> changes = new ArrayList<>();
                        results.add(registry.requestName(id, name, flags, max, changes) + " " + changes);
                    }
                }
                else
                {
                    for (final NameRegistry registry : registries)
                    {
                        final List<NameChange> changes = new ArrayList<>();
                        results.add(registry.releaseName(id, name, changes) + " " + changes);
                    }
                }
            }
            return results;
        }
    }

    private byte[] snapshot(final NameRegistry registry, final long asOfSeq)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = codec.writeSnapshot(registry, asOfSeq, buffer, 3, Integer.MAX_VALUE);
        assertThat(length).isEqualTo(NameRegistrySnapshotCodec.encodedLength(registry.exportState()));
        final byte[] bytes = new byte[length];
        buffer.getBytes(3, bytes);
        return bytes;
    }

    /**
     * Random command sequences; at a random point the registry is snapshotted and restored into a fresh registry
     * and into one with other contents; all three continue with the same commands and must report the same
     * changes and stay in the same state (dump, exported state with credentials, snapshot bytes).
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void restoredRegistryBehavesAsTheOriginal(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Commands commands = new Commands(random);
        final NameRegistry original = new NameRegistry();
        final int steps = 50 + random.nextInt(400);
        final int snapshotAt = random.nextInt(steps);
        for (int step = 0; step < snapshotAt; step++)
        {
            commands.step(original);
        }

        final byte[] bytes = snapshot(original, snapshotAt);
        final NameRegistry fresh = new NameRegistry();
        assertThat(codec.installSnapshot(fresh, new UnsafeBuffer(bytes), 0, bytes.length)).isEqualTo(snapshotAt);
        final NameRegistry overwritten = new NameRegistry();
        final Commands other = new Commands(new SplittableRandom(seed ^ 0x7777));
        for (int step = 0; step < 100; step++)
        {
            other.step(overwritten);
        }
        codec.installSnapshot(overwritten, new UnsafeBuffer(bytes), 0, bytes.length);

        for (int step = snapshotAt; step < steps; step++)
        {
            final String ctx = "seed=" + seed + " snapshotAt=" + snapshotAt + " step=" + step;
            assertThat(fresh.dump()).as(ctx).isEqualTo(original.dump());
            assertThat(overwritten.dump()).as(ctx).isEqualTo(original.dump());
            assertThat(fresh.exportState()).as(ctx).isEqualTo(original.exportState());
            assertThat(overwritten.exportState()).as(ctx).isEqualTo(original.exportState());
            final List<String> results = commands.step(original, fresh, overwritten);
            assertThat(results.get(1)).as(ctx).isEqualTo(results.get(0));
            assertThat(results.get(2)).as(ctx).isEqualTo(results.get(0));
            fresh.verify();
            overwritten.verify();
        }
        assertThat(fresh.dump()).isEqualTo(original.dump());
        assertThat(snapshot(fresh, 1)).isEqualTo(snapshot(original, 1));
        assertThat(snapshot(overwritten, 1)).isEqualTo(snapshot(original, 1));
        for (long node = 0; node < 5; node++)
        {
            assertThat(fresh.highestConnectionId(node)).isEqualTo(original.highestConnectionId(node));
        }
    }

    @Test
    void snapshotHoldsEveryPartOfTheState()
    {
        final NameRegistry registry = new NameRegistry();
        final long a = PeerIds.id(1, 5);
        final long b = PeerIds.id(2, 0);
        final long c = PeerIds.id(2, 4_000_000_000L);
        final PeerCredentials full = new PeerCredentials(
            1000, new long[]{1000, 27}, 77, "firefox-esr", "unconfined\n".getBytes());
        final PeerCredentials empty = new PeerCredentials(0, new long[0], 0, "", new byte[0]);
        registry.register(a, full);
        registry.register(b, empty);
        registry.register(c, null);
        final List<NameChange> changes = new ArrayList<>();
        registry.requestName(b, "org.example.Q", NameFlags.ALLOW_REPLACEMENT, 10, changes);
        registry.requestName(a, "org.example.Q", 0, 10, changes);
        registry.requestName(c, "org.example.Q", NameFlags.REPLACE_EXISTING | 0x100, 10, changes);
        registry.requestName(a, "com.example.A", NameFlags.DO_NOT_QUEUE, 10, changes);
        registry.unregister(PeerIds.id(1, 5), changes);
        registry.register(PeerIds.id(1, 2), full);

        final byte[] bytes = snapshot(registry, 42);
        final NameRegistrySnapshotCodec.Snapshot snapshot = codec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
        assertThat(snapshot.asOfSeq()).isEqualTo(42);
        final NameRegistryState state = snapshot.state();
        assertThat(state).isEqualTo(registry.exportState());
        assertThat(state.nodes()).containsExactly(new NameRegistryState.NodeCounter(1, 5),
            new NameRegistryState.NodeCounter(2, 4_000_000_000L));
        assertThat(state.owners()).extracting(NameRegistryState.OwnerState::peerId)
            .containsExactly(PeerIds.id(1, 2), b, c);
        assertThat(state.owners().get(0).credentials()).isEqualTo(full);
        assertThat(state.owners().get(0).credentials().command()).isEqualTo("firefox-esr");
        assertThat(state.owners().get(1).credentials().command()).isEmpty();
        assertThat(state.owners().get(1).credentials().securityLabel()).isEmpty();
        assertThat(state.owners().get(2).credentials()).isNull();
        assertThat(state.owners().get(2).joined()).containsExactly(":2.4000000000", "org.example.Q");
        assertThat(state.names()).containsExactly(new NameRegistryState.NameState("org.example.Q", List.of(
            new NameRegistryState.QueueEntry(c, NameFlags.REPLACE_EXISTING | 0x100),
            new NameRegistryState.QueueEntry(b, NameFlags.ALLOW_REPLACEMENT))));

        final NameRegistry restored = new NameRegistry();
        codec.installSnapshot(restored, new UnsafeBuffer(bytes), 0, bytes.length);
        assertThat(restored.dump()).isEqualTo(registry.dump()).contains("node 1 highest connection 5");
        assertThat(restored.owner(PeerIds.id(1, 2)).credentials()).isEqualTo(full);
        assertThat(restored.highestConnectionId(1)).isEqualTo(5);
        assertThat(restored.highestConnectionId(3)).isEqualTo(NameRegistry.NO_CONNECTION);
        assertThat(restored.listNames()).isEqualTo(registry.listNames());
    }

    @Test
    void tooLargeSnapshotsAreRefusedBeforeWriting()
    {
        final NameRegistry registry = new NameRegistry();
        for (int i = 0; i < 10; i++)
        {
            registry.register(PeerIds.id(1, i), PeerCredentials.of(1000, new long[]{1000}, 100 + i));
        }
        final int length = NameRegistrySnapshotCodec.encodedLength(registry.exportState());
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8);
        assertThatThrownBy(() -> codec.writeSnapshot(registry, 1, buffer, 0, length - 1))
            .isInstanceOfSatisfying(SnapshotTooLargeException.class, ex ->
            {
                assertThat(ex.length()).isEqualTo(length);
                assertThat(ex.maxLength()).isEqualTo(length - 1);
            })
            .hasMessageContaining("10 peers");
        assertThat(buffer.capacity()).isEqualTo(8);
        assertThat(codec.writeSnapshot(registry, 1, buffer, 0, length)).isEqualTo(length);
    }

    /**
     * How many peers the default limit carries: peers with one group id, a 15-byte command and one well-known name
     * each: about 113 bytes a peer (72 for the peer, 41 for its name), so about 4,500 such peers fit.
     */
    @Test
    void defaultLimitCarriesThousandsOfPeers()
    {
        final NameRegistry registry = new NameRegistry();
        final List<NameChange> changes = new ArrayList<>();
        for (int i = 0; i < 4000; i++)
        {
            final long id = PeerIds.id(1 + i % 8, i);
            registry.register(id, new PeerCredentials(1000 + i, new long[]{1000}, 10_000 + i, "process-name-15", null));
            registry.requestName(id, "org.example.app.Service" + i, 0, 10, changes);
        }
        final int withNames = NameRegistrySnapshotCodec.encodedLength(registry.exportState());
        assertThat(withNames / 4000).isBetween(100, 120);
        assertThat(withNames).isLessThan(NameRegistrySnapshotCodec.MAX_SNAPSHOT_LENGTH_DEFAULT);
    }

    @Test
    void malformedSnapshotsAreRejectedAndChangeNothing()
    {
        final NameRegistry source = new NameRegistry();
        source.register(PeerIds.id(1, 1), new PeerCredentials(5, new long[]{6}, 7, "c", new byte[]{1}));
        source.register(PeerIds.id(1, 2), PeerCredentials.unknown());
        source.requestName(PeerIds.id(1, 1), "a.b", 0, 9, new ArrayList<>());
        source.requestName(PeerIds.id(1, 2), "a.b", 0, 9, new ArrayList<>());
        final byte[] good = snapshot(source, 9);

        final NameRegistry target = new NameRegistry();
        target.register(PeerIds.id(3, 3), PeerCredentials.unknown());
        final String before = target.dump();

        for (int length = 0; length < good.length; length++)
        {
            final int n = length;
            assertThatThrownBy(() -> codec.installSnapshot(target, new UnsafeBuffer(good), 0, n)).as("length " + n)
                .isInstanceOf(MalformedFrameException.class);
        }
        final byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> codec.installSnapshot(target, new UnsafeBuffer(longer), 0, longer.length))
            .hasMessageContaining("trailing");

        // layout: header 8, asOfSeq 8, nodes 4 + 16, owners 4 + (25 + 4 + 8 + 4 + 8 + 4 + 1 + 4 + 1) +
        // (25 + 4 + 4 + 8 + 4 + 4), names 4 + (4 + 2 * 8 + 2 + 3)
        final int owners = 8 + 8 + 4 + 16;
        final int owner0 = owners + 4;
        final int owner0Joined = owner0 + 25 + 4 + 8;
        final int owner1 = owner0Joined + 4 + 8 + 4 + 1 + 4 + 1;
        final int names = owner1 + 25 + 4 + 4 + 8 + 4 + 4;
        assertThat(names + 4 + 4 + 16 + 2 + 3).isEqualTo(good.length);

        assertMalformed(target, good, b -> b.putShort(2, (short)2, ByteOrder.LITTLE_ENDIAN), "template id 2");
        assertMalformed(target, good, b -> b.putShort(4, (short)7002, ByteOrder.LITTLE_ENDIAN), "foreign schema");
        assertMalformed(target, good, b -> b.putShort(6, (short)9, ByteOrder.LITTLE_ENDIAN), "version");
        assertMalformed(target, good, b -> b.putShort(owners + 2, (short)65534, ByteOrder.LITTLE_ENDIAN),
            "owners runs past");
        assertMalformed(target, good, b -> b.putByte(owner0 + 8, (byte)0x10), "credential parts");
        assertMalformed(target, good, b -> b.putInt(owner0Joined + 4 + 4, 7, ByteOrder.LITTLE_ENDIAN),
            "name index 7");
        assertMalformed(target, good, b -> b.putInt(owner0Joined + 4 + 4, 0, ByteOrder.LITTLE_ENDIAN),
            "joined twice");
        assertMalformed(target, good, b -> b.putInt(names + 4 + 4, 2, ByteOrder.LITTLE_ENDIAN), "owner index 2");
        assertMalformed(target, good, b -> b.putInt(names + 4 + 4, 1, ByteOrder.LITTLE_ENDIAN), "names twice");
        assertMalformed(target, good, b -> b.putByte(good.length - 2, (byte)'-'), "not a valid well-known name");
        assertMalformed(target, good, b -> b.putByte(good.length - 3, (byte)':'), "not a valid well-known name");
        assertMalformed(target, good, b -> b.putLong(owner1, PeerIds.id(1, 1), ByteOrder.LITTLE_ENDIAN),
            "listed twice");
        assertMalformed(target, good, b -> b.putLong(owner1, PeerIds.id(1, 9), ByteOrder.LITTLE_ENDIAN),
            "above its node's highest connection id");
        assertThat(target.dump()).isEqualTo(before);
    }

    private void assertMalformed(
        final NameRegistry target,
        final byte[] good,
        final java.util.function.Consumer<MutableDirectBuffer> damage,
        final String message)
    {
        final byte[] bad = good.clone();
        damage.accept(new UnsafeBuffer(bad));
        assertThatThrownBy(() -> codec.installSnapshot(target, new UnsafeBuffer(bad), 0, bad.length))
            .isInstanceOf(MalformedFrameException.class).hasMessageContaining(message);
    }

    /** Random damage to snapshots fails as malformed or installs a consistent state; nothing else. */
    @ParameterizedTest
    @MethodSource("seeds")
    void damagedSnapshotsFailCleanly(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Commands commands = new Commands(random);
        final NameRegistry source = new NameRegistry();
        for (int step = 0; step < 40; step++)
        {
            commands.step(source);
        }
        final byte[] good = snapshot(source, 1);
        for (int i = 0; i < 50; i++)
        {
            final byte[] bad = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--)
            {
                bad[random.nextInt(bad.length)] = (byte)random.nextInt(256);
            }
            final NameRegistry target = new NameRegistry();
            try
            {
                codec.installSnapshot(target, new UnsafeBuffer(bad), 0, bad.length);
                target.verify();
            }
            catch (final MalformedFrameException expected)
            {
                assertThat(target.size()).as("seed=" + seed + " i=" + i).isZero();
            }
        }
    }

    @Test
    void importRejectsInconsistentStates()
    {
        final NameRegistry registry = new NameRegistry();
        final long a = PeerIds.id(1, 0);
        final NameRegistryState.NodeCounter node1 = new NameRegistryState.NodeCounter(1, 0);
        final NameRegistryState.OwnerState owner = new NameRegistryState.OwnerState(a, null, List.of(":1.0"));
        assertThatThrownBy(() -> registry.importState(new NameRegistryState(List.of(), List.of(owner), List.of())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("highest connection id");
        assertThatThrownBy(() -> registry.importState(new NameRegistryState(List.of(node1),
            List.of(new NameRegistryState.OwnerState(a, null, List.of())), List.of())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inconsistent");
        assertThatThrownBy(() -> registry.importState(new NameRegistryState(List.of(node1), List.of(owner),
            List.of(new NameRegistryState.NameState("a.b", List.of())))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without owner");
        assertThatThrownBy(() -> registry.importState(new NameRegistryState(List.of(node1), List.of(owner),
            List.of(new NameRegistryState.NameState(":1.0", List.of(new NameRegistryState.QueueEntry(a, 0)))))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a well-known name");
        assertThat(registry.size()).isZero();
        registry.importState(new NameRegistryState(List.of(node1), List.of(owner), List.of()));
        assertThat(registry.listNames()).containsExactly(":1.0");
        assertThatThrownBy(() -> new NameRegistrySnapshotCodec().encode(new NameRegistryState(List.of(node1),
            List.of(new NameRegistryState.OwnerState(a, null, List.of(":1.0", "x.y"))), List.of()),
            0, new ExpandableArrayBuffer(), 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the state");
    }
}
