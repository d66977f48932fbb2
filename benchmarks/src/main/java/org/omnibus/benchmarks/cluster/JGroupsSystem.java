package org.omnibus.benchmarks.cluster;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.pbcast.NAKACK2;

/**
 * JGroups 5.4 with SEQUENCER for total order, three channels in one JVM on loopback multicast, configured as
 * FACTS.md says is fair on these machines: the stock udp.xml stack without RED, the bundler never dropping when
 * full, SEQUENCER, bind_addr 127.0.0.1, ip_ttl 0 (and -Djava.net.preferIPv4Stack=true on the JVM).
 */
final class JGroupsSystem implements BenchSystem
{
    private final LatencyRecorder latency = new LatencyRecorder();
    private JChannel[] channels;
    private AtomicLongArray delivered;
    private String config;

    static String config(final String mcastAddr, final int mcastPort)
    {
        return String.join("\n",
            "<config xmlns=\"urn:org:jgroups\">",
            "  <UDP bind_addr=\"127.0.0.1\" mcast_addr=\"" + mcastAddr + "\" mcast_port=\"" + mcastPort + "\"",
            "       ip_ttl=\"0\" bundler.drop_when_full=\"false\"",
            "       thread_pool.min_threads=\"0\" thread_pool.max_threads=\"200\"",
            "       thread_pool.keep_alive_time=\"30s\"/>",
            "  <PING/>",
            "  <MERGE3 max_interval=\"30s\" min_interval=\"10s\"/>",
            "  <FD_SOCK2/>",
            "  <FD_ALL3/>",
            "  <VERIFY_SUSPECT2 timeout=\"1.5s\"/>",
            "  <BARRIER/>",
            "  <pbcast.NAKACK2 xmit_interval=\"0.5s\"/>",
            "  <UNICAST3 xmit_interval=\"0.5s\"/>",
            "  <pbcast.STABLE desired_avg_gossip=\"50s\" max_bytes=\"4M\"/>",
            "  <pbcast.GMS print_local_addr=\"false\" join_timeout=\"1s\"/>",
            "  <MFC max_credits=\"4M\" min_threshold=\"0.4\"/>",
            "  <UFC max_credits=\"4M\" min_threshold=\"0.4\"/>",
            "  <SEQUENCER/>",
            "  <FRAG2 frag_size=\"60K\"/>",
            "</config>");
    }

    public void start(final Path dir, final int members) throws Exception
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final String addr = "228.10." + random.nextInt(1, 250) + "." + random.nextInt(1, 250);
        final int port = random.nextInt(20_000, 60_000);
        config = config(addr, port);
        final String clusterName = "bench-" + random.nextLong();
        channels = new JChannel[members];
        delivered = new AtomicLongArray(members);
        for (int i = 0; i < members; i++)
        {
            final int member = i;
            channels[i] = new JChannel(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)));
            channels[i].setName("m" + i);
            channels[i].setReceiver(new Receiver()
            {
                public void receive(final Message msg)
                {
                    final byte[] bytes = msg.getArray();
                    final int offset = msg.getOffset();
                    latency.record(getLong(bytes, offset), System.nanoTime());
                    delivered.incrementAndGet(member);
                }
            });
            channels[i].connect(clusterName);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!formed(members))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("JGroups did not form a view of " + members);
            }
            Thread.sleep(10);
        }
    }

    private boolean formed(final int members)
    {
        for (final JChannel channel : channels)
        {
            if (channel.getView() == null || channel.getView().size() != members)
            {
                return false;
            }
        }
        return true;
    }

    public boolean send(final int member, final int payload) throws Exception
    {
        final byte[] bytes = new byte[payload];
        putLong(bytes, System.nanoTime());
        channels[member].send(new BytesMessage(null, bytes));
        return true;
    }

    private static void putLong(final byte[] bytes, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(value >>> (8 * i));
        }
    }

    private static long getLong(final byte[] bytes, final int offset)
    {
        long value = 0;
        for (int i = 7; i >= 0; i--)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    public long delivered(final int member)
    {
        return delivered.get(member);
    }

    public void resetLatency()
    {
        latency.reset();
    }

    public Histogram latency()
    {
        return latency.interval();
    }

    public String describe()
    {
        return "JGroups 5.4.8.Final SEQUENCER: 3 JChannels in one JVM, -Djava.net.preferIPv4Stack=true, stack:\n" +
            config;
    }

    public long retransmitRequests()
    {
        long sum = 0;
        for (final JChannel channel : channels)
        {
            sum += ((NAKACK2)channel.getProtocolStack().findProtocol(NAKACK2.class)).getXmitRequestsSent();
        }
        return sum;
    }

    public String stats()
    {
        long unicastXmits = 0;
        long nakackRequests = 0;
        for (final JChannel channel : channels)
        {
            nakackRequests += ((NAKACK2)channel.getProtocolStack().findProtocol(NAKACK2.class)).getXmitRequestsSent();
            unicastXmits += ((UNICAST3)channel.getProtocolStack().findProtocol(UNICAST3.class)).getNumXmits();
        }
        return "NAKACK2 xmit requests sent=" + nakackRequests + " UNICAST3 retransmissions=" + unicastXmits;
    }

    public void close()
    {
        if (channels != null)
        {
            for (int i = channels.length - 1; i >= 0; i--)
            {
                if (channels[i] != null)
                {
                    channels[i].close();
                }
            }
        }
    }
}
