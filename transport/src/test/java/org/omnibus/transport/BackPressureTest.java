package org.omnibus.transport;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.transport.TestNode.AWAIT;

/**
 * A fast sender and a slow subscriber: sends meet back-pressure, return a code, are retried by the caller, and the
 * slow subscriber still gets every message in order.
 */
class BackPressureTest
{
    private static final int MESSAGES = 20_000;
    private static final int MESSAGE_LENGTH = 200;

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(value = ChannelMode.class, names = { "MULTICAST", "MDC_MANUAL", "UNICAST" })
    @Timeout(90)
    void slowSubscriberLosesNothing(final ChannelMode mode)
    {
        final int mcPort = TestNode.multicastPort();
        final List<TestNode> nodes = TestNode.launchAll(List.of(
            TestNode.context(0, tempDir.toFile(), mode, mcPort).termBufferLength(64 * 1024).offerMaxAttempts(2),
            TestNode.context(1, tempDir.toFile(), mode, mcPort).termBufferLength(64 * 1024)));
        try
        {
            TestNode.awaitMesh(nodes, TransportStream.ORDERED);
            final TestNode sender = nodes.get(0);
            final TestNode slow = nodes.get(1);
            final int ordered = TransportStream.ORDERED.ordinal();
            final long[] round = { 0 };
            final long[] refused = { 0 };

            Await.await(
                () ->
                {
                    int work = 0;
                    for (int i = 0; i < 100 && sender.nextSendSeq[ordered] < MESSAGES; i++)
                    {
                        final long result = sender.sendData(TransportStream.ORDERED, MESSAGE_LENGTH, 0 == i % 2);
                        if (result < 0)
                        {
                            assertThat(result).isIn(Transport.BACK_PRESSURED, Transport.ADMIN_ACTION);
                            refused[0]++;
                            break;
                        }
                        work++;
                    }
                    work += sender.poll();
                    if (0 == (round[0]++ & 3))
                    {
                        work += slow.transport.poll(1);
                    }
                    return work;
                },
                () -> slow.dataReceived[ordered] == MESSAGES && sender.dataReceived[ordered] == MESSAGES,
                AWAIT,
                () -> "slow subscriber received " + slow.dataReceived[ordered] + " of " + MESSAGES);

            assertThat(slow.errors).isEmpty();
            assertThat(sender.errors).isEmpty();
            assertThat(slow.nextReceiveSeq[ordered][sender.nodeId]).isEqualTo(MESSAGES);
            assertThat(refused[0]).as("sends refused with BACK_PRESSURED").isPositive();
            assertThat(sender.transport.counters().backPressured()).isPositive();
            assertThat(sender.transport.counters().sendRetriesExhausted()).isEqualTo(refused[0]);
        }
        finally
        {
            TestNode.closeAll(nodes);
        }
    }
}
