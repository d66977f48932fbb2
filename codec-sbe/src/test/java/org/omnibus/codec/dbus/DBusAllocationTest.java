package org.omnibus.codec.dbus;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read path and the conversion allocate nothing per message once warm. Measured with the thread's allocated
 * bytes around many iterations; the allowance (well under one byte per message) absorbs JIT and JMX noise but not a
 * per-message allocation, which would be at least 16 bytes each.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DBusAllocationTest
{
    private static final int ITERATIONS = 200_000;
    private static final long ALLOWANCE_BYTES = 64 * 1024;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void wrappingAndReadingHeadersAndArgumentsAllocatesNothing()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/org/example/Object", "org.example.Interface", "Changed")
            .sender(":1.42").body("sa{sv}", "org.example.Thing", Map.of("Count", new DBusVariant("u", 7L),
                "Name", new DBusVariant("s", "value"), "Flags", new DBusVariant("as", List.of("a", "b"))))
            .build();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final DBusMessageFlyweight message = new DBusMessageFlyweight();
        final DBusBodyCursor cursor = new DBusBodyCursor();

        final Runnable work = () ->
        {
            message.wrap(buffer, 0, bytes.length);
            int sink = message.type() + message.flags() + (int)message.serial() + message.bodyLength();
            sink += message.fieldEquals(DBusHeaderField.INTERFACE, "org.example.Interface") ? 1 : 0;
            sink += message.fieldEquals(DBusHeaderField.MEMBER, "Changed") ? 1 : 0;
            sink += message.fieldHash(DBusHeaderField.PATH) + message.fieldLength(DBusHeaderField.SENDER);
            cursor.wrap(message);
            if (cursor.seekArg(0) == 's')
            {
                cursor.readString();
                sink += cursor.stringEquals("org.example.Thing") ? 1 : 0;
            }
            cursor.enterArray();
            while (cursor.hasNext())
            {
                cursor.enterDictEntry();
                cursor.readString();
                cursor.enterVariant();
                cursor.skip();
                cursor.exit();
                cursor.exit();
            }
            cursor.exit();
            if (sink == 42)
            {
                throw new AssertionError();
            }
        };
        assertThat(allocatedBytes(work)).isLessThan(ALLOWANCE_BYTES);
    }

    @Test
    void convertingDBusToSbeAndBackAllocatesNothing()
    {
        final byte[] bytes = DBusMessageBuilder.methodCall("org.example.Service", "/org/example", "org.example.I", "M")
            .sender(":1.1").body("su", "name", 3L).build();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final DBusMessageFlyweight message = new DBusMessageFlyweight().wrap(buffer, 0, bytes.length);
        final ExpandableArrayBuffer sbe = new ExpandableArrayBuffer(512);
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(512);
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final BusMessageEncoder encoder = new BusMessageEncoder();
        final BusMessageDecoder decoder = new BusMessageDecoder();
        final DBusSbeConverter converter = new DBusSbeConverter();
        final UnsafeBuffer sender = new UnsafeBuffer(":1.77".getBytes());
        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder);
        DBusSbeConverter.toSbe(message, encoder, sender, 0, 5);
        final int expectedLength = converter.toDBus(decoder.wrapAndApplyHeader(sbe, 0, headerDecoder), out, 0);

        final Runnable work = () ->
        {
            message.wrap(buffer, 0, bytes.length);
            encoder.wrapAndApplyHeader(sbe, 0, headerEncoder).globalSeq(1).viewId(1);
            DBusSbeConverter.toSbe(message, encoder, sender, 0, 5);
            decoder.wrapAndApplyHeader(sbe, 0, headerDecoder);
            final int length = converter.toDBus(decoder, out, 0);
            if (length != expectedLength)
            {
                throw new AssertionError(length);
            }
        };
        assertThat(allocatedBytes(work)).isLessThan(ALLOWANCE_BYTES);
    }

    private long allocatedBytes(final Runnable work)
    {
        for (int i = 0; i < ITERATIONS; i++)
        {
            work.run();
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ITERATIONS; i++)
        {
            work.run();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
