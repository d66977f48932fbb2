package org.omnibus.benchmarks.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.View;
import org.omnibus.membership.aeron.BootstrapMode;
import org.omnibus.membership.aeron.Group;
import org.omnibus.membership.aeron.GroupContext;
import org.omnibus.membership.aeron.GroupThreadingMode;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalContext;
import org.omnibus.persistence.JournalDurability;
import org.omnibus.transport.ChannelMode;
import org.omnibus.transport.TransportContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Omnibus ordered throughput with journaling off, on (page cache) and on with fsync per batch, in the same run:
 * a one-node cluster {@link Group} (unicast on loopback, embedded SHARED media driver, INVOKER threading as in the
 * node) driven on one thread, the way the node's agent drives it: submit AGREED messages while the group accepts
 * them, then {@code doWork()}; every delivered message is appended to the journal exactly as the node's
 * {@code ClusterBridge.onDeliver} does ({@code journal.append(seq, view, origin, originSeq, timestamp, frame)}),
 * and {@code endBatch()} follows each duty cycle that did work, as the node's {@code GroupInvoker} does. Score:
 * messages delivered (and journaled) per second over the measured period. Runs rotate the order of the modes so
 * that a drifting machine load weighs on all of them alike; the table gives median, min and max of the runs.
 */
@Command(name = "ordered-journal-bench", mixinStandardHelpOptions = true,
    description = "Ordered throughput of a one-node group with journaling off / page-cache / fsync-batch.")
public final class OrderedJournalBench implements Callable<Integer>
{
    @Option(names = "--modes", split = ",", defaultValue = "off,page-cache,fsync-batch",
        description = "Modes: off, page-cache, fsync-batch. Default: ${DEFAULT-VALUE}")
    private List<String> modes;

    @Option(names = "--runs", defaultValue = "5", description = "Runs per mode. Default: ${DEFAULT-VALUE}")
    private int runs;

    @Option(names = "--warmup-ms", defaultValue = "3000", description = "Warm-up per run. Default: ${DEFAULT-VALUE}")
    private long warmupMs;

    @Option(names = "--measure-ms", defaultValue = "5000",
        description = "Measured period per run. Default: ${DEFAULT-VALUE}")
    private long measureMs;

    @Option(names = "--message-bytes", defaultValue = "100",
        description = "Message (frame) length. Default: ${DEFAULT-VALUE}")
    private int messageBytes;

    @Option(names = "--burst", defaultValue = "64",
        description = "Most submissions per duty cycle. Default: ${DEFAULT-VALUE}")
    private int burst;

