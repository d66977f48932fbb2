package org.omnibus.transport;

import io.aeron.driver.status.SystemCounterDescriptor;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.transport.TestNode.AWAIT;

/**
 * With the loss generator dropping 5% of received data frames on every node, everything still arrives in order,
 * and the drivers' NAK and retransmit counters show the recovery. Every channel mode recovers; MDC_MANUAL takes
 * seconds where multicast and unicast take milliseconds (see docs/ARCHITECTURE.md, Transport).
 */
class LossTest
{
    private static final int NODES = 3;
    private static final int MESSAGES_PER_NODE = 5_000;
    private static final int MESSAGE_LENGTH = 100;
    private static final double LOSS_RATE = 0.05;

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(ChannelMode.class)
    @Timeout(90)
    void fivePercentLossRecoveredByNaks(final ChannelMode mode)
    {
        final int mcPort = TestNode.multicastPort();
        final List<TransportContext> contexts = new ArrayList<>();
        for (int id = 0; id < NODES; id++)
        {
            contexts.add(TestNode.context(id, tempDir.toFile(), mode, mcPort).lossRate(LOSS_RATE).lossSeed(100 + id));
        }

        final List<TestNode> nodes = TestNode.launchAll(contexts);
        try
        {
            TestNode.awaitMesh(nodes, TransportStream.ORDERED);
            final int ordered = TransportStream.ORDERED.ordinal();
            Await.await(
                () ->
                {
                    int work = 0;
                    for (final TestNode node : nodes)
                    {
                        for (int i = 0; i < 20 && node.nextSendSeq[ordered] < MESSAGES_PER_NODE; i++)
                        {
                            if (node.sendData(TransportStream.ORDERED, MESSAGE_LENGTH, false) < 0)
                            {
                                break;
                            }
                            work++;
                        }
                    }
                    return work + TestNode.pollAll(nodes);
                },
                () -> nodes.stream().allMatch((node) -> node.dataReceived[ordered] == (long)NODES * MESSAGES_PER_NODE),
                AWAIT,
                () -> "all delivered despite loss");

            long naksSent = 0;
            long retransmits = 0;
            for (final TestNode node : nodes)
            {
                assertThat(node.errors).isEmpty();
                assertThat(node.transport.lossGenerator().droppedFrames()).isPositive();
                naksSent += node.transport.systemCounter(SystemCounterDescriptor.NAK_MESSAGES_SENT);
                retransmits += node.transport.systemCounter(SystemCounterDescriptor.RETRANSMITS_SENT);
            }
            assertThat(naksSent).as("NAKs sent").isPositive();
            assertThat(retransmits).as("retransmits sent").isPositive();
        }
        finally
        {
            TestNode.closeAll(nodes);
        }
    }
}
