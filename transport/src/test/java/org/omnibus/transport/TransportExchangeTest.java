package org.omnibus.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.transport.TestNode.AWAIT;

/**
 * Three embedded drivers in one JVM exchange messages in every channel mode: sends to all (by offer and by
 * tryClaim, including messages larger than the MTU) and direct sends to one node, all checked for order and
 * completeness at every receiver.
 */
class TransportExchangeTest
{
    private static final int NODES = 3;
    private static final int MESSAGES_PER_NODE = 3_000;
    private static final int DIRECT_MESSAGES = 500;
    private static final int MESSAGE_LENGTH = 100;
    private static final int LARGE_MESSAGE_LENGTH = 5_000;

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(ChannelMode.class)
    @Timeout(90)
    void threeNodesExchangeInOrder(final ChannelMode mode)
    {
        final int mcPort = TestNode.multicastPort();
        final List<TransportContext> contexts = new ArrayList<>();
        for (int id = 0; id < NODES; id++)
        {
            contexts.add(TestNode.context(id, tempDir.toFile(), mode, mcPort));
        }

        final List<TestNode> nodes = TestNode.launchAll(contexts);
        try
        {
            for (final TestNode node : nodes)
            {
                assertThat(new File(node.dataDir, TransportConfiguration.DRIVER_DIR_NAME)).isDirectory();
                assertThat(node.transport.peerNodeIds()).containsExactlyInAnyOrder(0, 1, 2);
            }

            final long meshStartNs = System.nanoTime();
            TestNode.awaitMesh(nodes, TransportStream.ORDERED);
            final long exchangeStartNs = System.nanoTime();
            final TestNode source = nodes.get(1);
            final TestNode target = nodes.get(2);
            Await.await(
                () -> TestNode.pollAll(nodes),
                () -> source.transport.isConnectedTo(target.nodeId, TransportStream.CATCH_UP),
                AWAIT,
                () -> "direct publication connected");

            Await.await(
                () -> sendRound(nodes, source, target) + TestNode.pollAll(nodes),
                () -> nodes.stream().allMatch((node) ->
                    node.dataReceived[TransportStream.ORDERED.ordinal()] == (long)NODES * MESSAGES_PER_NODE) &&
                    target.dataReceived[TransportStream.CATCH_UP.ordinal()] == DIRECT_MESSAGES,
                AWAIT,
                () -> "all messages delivered: " + received(nodes));

            LoggerFactory.getLogger(TransportExchangeTest.class).info("{}: mesh in {} ms, exchange in {} ms", mode,
                (exchangeStartNs - meshStartNs) / 1_000_000, (System.nanoTime() - exchangeStartNs) / 1_000_000);
            for (final TestNode node : nodes)
            {
                assertThat(node.errors).isEmpty();
                for (final TestNode sender : nodes)
                {
                    assertThat(node.nextReceiveSeq[TransportStream.ORDERED.ordinal()][sender.nodeId])
                        .isEqualTo(MESSAGES_PER_NODE);
                }
            }
            assertThat(nodes.get(0).dataReceived[TransportStream.CATCH_UP.ordinal()]).isZero();
            assertThat(source.dataReceived[TransportStream.CATCH_UP.ordinal()]).isZero();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
            assertThat(source.transport.offer(99, TransportStream.CATCH_UP, buffer, 0, 8))
                .isEqualTo(Transport.UNKNOWN_NODE);
        }
        finally
        {
            TestNode.closeAll(nodes);
        }

        for (final TestNode node : nodes)
        {
            assertThat(new File(node.dataDir, TransportConfiguration.DRIVER_DIR_NAME)).doesNotExist();
        }
    }

    private static int sendRound(final List<TestNode> nodes, final TestNode source, final TestNode target)
    {
        int sent = 0;
        for (final TestNode node : nodes)
        {
            for (int i = 0; i < 20 && node.nextSendSeq[TransportStream.ORDERED.ordinal()] < MESSAGES_PER_NODE; i++)
            {
                final long seq = node.nextSendSeq[TransportStream.ORDERED.ordinal()];
                final int length = 0 == seq % 500 ? LARGE_MESSAGE_LENGTH : MESSAGE_LENGTH;
                final boolean useClaim = length <= node.transport.maxClaimLength() && 0 == seq % 2;
                if (node.sendData(TransportStream.ORDERED, length, useClaim) < 0)
                {
                    break;
                }
                sent++;
            }
        }

        for (int i = 0; i < 10 && source.nextDirectSendSeq[TransportStream.CATCH_UP.ordinal()] < DIRECT_MESSAGES; i++)
        {
            final long seq = source.nextDirectSendSeq[TransportStream.CATCH_UP.ordinal()];
            if (source.sendDataTo(target.nodeId, TransportStream.CATCH_UP, MESSAGE_LENGTH, 0 == seq % 2) < 0)
            {
                break;
            }
            sent++;
        }

        return sent;
    }

    private static String received(final List<TestNode> nodes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final TestNode node : nodes)
        {
            sb.append(" node ").append(node.nodeId)
                .append(" ordered=").append(node.dataReceived[TransportStream.ORDERED.ordinal()])
                .append(" catchUp=").append(node.dataReceived[TransportStream.CATCH_UP.ordinal()])
                .append(" errors=").append(node.errors.size());
        }
        return sb.toString();
    }
}