    @Option(names = "--dir", description = "Where the groups' and journals' directories go. Default: java.io.tmpdir")
    private Path dir;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new OrderedJournalBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final Map<String, List<Result>> results = new LinkedHashMap<>();
        for (final String mode : modes)
        {
            results.put(mode, new ArrayList<>());
        }
        for (int run = 0; run < runs; run++)
        {
            for (int i = 0; i < modes.size(); i++)
            {
                final String mode = modes.get((i + run) % modes.size());
                final Result result = runOnce(mode);
                results.get(mode).add(result);
                System.out.printf(Locale.ROOT, "run %d %-11s %,12.0f msg/s  batches %,10d  mean batch %6.1f%n",
                    run, mode, result.rate, result.batches, result.meanBatch());
            }
        }
        System.out.println();
        System.out.println("| mode | median msg/s | min – max | vs off (medians) | mean messages per batch |");
        System.out.println("|---|---:|---|---:|---:|");
        final double offMedian = results.containsKey("off") ? median(results.get("off")) : Double.NaN;
        for (final Map.Entry<String, List<Result>> entry : results.entrySet())
        {
            final List<Result> list = entry.getValue();
            final double median = median(list);
            final double min = list.stream().mapToDouble(r -> r.rate).min().orElse(0);
            final double max = list.stream().mapToDouble(r -> r.rate).max().orElse(0);
            final double batch = list.stream().mapToDouble(Result::meanBatch).sorted().toArray()[list.size() / 2];
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f – %,.0f | %s | %.1f |%n", entry.getKey(), median,
                min, max, Double.isNaN(offMedian) ? "-" :
                String.format(Locale.ROOT, "%+.1f%%", 100.0 * (median - offMedian) / offMedian), batch);
        }
        return 0;
    }

    private static double median(final List<Result> list)
    {
        final double[] rates = list.stream().mapToDouble(r -> r.rate).sorted().toArray();
        return rates.length % 2 == 1 ? rates[rates.length / 2] :
            (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
    }

    private Result runOnce(final String mode) throws IOException
    {
        final Path runDir = dir == null ? BenchmarkFiles.createTempDirectory("ordered-journal-bench") :
            java.nio.file.Files.createTempDirectory(dir, "ordered-journal-bench");
        final Journal journal = switch (mode)
        {
            case "off" -> null;
            case "page-cache" -> Journal.open(new JournalContext()
                .directory(runDir.resolve("journal")).durability(JournalDurability.PAGE_CACHE));
            case "fsync-batch" -> Journal.open(new JournalContext()
                .directory(runDir.resolve("journal")).durability(JournalDurability.FSYNC_ON_BATCH));
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown mode " + mode);
        };
        final Delivery delivery = new Delivery(journal);
        final Group group = Group.launch(new GroupContext()
            .bootstrapMode(BootstrapMode.ALWAYS)
            .nodeId(1)
            .dataDir(runDir.resolve("group").toFile())
            .clusterSecret("ordered-journal-bench-secret")
            .initialMembers(1)
            .threadingMode(GroupThreadingMode.INVOKER)
            .listener(delivery)
            .stateTransferHandler(delivery)
            .transportContext(new TransportContext().channelMode(ChannelMode.UNICAST).endpoint("127.0.0.1:0")));
        try
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!group.isPrimary())
            {
                group.doWork();
                Thread.yield();
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("no primary view within 30 s");
                }
            }
            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(messageBytes));
            for (int i = 0; i < messageBytes; i++)
            {
                message.putByte(i, (byte)i);
            }
            final long startNs = System.nanoTime();
            final long measureStartNs = startNs + TimeUnit.MILLISECONDS.toNanos(warmupMs);
            final long endNs = measureStartNs + TimeUnit.MILLISECONDS.toNanos(measureMs);
            long deliveredAtStart = -1;
            long batchesAtStart = 0;
            long nowNs;
            while ((nowNs = System.nanoTime()) < endNs)
            {
                if (deliveredAtStart < 0 && nowNs >= measureStartNs)
                {
                    deliveredAtStart = delivery.delivered;
                    batchesAtStart = delivery.batches;
                }
                for (int i = 0; i < burst; i++)
                {
                    if (group.submit(DeliveryLevel.AGREED, message, 0, messageBytes) != Group.ACCEPTED)
                    {
                        break;
                    }
                }
                final int work = group.doWork();
                if (work > 0 && journal != null)
                {
                    journal.endBatch();
                    delivery.batches++;
                }
                if (work == 0)
                {
                    Thread.yield();
                }
            }
            final double seconds = (System.nanoTime() - measureStartNs) / 1e9;
            final long delivered = delivery.delivered - deliveredAtStart;
            if (delivery.journalFailures > 0)
            {
                throw new IllegalStateException("journal refused " + delivery.journalFailures + " appends");
            }
            return new Result(delivered / seconds, delivery.batches - batchesAtStart, delivered);
        }
        finally
        {
            group.close();
            if (journal != null)
            {
                journal.close();
            }
            BenchmarkFiles.delete(runDir);
        }
    }

    private record Result(double rate, long batches, long delivered)
    {
        double meanBatch()
        {
            return batches == 0 ? 0 : (double)delivered / batches;
        }
    }

    /**
     * What the node's ClusterBridge does with each delivered message, less the hand-over to the edge.
     */
    private static final class Delivery implements MembershipListener, StateTransferHandler
    {
        private final Journal journal;
        private long delivered;
        private long batches;
        private long journalFailures;

        Delivery(final Journal journal)
        {
            this.journal = journal;
        }

        @Override
        public void onDeliver(
            final long viewId,
            final long globalSeq,
            final int originNode,
            final long originIncarnation,
            final long originSeq,
            final DeliveryLevel level,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            if (journal != null && journal.append(globalSeq, viewId, originNode, originSeq,
                System.currentTimeMillis() * 1_000_000L, buffer, offset, length) < 0)
            {
                journalFailures++;
            }
            delivered++;
        }

        @Override
        public void onViewChange(final View view)
        {
        }

        @Override
        public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
        {
            return 0;
        }

        @Override
        public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
        {
        }
    }
}
