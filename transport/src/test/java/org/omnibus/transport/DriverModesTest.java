package org.omnibus.transport;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.transport.TestNode.AWAIT;

/**
 * A node on an external media driver and a node whose embedded driver runs in INVOKER mode (driven by
 * {@link Transport#poll(int)}, no driver thread) exchange messages over multicast.
 */
class DriverModesTest
{
    private static final int MESSAGES_PER_NODE = 2_000;

    @TempDir
    Path tempDir;

    @Test
    @Timeout(60)
    void externalAndInvokerDriversExchange()
    {
        final File externalDir = tempDir.resolve("external-aeron").toFile();
        final MediaDriver external = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(externalDir.getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .termBufferSparseFile(true)
            .dirDeleteOnShutdown(true));
        final List<TestNode> nodes = new ArrayList<>();
        try
        {
            final int mcPort = TestNode.multicastPort();
            nodes.addAll(TestNode.launchAll(List.of(
                TestNode.context(0, tempDir.toFile(), ChannelMode.MULTICAST, mcPort)
                    .aeronDirectoryName(externalDir.getAbsolutePath()),
                TestNode.context(1, tempDir.toFile(), ChannelMode.MULTICAST, mcPort)
                    .threadingMode(ThreadingMode.INVOKER))));
            final TestNode onExternal = nodes.get(0);
            final TestNode invoker = nodes.get(1);
            assertThat(onExternal.transport.context().isEmbeddedDriver()).isFalse();
            assertThat(onExternal.transport.driverDirectoryName()).isEqualTo(externalDir.getAbsolutePath());
            assertThat(new File(onExternal.dataDir, TransportConfiguration.DRIVER_DIR_NAME)).doesNotExist();
            assertThat(new File(invoker.dataDir, TransportConfiguration.DRIVER_DIR_NAME)).isDirectory();

            TestNode.awaitMesh(nodes, TransportStream.SUBMIT);
            final int submit = TransportStream.SUBMIT.ordinal();
            Await.await(
                () ->
                {
                    int work = 0;
                    for (final TestNode node : nodes)
                    {
                        for (int i = 0; i < 20 && node.nextSendSeq[submit] < MESSAGES_PER_NODE; i++)
                        {
                            if (node.sendData(TransportStream.SUBMIT, 64, 0 == i % 2) < 0)
                            {
                                break;
                            }
                            work++;
                        }
                    }
                    return work + TestNode.pollAll(nodes);
                },
                () -> nodes.stream().allMatch((node) -> node.dataReceived[submit] == 2L * MESSAGES_PER_NODE),
                AWAIT,
                () -> "all delivered");

            for (final TestNode node : nodes)
            {
                assertThat(node.errors).isEmpty();
            }
        }
        finally
        {
            TestNode.closeAll(nodes);
            CloseHelper.close(external);
        }

        assertThat(nodes.get(0).transport.isClosed()).isTrue();
        nodes.get(0).transport.close();
        assertThat(externalDir).doesNotExist();
    }
}
