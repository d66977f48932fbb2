package org.omnibus.benchmarks.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusSbeConverter;
import org.omnibus.codec.sbe.bus.BusMessageDecoder;
import org.omnibus.codec.sbe.bus.BusMessageEncoder;
import org.omnibus.codec.sbe.bus.MessageHeaderDecoder;
import org.omnibus.codec.sbe.bus.MessageHeaderEncoder;
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
 * D-Bus → SBE {@code BusMessage} → D-Bus, as a message takes from the edge that accepts it into the cluster and
 * out of the edge that delivers it: the header is read (already validated), the fields and the untouched body are
 * copied into the SBE frame with the sender the edge stamps, and a D-Bus message is written back from the frame.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED" })
@State(Scope.Thread)
public class DBusSbeConversionBenchmark
{
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final BusMessageEncoder encoder = new BusMessageEncoder();
    private final BusMessageDecoder decoder = new BusMessageDecoder();
    private final DBusSbeConverter converter = new DBusSbeConverter();
    private final UnsafeBuffer sbe = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer sender = new UnsafeBuffer(":7.42".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private UnsafeBuffer signal;
    private int signalLength;

    /**
     * Put the signal in a direct buffer.
     */
    @Setup
    public void setup()
    {
        final byte[] bytes = CodecMessages.signal();
        signal = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        signal.putBytes(0, bytes);
        signalLength = bytes.length;
    }

    /**
     * D-Bus to SBE only.
     *
     * @return the SBE frame length.
     */
    @Benchmark
    public int dbusToSbe()
    {
        message.wrapHeader(signal, 0, signalLength);
        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder).globalSeq(-1).viewId(-1).originNode(7).originSeq(1);
        return DBusSbeConverter.toSbe(message, encoder, sender, 0, sender.capacity());
    }

    /**
     * D-Bus to SBE and back to D-Bus.
     *
     * @return the D-Bus message length written.
     */
    @Benchmark
    public int dbusToSbeToDBus()
    {
        message.wrapHeader(signal, 0, signalLength);
        encoder.wrapAndApplyHeader(sbe, 0, headerEncoder).globalSeq(-1).viewId(-1).originNode(7).originSeq(1);
        DBusSbeConverter.toSbe(message, encoder, sender, 0, sender.capacity());
        decoder.wrapAndApplyHeader(sbe, 0, headerDecoder);
        return converter.toDBus(decoder, out, 0);
    }
}
