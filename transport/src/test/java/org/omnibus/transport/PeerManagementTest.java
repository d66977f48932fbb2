package org.omnibus.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omnibus.transport.TestNode.AWAIT;

/**
 * Peers added and removed at run time: a removed node stops being a destination of sends to all (MDC manual,
 * unicast) or stops being listened to (MDC dynamic), and can be added again.
 */
class PeerManagementTest
{
    private static final int MESSAGES = 500;

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(value = ChannelMode.class, names = { "MDC_MANUAL", "MDC_DYNAMIC", "UNICAST" })
    @Timeout(60)
    void removedPeerIsNoLongerReached(final ChannelMode mode)
    {
        final int mcPort = TestNode.multicastPort();
        final List<TransportContext> contexts = new ArrayList<>();
        for (int id = 0; id < 3; id++)
        {
            contexts.add(TestNode.context(id, tempDir.toFile(), mode, mcPort));
        }
        final List<TestNode> nodes = TestNode.launchAll(contexts);
        try
        {
            final TestNode node0 = nodes.get(0);
            final TestNode node1 = nodes.get(1);
            final TestNode node2 = nodes.get(2);
            TestNode.awaitMesh(nodes, TransportStream.CONTROL);

            node0.transport.addPeer(node2.transport.localPeer());
            assertThat(node0.transport.peerNodeIds()).containsExactlyInAnyOrder(0, 1, 2);
            assertThatThrownBy(() -> node0.transport.addPeer(node0.transport.localPeer()))
                .isInstanceOf(IllegalArgumentException.class);

            assertThat(node0.transport.removePeer(2)).isTrue();
            assertThat(node0.transport.removePeer(2)).isFalse();
            assertThat(node0.transport.peerNodeIds()).containsExactlyInAnyOrder(0, 1);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
            assertThat(node0.transport.offer(2, TransportStream.CONTROL, buffer, 0, 16))
                .isEqualTo(Transport.UNKNOWN_NODE);

            final TestNode sender = ChannelMode.MDC_DYNAMIC == mode ? node2 : node0;
            final TestNode cutOff = ChannelMode.MDC_DYNAMIC == mode ? node0 : node2;
            final TestNode stillReached = node1;
            final int control = TransportStream.CONTROL.ordinal();
            Await.await(
                () ->
                {
                    int work = 0;
                    for (int i = 0; i < 20 && sender.nextSendSeq[control] < MESSAGES; i++)
                    {
                        if (sender.sendData(TransportStream.CONTROL, 64, false) < 0)
                        {
                            break;
                        }
                        work++;
                    }
                    return work + TestNode.pollAll(nodes);
                },
                () -> stillReached.nextReceiveSeq[control][sender.nodeId] == MESSAGES,
                AWAIT,
                () -> "peer still in the group receives everything");
            Await.await(
                () -> TestNode.pollAll(nodes),
                () -> sender.nextReceiveSeq[control][sender.nodeId] == MESSAGES,
                AWAIT,
                () -> "sender receives its own messages");

            assertThat(cutOff.nextReceiveSeq[control][sender.nodeId]).as("messages reaching the removed link")
                .isZero();
            assertThat(stillReached.errors).isEmpty();

            node0.transport.addPeer(node2.transport.localPeer());
            assertThat(node0.transport.peerNodeIds()).containsExactlyInAnyOrder(0, 1, 2);
            Await.await(
                () -> TestNode.pollAll(nodes),
                () -> node0.transport.isConnectedTo(2, TransportStream.CATCH_UP),
                AWAIT,
                () -> "direct publication to the re-added peer connects");
        }
        finally
        {
            TestNode.closeAll(nodes);
        }
    }
}
