package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusProtocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed input gets its connection closed and harms nobody else: truncated, oversized, wrongly aligned and
 * invalid-signature messages, protocol violations, and broken authentication. Each case runs beside a live client
 * that works before and after, and that sees the bad connection's NameOwnerChanged when it had a name.
 */
class BadInputTest extends BusTest
{
    /** How far the bad client gets before it sends its bytes. */
    enum Stage
    {
        /** Nothing: the bytes are the first on the socket. */
        CONNECTED,
        /** Authenticated (EXTERNAL, BEGIN) but no Hello. */
        AUTHENTICATED,
        /** Hello done. */
        HELLO
    }

    /**
     * A bad input.
     *
     * @param name      what is wrong.
     * @param stage     where it is sent.
     * @param bytes     the bytes.
     * @param halfClose close our sending side after the bytes.
     * @param within    how long the bus may take to close the connection.
     */
    record Case(String name, Stage stage, Supplier<byte[]> bytes, boolean halfClose, Duration within)
    {
        public String toString()
        {
            return name;
        }
    }

    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final Duration AFTER_AUTH_TIMEOUT = Duration.ofMillis(BusConfig.AUTH_TIMEOUT_MS + 5_000);
    private static final long SERIAL = 2;

    static Stream<Case> cases()
    {
        return Stream.of(
            message("truncated: end of stream inside a message",
                () -> Arrays.copyOf(signalWithString("x".repeat(100)), 60), true),
            message("truncated: string runs past the end of the body",
                () -> signal("s", le(100, 'a', 'b', 'c', 0))),
            message("truncated: header field array longer than its fields (code 0)",
                BadInputTest::fieldArrayWithZeroField),
            message("oversized: body length beyond the protocol's 128 MiB",
                () -> headerOnly(withInt(getId(), 4, 0x7FFF_FF00))),
            message("oversized: body length beyond the bus's max_message_size",
                () -> headerOnly(withInt(getId(), 4, BusConfig.MAX_MESSAGE_SIZE + 64))),
            message("oversized: header field array beyond 64 MiB",
                () -> Arrays.copyOf(withInt(getId(), 12, 0x0400_0008), 16)),
            message("misaligned: non-zero padding before the body",
                BadInputTest::nonZeroBodyPadding),
            message("misaligned: 64-bit value without its padding",
                () -> signal("yt", new byte[] {1, 1, 2, 3, 4, 5, 6, 7, 8})),
            message("invalid signature: unbalanced (i",
                () -> signal("(i", le(7))),
            message("invalid signature: unknown type code",
                () -> signal("z", le(7))),
            message("invalid signature: body shorter than the signature",
                () -> signal("ii", le(7))),
            message("invalid body: boolean 2",
                () -> signal("b", le(2))),
            message("invalid body: string without its nul",
                () -> signal("s", le(3, 'a', 'b', 'c', 'x'))),
            message("invalid body: malformed UTF-8",
                () -> signal("s", le(2, 0xC3, 0x28, 0))),
            message("bad endianness byte",
                () -> withByte(getId(), 0, 'X')),
            message("bad protocol version",
                () -> withByte(getId(), 3, 2)),
            message("serial 0",
                () -> withInt(getId(), 8, 0)),
            message("message type 0",
                () -> withByte(getId(), 1, 0)),
            message("method call without a path",
                () -> DBusMessageBuilder.methodCall(WireClient.DRIVER, "/x", WireClient.DRIVER_IFACE, "GetId")
                    .path(null).serial(SERIAL).buildUnvalidated()),
            message("signal on the reserved local path",
                () -> DBusMessageBuilder.signal(DBusProtocol.LOCAL_PATH, "org.omnibus.Test", "Local")
                    .serial(SERIAL).buildUnvalidated()),
            new Case("a signal before Hello", Stage.AUTHENTICATED,
                () -> DBusMessageBuilder.signal("/org/omnibus/test", "org.omnibus.Test", "Early").serial(1).build(),
                false, PROMPTLY),
            new Case("auth: no leading nul byte", Stage.CONNECTED,
                () -> ascii("AUTH EXTERNAL " + uidHex() + "\r\n"), false, PROMPTLY),
            new Case("auth: overlong line", Stage.CONNECTED,
                () -> ascii("\0" + "A".repeat(20_000)), false, PROMPTLY),
            new Case("auth: BEGIN before AUTH", Stage.CONNECTED,
                () -> ascii("\0BEGIN\r\n"), false, PROMPTLY),
            new Case("auth: a D-Bus message instead of SASL, until the auth timeout", Stage.CONNECTED,
                () -> concat(ascii("\0"), getId()), false, AFTER_AUTH_TIMEOUT),
            new Case("auth: silence until the auth timeout", Stage.CONNECTED,
                () -> new byte[0], false, AFTER_AUTH_TIMEOUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputDisconnectsOnlyItsSender(final Case c) throws IOException
    {
        try (WireClient live = WireClient.connect(bus.socketPath());
            WireClient bad = WireClient.open(bus.socketPath()))
        {
            assertThat(live.callDriver("GetId", "").isReturn()).isTrue();
            if (c.stage() != Stage.CONNECTED)
            {
                bad.authenticate();
            }
            if (c.stage() == Stage.HELLO)
            {
                bad.hello();
                assertThat(live.callDriver("AddMatch", "s", "type='signal',sender='org.freedesktop.DBus'," +
                    "member='NameOwnerChanged',arg0='" + bad.uniqueName() + "'").isReturn()).isTrue();
            }

            writeIgnoringReset(bad, c.bytes().get());
            if (c.halfClose())
            {
                bad.shutdownOutput();
            }
            bad.awaitEndOfStream(c.within());

            assertThat(live.callDriver("GetId", "").isReturn()).as("the live client still works").isTrue();
            if (c.stage() == Stage.HELLO)
            {
                final String gone = bad.uniqueName();
                live.await(m -> m.isSignal() && m.body().equals(List.of(gone, gone, "")), new ArrayList<>());
            }
            assertThat(bus.isRunning()).isTrue();
        }
    }

    @Test
    void repeatedlyRejectedAuthenticationIsDisconnectedBeforeTheAuthTimeout() throws IOException
    {
        final String otherUid = WireClient.hex(Integer.toString(WireClient.processUid() + 12345));
        try (WireClient live = WireClient.connect(bus.socketPath());
            WireClient bad = WireClient.open(bus.socketPath()))
        {
            bad.write(ascii("\0"));
            int rejections = 0;
            try
            {
                for (int i = 0; i < 20; i++)
                {
                    bad.write(ascii("AUTH EXTERNAL " + otherUid + "\r\n"));
                    assertThat(bad.readSaslLine()).startsWith("REJECTED");
                    rejections++;
                }
            }
            catch (final IOException ex)
            {
                // the bus hung up: expected after a few rejections
            }
            bad.startReader();
            bad.awaitEndOfStream(Duration.ofMillis(BusConfig.AUTH_TIMEOUT_MS / 2));

            // dbus-daemon hangs up instead of answering the 7th attempt
            assertThat(rejections).as("rejections before the bus hung up").isBetween(1, 19);
            assertThat(live.callDriver("GetId", "").isReturn()).as("the live client still works").isTrue();
        }
    }

    private static void writeIgnoringReset(final WireClient client, final byte[] bytes) throws IOException
    {
        try
        {
            client.write(bytes);
        }
        catch (final IOException ex)
        {
            // the bus may close the connection before it has read everything: that is what is tested
        }
    }

    private static Case message(final String name, final Supplier<byte[]> bytes)
    {
        return new Case(name, Stage.HELLO, bytes, false, PROMPTLY);
    }

    private static Case message(final String name, final Supplier<byte[]> bytes, final boolean halfClose)
    {
        return new Case(name, Stage.HELLO, bytes, halfClose, PROMPTLY);
    }

    private static byte[] getId()
    {
        return DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH, WireClient.DRIVER_IFACE,
            "GetId").serial(SERIAL).build();
    }

    private static byte[] signalWithString(final String text)
    {
        return DBusMessageBuilder.signal("/org/omnibus/test", "org.omnibus.Test", "Bad").body("s", text)
            .serial(SERIAL).build();
    }

    private static byte[] signal(final String signature, final byte[] rawBody)
    {
        return DBusMessageBuilder.signal("/org/omnibus/test", "org.omnibus.Test", "Bad")
            .rawBody(signature, rawBody).signature(signature).serial(SERIAL).buildUnvalidated();
    }

    /** Fields length grown by 8 with 8 zero bytes appended: the last field has code 0. */
    private static byte[] fieldArrayWithZeroField()
    {
        final byte[] message = getId();
        final int fieldsLength = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        final int headerEnd = align8(16 + fieldsLength);
        final byte[] longer = new byte[headerEnd + 8];
        System.arraycopy(message, 0, longer, 0, 16 + fieldsLength);
        return withInt(longer, 12, headerEnd - 16 + 8);
    }

    /** A call whose header needs padding before the body, with a 1 in the padding. */
    private static byte[] nonZeroBodyPadding()
    {
        for (int n = 1; n < 16; n++)
        {
            final byte[] message = DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH,
                WireClient.DRIVER_IFACE, "NameHasOwner").body("s", "org.omnibus." + "x".repeat(n))
                .serial(SERIAL).build();
            final int fieldsEnd = 16 + ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
            if (fieldsEnd % 8 != 0)
            {
                return withByte(message, fieldsEnd, 1);
            }
        }
        throw new IllegalStateException("no header length needs padding");
    }

    private static byte[] headerOnly(final byte[] message)
    {
        final int fieldsLength = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        return Arrays.copyOf(message, align8(16 + fieldsLength));
    }

    private static int align8(final int value)
    {
        return (value + 7) & ~7;
    }

    private static byte[] withInt(final byte[] message, final int offset, final int value)
    {
        final byte[] copy = message.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
    }

    private static byte[] withByte(final byte[] message, final int offset, final int value)
    {
        final byte[] copy = message.clone();
        copy[offset] = (byte)value;
        return copy;
    }

    /** A little-endian uint32 followed by bytes, padded to a multiple of 4. */
    private static byte[] le(final int value, final int... bytes)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(4 + align8(bytes.length)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(value);
        for (final int b : bytes)
        {
            buffer.put((byte)b);
        }
        return Arrays.copyOf(buffer.array(), 4 + ((bytes.length + 3) & ~3));
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static String uidHex()
    {
        try
        {
            return WireClient.hex(Integer.toString(WireClient.processUid()));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
