package org.omnibus.benchmarks.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.dbus.DBusBodyCursor;
import org.omnibus.codec.dbus.DBusFraming;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Frame, decode and validate a whole D-Bus message (header, names, body against its signature), as the edge does
 * for every message a client sends. One thread: the score is messages per second on one core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED" })
@State(Scope.Thread)
public class DBusDecodeBenchmark
{
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final DBusBodyCursor cursor = new DBusBodyCursor();
    private UnsafeBuffer signal;
    private int signalLength;
    private UnsafeBuffer call;
    private int callLength;
    private final UnsafeBuffer[] distinct = new UnsafeBuffer[8];
    private int distinctLength;
    private int next;

    /**
     * Put the messages in direct buffers, as a socket read would.
     */
    @Setup
    public void setup()
    {
        final byte[] signalBytes = CodecMessages.signal();
        signal = new UnsafeBuffer(ByteBuffer.allocateDirect(signalBytes.length));
        signal.putBytes(0, signalBytes);
        signalLength = signalBytes.length;
        final byte[] callBytes = CodecMessages.methodCall();
        call = new UnsafeBuffer(ByteBuffer.allocateDirect(callBytes.length));
        call.putBytes(0, callBytes);
        callLength = callBytes.length;
        for (int i = 0; i < distinct.length; i++)
        {
            final byte[] bytes = CodecMessages.signal("/org/example/Dev" + i);
            distinct[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
            distinct[i].putBytes(0, bytes);
            distinctLength = bytes.length;
        }
    }

    /**
     * Frame and fully validate the 200-byte {@code sa{sv}} signal.
     *
     * @return something of the message, so it is not optimised away.
     */
    @Benchmark
    public long decodeValidateSignal()
    {
        final int length = DBusFraming.messageLength(signal, 0, signalLength);
        return message.wrap(signal, 0, length).serial() + message.bodyLength();
    }

    /**
     * Frame and fully validate the signal from eight object paths in turn: more distinct headers than the
     * flyweight remembers, so every header is validated from scratch (the worst case for the header).
     *
     * @return something of the message, so it is not optimised away.
     */
    @Benchmark
    public long decodeValidateSignalUnseenHeaders()
    {
        final UnsafeBuffer buffer = distinct[next];
        next = (next + 1) & 7;
        final int length = DBusFraming.messageLength(buffer, 0, distinctLength);
        return message.wrap(buffer, 0, length).serial() + message.bodyLength();
    }

    /**
     * Frame and fully validate the method call.
     *
     * @return something of the message, so it is not optimised away.
     */
    @Benchmark
    public long decodeValidateMethodCall()
    {
        final int length = DBusFraming.messageLength(call, 0, callLength);
        return message.wrap(call, 0, length).serial() + message.bodyLength();
    }

    /**
     * Not the codec: reads every byte of the signal once through the same buffer, a yardstick of how fast this
     * machine was while the other figures were taken.
     *
     * @return the sum of the bytes.
     */
    @Benchmark
    public int baselineReadEveryByte()
    {
        int sum = 0;
        for (int i = 0; i < signalLength; i++)
        {
            sum += signal.getByte(i);
        }
        return sum;
    }

    /**
     * Validate the signal's header only (a body validated at the origin edge), then match it as a router would:
     * interface and member compared, arg0 read.
     *
     * @return something of the message, so it is not optimised away.
     */
    @Benchmark
    public int headerOnlyAndMatchSignal()
    {
        message.wrapHeader(signal, 0, signalLength);
        int matches = message.fieldEquals(DBusHeaderField.INTERFACE, "org.freedesktop.DBus.Properties") ? 1 : 0;
        matches += message.fieldEquals(DBusHeaderField.MEMBER, "PropertiesChanged") ? 1 : 0;
        if (cursor.wrap(message).seekArg(0) == 's')
        {
            cursor.readString();
            matches += cursor.stringEquals("org.example.Device") ? 1 : 0;
        }
        return matches;
    }
}
