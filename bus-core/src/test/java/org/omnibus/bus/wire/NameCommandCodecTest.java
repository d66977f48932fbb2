package org.omnibus.bus.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omnibus.bus.Bus;
import org.omnibus.bus.BusContext;
import org.omnibus.bus.BusFixture;
import org.omnibus.bus.BusOutput;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.name.NameCommand;
import org.omnibus.bus.name.NameFlags;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;
import org.omnibus.codec.sbe.bus.NameCommandEncoder;

/**
 * NameCommand frames: every kind and field round-trips exactly; applying a decoded command gives byte-for-byte the
 * outputs and the state that applying the original gives; malformed frames are rejected with
 * {@link MalformedFrameException} and nothing else.
 */
class NameCommandCodecTest
{
    private static final PeerCredentials FULL = new PeerCredentials(
        1000, new long[]{1000, 10, 4_000_000_000L}, 4242, "gnome-shell ✓", new byte[]{'u', 'n', 'c', 0x7F, 0});
    private static final PeerCredentials UNKNOWN = PeerCredentials.unknown();
    private static final PeerCredentials EMPTY_PARTS = new PeerCredentials(0, new long[0], 0, "", new byte[0]);

    private final NameCommandCodec codec = new NameCommandCodec();

    private NameCommand roundTrip(final NameCommand command)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
        final int offset = 13;
        final int length = codec.encode(command, buffer, offset);
        assertThat(length).as("encodedLength of " + command).isEqualTo(NameCommandCodec.encodedLength(command));
        assertThat(NameCommandCodec.isNameCommand(buffer, offset, length)).isTrue();
        final NameCommand decoded = codec.decode(buffer, offset, length);
        assertThat(decoded).as("round trip").isEqualTo(command);
        return decoded;
    }

    private byte[] encode(final NameCommand command)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
        final int length = codec.encode(command, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private NameCommand decode(final byte[] bytes)
    {
        return codec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    static List<NameCommand> everyKind()
    {
        final long peer = PeerIds.id(7, 4_000_000_001L);
        final List<NameCommand> commands = new ArrayList<>();
        for (final PeerCredentials credentials : List.of(FULL, UNKNOWN, EMPTY_PARTS))
        {
            commands.add(NameCommand.register(peer, credentials, 1));
            commands.add(NameCommand.register(PeerIds.id(0, 0), credentials, -1));
        }
        commands.add(NameCommand.requestName(peer, "com.example.Service", 0, 512, 2));
        commands.add(NameCommand.requestName(peer, "a.b", NameFlags.ALLOW_REPLACEMENT | NameFlags.REPLACE_EXISTING |
            NameFlags.DO_NOT_QUEUE, 1, Integer.MAX_VALUE));
        commands.add(NameCommand.requestName(peer, "x-y._z.W0", 0xFFFF_FFFF, Integer.MIN_VALUE, 0x8000_0000));
        commands.add(NameCommand.requestName(-1L, "a." + "b".repeat(253), 0x10, -5, 0));
        commands.add(NameCommand.releaseName(peer, "com.example.Service", 3));
        commands.add(NameCommand.releaseName(Long.MIN_VALUE, "org.freedesktop.Notifications", 0xFFFF_FFFF));
        commands.add(NameCommand.unregister(peer));
        commands.add(NameCommand.unregister(Long.MAX_VALUE));
        commands.add(NameCommand.becomeMonitor(peer));
        commands.add(NameCommand.unregisterNode(0));
        commands.add(NameCommand.unregisterNode(7));
        commands.add(NameCommand.unregisterNode(0xFFFF_FFFFL));
        // the record allows credentials on any kind: they are carried too
        for (final NameCommand.Kind kind : NameCommand.Kind.values())
        {
            final boolean named = kind == NameCommand.Kind.REQUEST_NAME || kind == NameCommand.Kind.RELEASE_NAME;
            commands.add(new NameCommand(kind, 9, named ? "n.m" : null, 5, 6, 7, FULL));
            commands.add(new NameCommand(kind, 9, named ? "n.m" : null, 5, 6, 7, EMPTY_PARTS));
            if (kind != NameCommand.Kind.REGISTER)
            {
                commands.add(new NameCommand(kind, 9, named ? "n.m" : null, 5, 6, 7, null));
            }
        }
        return commands;
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyKindAndFieldRoundTrips(final NameCommand command)
    {
        final NameCommand decoded = roundTrip(command);
        assertThat(decoded.kind()).isEqualTo(command.kind());
        assertThat(decoded.peerId()).isEqualTo(command.peerId());
        assertThat(decoded.name()).isEqualTo(command.name());
        assertThat(decoded.flags()).isEqualTo(command.flags());
        assertThat(decoded.maxNames()).isEqualTo(command.maxNames());
        assertThat(decoded.serial()).isEqualTo(command.serial());
        assertThat(decoded.credentials()).isEqualTo(command.credentials());
        if (null != command.credentials())
        {
            assertThat(decoded.credentials().command()).isEqualTo(command.credentials().command());
            assertThat(decoded.credentials().securityLabel()).isEqualTo(command.credentials().securityLabel());
            assertThat(decoded.credentials().gids()).isEqualTo(command.credentials().gids());
        }
    }

    @Test
    void frameLayoutIsTheSchemas()
    {
        final byte[] bytes = encode(NameCommand.requestName(PeerIds.id(2, 3), "a.b", 4, 5, 6));
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertThat(buffer.getShort(0, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short)NameCommandEncoder.BLOCK_LENGTH);
        assertThat(buffer.getShort(2, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short)2);
        assertThat(buffer.getShort(4, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short)7001);
        assertThat(buffer.getShort(6, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short)1);
        assertThat(bytes.length).isEqualTo(MessageHeaderEncoder.ENCODED_LENGTH + NameCommandEncoder.BLOCK_LENGTH +
            4 + (2 + 3) + 4 + 4);
        assertThat(NameCommandCodec.isNameCommand(buffer, 0, 7)).isFalse();
    }

    @Test
    void encodingRefusesWhatDecodingWouldReject()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        assertThatThrownBy(() -> codec.encode(NameCommand.register(1, null, 1), buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REGISTER needs credentials");
        assertThatThrownBy(() -> codec.encode(NameCommand.requestName(1, null, 0, 1, 1), buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valid well-known name");
        assertThatThrownBy(() -> codec.encode(NameCommand.requestName(1, ":1.2", 0, 1, 1), buffer, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(NameCommand.releaseName(1, "nodot", 1), buffer, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(
            new NameCommand(NameCommand.Kind.UNREGISTER, 1, "a.b", 0, 0, 0, null), buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("carries no name");
        assertThatThrownBy(() -> codec.encode(NameCommand.unregisterNode(1L << 32), buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node id");
        assertThatThrownBy(() -> codec.encode(
            NameCommand.register(1, new PeerCredentials(1, new long[65535], 1, null, null), 1), buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group ids");
        assertThatThrownBy(() -> codec.encode(
            NameCommand.register(1, new PeerCredentials(1, null, 1, "bad \uD800 surrogate", null), 1), buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid Unicode");
    }

    @Test
    void malformedFramesAreRejected()
    {
        final byte[] good = encode(NameCommand.register(PeerIds.id(1, 2), FULL, 3));
        final int nameAt = MessageHeaderEncoder.ENCODED_LENGTH + NameCommandEncoder.BLOCK_LENGTH + 4 + 3 * 8;

        // every truncation
        for (int length = 0; length < good.length; length++)
        {
            final int n = length;
            assertThatThrownBy(() -> codec.decode(new UnsafeBuffer(good), 0, n)).as("length " + n)
                .isInstanceOf(MalformedFrameException.class);
        }
        // a byte more
        final byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> decode(longer)).hasMessageContaining("trailing");

        assertMalformed(good, b -> b.putShort(4, (short)7002, ByteOrder.LITTLE_ENDIAN), "foreign schema");
        assertMalformed(good, b -> b.putShort(6, (short)2, ByteOrder.LITTLE_ENDIAN), "unsupported schema version");
        assertMalformed(good, b -> b.putShort(2, (short)1, ByteOrder.LITTLE_ENDIAN), "template id 1");
        assertMalformed(good, b -> b.putShort(0, (short)10, ByteOrder.LITTLE_ENDIAN), "block length");
        assertMalformed(good, b -> b.putByte(8, (byte)9), "unknown kind 9");
        assertMalformed(good, b -> b.putByte(9, (byte)0x08), "credential parts");
        assertMalformed(good, b -> b.putByte(9, (byte)0x02), "credential parts");
        final byte[] plain = encode(new NameCommand(
            NameCommand.Kind.UNREGISTER, 1, null, 0, 0, 0, PeerCredentials.of(5, new long[]{6}, 7)));
        assertMalformed(plain, b -> b.putByte(9, (byte)0x00), "credential fields without credentials");
        assertMalformed(good, b -> b.putByte(9, (byte)0x05), "command bytes without");
        assertMalformed(good, b -> b.putByte(9, (byte)0x03), "label bytes without");
        assertMalformed(good, b -> b.putShort(8 + 38 + 2, (short)60000, ByteOrder.LITTLE_ENDIAN), "gids");
        assertMalformed(good, b -> b.putShort(8 + 38, (short)4, ByteOrder.LITTLE_ENDIAN), "entry block length");
        final byte[] namedRegister = encode(new NameCommand(NameCommand.Kind.REQUEST_NAME, 1, "a.b", 0, 0, 0, FULL));
        assertMalformed(namedRegister, b -> b.putByte(8, (byte)1), "REGISTER carries no name");
        final int commandAt = nameAt + 2;
        assertMalformed(good, b -> b.putInt(commandAt, -1, ByteOrder.LITTLE_ENDIAN), "runs past the end");
        assertMalformed(good, b -> b.putByte(commandAt + 4, (byte)0xC3), "not UTF-8");

        final byte[] request = encode(NameCommand.requestName(5, "a.b", 0, 1, 1));
        final int requestNameChars = MessageHeaderEncoder.ENCODED_LENGTH + NameCommandEncoder.BLOCK_LENGTH + 4 + 2;
        assertThat(new String(request, requestNameChars, 3, java.nio.charset.StandardCharsets.US_ASCII))
            .isEqualTo("a.b");
        assertMalformed(request, b -> b.putByte(requestNameChars, (byte)':'), "valid well-known name");
        assertMalformed(request, b -> b.putByte(requestNameChars + 1, (byte)0xE9), "not ASCII");
        assertMalformed(request, b -> b.putByte(requestNameChars + 1, (byte)0), "not ASCII without NUL");
        assertMalformed(request, b -> b.putShort(requestNameChars - 2, (short)256, ByteOrder.LITTLE_ENDIAN),
            "longer than 255");
        assertMalformed(request, b -> b.putByte(8, (byte)4), "UNREGISTER carries no name");
        assertMalformed(encode(NameCommand.unregister(5)), b -> b.putByte(8, (byte)3), "valid well-known name");

        final byte[] node = encode(NameCommand.unregisterNode(3));
        assertMalformed(node, b -> b.putLong(10, -3, ByteOrder.LITTLE_ENDIAN), "node id");
        final byte[] register = encode(NameCommand.register(3, UNKNOWN, 1));
        assertMalformed(register, b -> b.putByte(9, (byte)0), "REGISTER needs credentials");
    }

    private void assertMalformed(final byte[] good, final java.util.function.Consumer<MutableDirectBuffer> damage,
        final String message)
    {
        final byte[] bad = good.clone();
        damage.accept(new UnsafeBuffer(bad));
        assertThatThrownBy(() -> decode(bad)).isInstanceOf(MalformedFrameException.class)
            .hasMessageContaining(message);
    }

    static LongStream seeds()
    {
        return LongStream.range(0, 60).map(i -> 0xC0DEC000L + i * 104_729L);
    }

    private static NameCommand randomCommand(final SplittableRandom random)
    {
        final NameCommand.Kind kind = NameCommand.Kind.values()[random.nextInt(NameCommand.Kind.values().length)];
        final boolean named = kind == NameCommand.Kind.REQUEST_NAME || kind == NameCommand.Kind.RELEASE_NAME;
        final long peerId = kind == NameCommand.Kind.UNREGISTER_NODE ? random.nextLong(0, 1L << 32) :
            random.nextLong();
        final String name = named ? randomName(random) : null;
        final PeerCredentials credentials = kind == NameCommand.Kind.REGISTER || random.nextInt(4) == 0 ?
            randomCredentials(random) : null;
        return new NameCommand(kind, peerId, name, random.nextInt(), random.nextInt(), random.nextInt(), credentials);
    }

    static String randomName(final SplittableRandom random)
    {
        final String initial = "abcXYZ_-";
        final String other = initial + "0123456789";
        final StringBuilder sb = new StringBuilder();
        final int elements = 2 + random.nextInt(3);
        for (int e = 0; e < elements; e++)
        {
            if (e > 0)
            {
                sb.append('.');
            }
            sb.append(initial.charAt(random.nextInt(initial.length())));
            for (int i = random.nextInt(6); i > 0; i--)
            {
                sb.append(other.charAt(random.nextInt(other.length())));
            }
        }
        return sb.toString();
    }

    static PeerCredentials randomCredentials(final SplittableRandom random)
    {
        final long[] gids = new long[random.nextInt(4)];
        for (int i = 0; i < gids.length; i++)
        {
            gids[i] = random.nextLong(0, 1L << 32);
        }
        final String command = random.nextInt(3) == 0 ? null :
            new String(new char[random.nextInt(16)]).replace('\0', (char)('a' + random.nextInt(26))) +
            (random.nextBoolean() ? "é" : "");
        final byte[] label = random.nextInt(3) == 0 ? null : new byte[random.nextInt(8)];
        if (null != label)
        {
            random.nextBytes(label);
        }
        final long uid = random.nextInt(5) == 0 ? PeerCredentials.UNKNOWN : random.nextLong(0, 1L << 32);
        final long pid = random.nextInt(5) == 0 ? PeerCredentials.UNKNOWN : random.nextLong(1, 1L << 22);
        return new PeerCredentials(uid, gids, pid, command, label);
    }

    /** Random commands round-trip; random damage to their frames decodes or fails as malformed, nothing else. */
    @ParameterizedTest
    @MethodSource("seeds")
    void randomCommandsRoundTripAndDamageIsMalformed(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++)
        {
            final NameCommand command = randomCommand(random);
            final String ctx = "seed=" + seed + " i=" + i + " " + command;
            final byte[] bytes = encode(command);
            assertThat(decode(bytes)).as(ctx).isEqualTo(command);

            final byte[] bad = bytes.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--)
            {
                bad[random.nextInt(bad.length)] = (byte)random.nextInt(256);
            }
            final int length = random.nextInt(4) == 0 ? random.nextInt(bad.length + 1) : bad.length;
            try
            {
                final NameCommand decoded = codec.decode(new UnsafeBuffer(bad), 0, length);
                final byte[] again = encode(decoded);
                assertThat(decode(again)).as(ctx).isEqualTo(decoded);
                // unless the damage declared a longer block or an older version (which SBE tolerates), the frame
                // held exactly that command
                if (java.util.Arrays.equals(bad, 0, 8, bytes, 0, 8) && bad[8 + 38] == bytes[8 + 38] &&
                    bad[8 + 38 + 1] == bytes[8 + 38 + 1])
                {
                    assertThat(again).as(ctx + " damaged " + HexFormat.of().formatHex(bad))
                        .isEqualTo(java.util.Arrays.copyOf(bad, length));
                }
            }
            catch (final MalformedFrameException expected)
            {
                assertThat(expected.getMessage()).as(ctx).isNotBlank();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Applying decoded commands gives exactly what applying the originals gives.

    private static final class Node
    {
        final List<NameCommand> submitted = new ArrayList<>();
        final Bus bus;
        final List<Peer> local = new ArrayList<>();

        Node()
        {
            bus = new Bus(new BusContext().nodeId(1).clustered(true).nameCommandSink(submitted::add)
                .busUid(1000).busPid(1).busId(BusFixture.BUS_ID).machineId(BusFixture.MACHINE_ID));
        }

        /** The outputs as the edge would send them: recipients and the marshalled bytes. */
        List<String> drain()
        {
            final List<BusOutput> out = new ArrayList<>();
            bus.outbox().drain(out::add);
            final List<String> lines = new ArrayList<>();
            for (final BusOutput output : out)
            {
                final StringBuilder sb = new StringBuilder();
                for (final Peer p : output.recipients())
                {
                    sb.append(p.uniqueName()).append(' ');
                }
                sb.append(HexFormat.of().formatHex(BusOutputEncoder.encode(output.message(), 1)));
                lines.add(sb.toString());
            }
            return lines;
        }
    }

    /**
     * Two identical nodes: one applies every command as is, the other the command decoded from its frame (the
     * bytes of {@code Bus.applyNameCommand(buffer, ...)}). Commands are random: local peers' Hello, RequestName,
     * ReleaseName, disconnects and BecomeMonitor, and remote peers' commands and node departures. Outputs
     * (recipients and wire bytes), registries and credentials must stay identical.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void applyingDecodedCommandsGivesTheSameOutputsAndState(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Node original = new Node();
        final Node decoded = new Node();
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final String[] pool = {"a.b", "a.c", "com.x.Y", "org.z.W", "q.r"};
        final List<Long> registered = new ArrayList<>();
        final List<Long> unregistered = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            final PeerCredentials credentials = randomCredentials(random);
            original.local.add(original.bus.connect(credentials));
            decoded.local.add(decoded.bus.connect(credentials));
            unregistered.add(original.local.get(i).id());
        }
        long nextRemote = 0;
        for (int step = 0; step < 300; step++)
        {
            final String ctx = "seed=" + seed + " step=" + step;
            final int op = random.nextInt(20);
            final NameCommand command;
            final int serial = random.nextInt();
            if (op < 3 || registered.isEmpty())
            {
                final long id;
                if (!unregistered.isEmpty() && random.nextBoolean())
                {
                    id = unregistered.remove(random.nextInt(unregistered.size()));
                    final Peer peer = original.bus.peers().get(id);
                    command = NameCommand.register(id, peer.credentials(), serial);
                }
                else
                {
                    id = PeerIds.id(2 + random.nextInt(2), nextRemote++);
                    command = NameCommand.register(id, randomCredentials(random), serial);
                }
                registered.add(id);
            }
            else if (op < 12)
            {
                final long id = registered.get(random.nextInt(registered.size()));
                final int flags = random.nextInt(8) | (random.nextInt(8) == 0 ? random.nextInt() : 0);
                command = NameCommand.requestName(id, pool[random.nextInt(pool.length)], flags,
                    2 + random.nextInt(5), serial);
            }
            else if (op < 16)
            {
                final long id = registered.get(random.nextInt(registered.size()));
                command = NameCommand.releaseName(id, pool[random.nextInt(pool.length)], serial);
            }
            else if (op < 18)
            {
                final long id = registered.remove(random.nextInt(registered.size()));
                command = NameCommand.unregister(id);
            }
            else if (op == 18)
            {
                final long id = registered.remove(random.nextInt(registered.size()));
                command = NameCommand.becomeMonitor(id);
            }
            else
            {
                final long node = 1 + random.nextInt(3);
                registered.removeIf(id -> PeerIds.nodeId(id) == node);
                command = NameCommand.unregisterNode(node);
            }

            original.bus.applyNameCommand(command);
            final int length = codec.encode(command, frame, 0);
            assertThat(decoded.bus.applyNameCommand(frame, 0, length)).as(ctx).isEqualTo(command);

            assertThat(decoded.drain()).as(ctx + " " + command).isEqualTo(original.drain());
            assertThat(decoded.bus.names().dump()).as(ctx).isEqualTo(original.bus.names().dump());
            assertThat(decoded.bus.names().exportState()).as(ctx).isEqualTo(original.bus.names().exportState());
        }
        assertThat(original.submitted).isEmpty();
    }
}
