package org.omnibus.transport;

import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Validation and defaults of the transport configuration; no driver is started here.
 */
class TransportContextTest
{
    @TempDir
    Path tempDir;

    private TransportContext multicastContext()
    {
        return new TransportContext()
            .nodeId(1)
            .dataDir(tempDir.toFile())
            .channelMode(ChannelMode.MULTICAST)
            .multicastEndpoint("224.0.1.1:40456");
    }

    @Test
    void multicastWithoutInterfaceIsRefused()
    {
        assertThatThrownBy(() -> multicastContext().multicastInterface(null).conclude())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("224.0.1.1:40456 has no interface")
            .hasMessageContaining("interface=127.0.0.1");

        assertThatThrownBy(() -> Channels.multicast("224.0.1.1:40456", " ", 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("has no interface");
    }

    @Test
    void multicastWithWildcardInterfaceIsRefused()
    {
        assertThatThrownBy(() -> multicastContext().multicastInterface("0.0.0.0").conclude())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("wildcard interface");
    }

    @Test
    void multicastAddressAsUnicastEndpointIsRefused()
    {
        assertThatThrownBy(() -> Channels.unicast("239.1.2.3:5000"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("needs a named interface");
        assertThatThrownBy(() -> multicastContext().multicastInterface("127.0.0.1").endpoint("224.0.1.3:9000")
            .conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channels.multicast("127.0.0.1:5000", "127.0.0.1", 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a multicast address");
    }

    @Test
    void multicastChannelNamesInterfaceAndTtl()
    {
        final String channel = Channels.multicast("224.0.1.1:40456", "127.0.0.1", 0).build();
        assertThat(channel)
            .startsWith("aeron:udp?")
            .contains("endpoint=224.0.1.1:40456")
            .contains("interface=127.0.0.1")
            .contains("ttl=0");
    }

    @Test
    void defaultsAreSharedBackoffMulticastWithDistinctStreams()
    {
        final TransportContext ctx = multicastContext().multicastInterface("127.0.0.1").conclude();
        assertThat(ctx.threadingMode()).isEqualTo(ThreadingMode.SHARED);
        assertThat(ctx.idleStrategy()).isEqualTo(IdleStrategyKind.BACKOFF);
        assertThat(ctx.channelMode()).isEqualTo(ChannelMode.MULTICAST);
        assertThat(ctx.isEmbeddedDriver()).isTrue();
        assertThat(ctx.dirDeleteOnShutdown()).isTrue();
        assertThat(ctx.driverDirectoryName()).isEqualTo(tempDir.resolve("aeron").toAbsolutePath().toString());
        assertThat(ctx.flowControl()).isEqualTo(TransportConfiguration.FLOW_CONTROL_DEFAULT);
        assertThat(ctx.lossGenerator()).isNull();
        assertThat(ctx.streamId(TransportStream.CONTROL)).isEqualTo(1001);
        assertThat(ctx.streamId(TransportStream.SUBMIT)).isEqualTo(1002);
        assertThat(ctx.streamId(TransportStream.ORDERED)).isEqualTo(1003);
        assertThat(ctx.streamId(TransportStream.CATCH_UP)).isEqualTo(1004);
        assertThat(ctx.handler(TransportStream.ORDERED)).isNotNull();
        assertThat(ctx.imageListener()).isNotNull();
    }

    @Test
    void concludeOnlyOnce()
    {
        final TransportContext ctx = multicastContext().multicastInterface("127.0.0.1").conclude();
        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requiredSettingsPerMode()
    {
        assertThatThrownBy(() -> new TransportContext().dataDir(tempDir.toFile()).multicastInterface("127.0.0.1")
            .conclude())
            .hasMessageContaining("nodeId");
        assertThatThrownBy(() -> new TransportContext().nodeId(1).multicastInterface("127.0.0.1")
            .aeronDirectoryName(null).conclude())
            .hasMessageContaining("dataDir");
        assertThatThrownBy(() -> multicastContext().channelMode(ChannelMode.UNICAST).conclude())
            .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> multicastContext().channelMode(ChannelMode.MDC_DYNAMIC).endpoint("127.0.0.1:0")
            .conclude())
            .hasMessageContaining("controlEndpoint");
        assertThatThrownBy(() -> multicastContext().channelMode(ChannelMode.MDC_MANUAL).endpoint("127.0.0.1:0")
            .peer(new TransportPeer(2, null, null)).conclude())
            .hasMessageContaining("needs an endpoint");
        assertThatThrownBy(() -> multicastContext().multicastInterface("127.0.0.1")
            .peer(TransportPeer.of(1, "127.0.0.1:9000")).conclude())
            .hasMessageContaining("must not list this node");
    }

    @Test
    void invalidNumbersAreRefused()
    {
        assertThatThrownBy(() -> multicastContext().multicastInterface("127.0.0.1").termBufferLength(100_000)
            .conclude())
            .hasMessageContaining("termBufferLength");
        assertThatThrownBy(() -> multicastContext().multicastInterface("127.0.0.1").mtuLength(1400).conclude())
            .hasMessageContaining("mtuLength");
        assertThatThrownBy(() -> multicastContext().multicastInterface("127.0.0.1").offerMaxAttempts(0).conclude())
            .hasMessageContaining("offerMaxAttempts");
        assertThatThrownBy(() -> multicastContext().multicastInterface("127.0.0.1")
            .streamId(TransportStream.SUBMIT, 1001).conclude())
            .hasMessageContaining("distinct");
        assertThatThrownBy(() -> new TransportLossGenerator(1.5, 1L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lossNeedsEmbeddedDriver()
    {
        assertThatThrownBy(() -> multicastContext().multicastInterface("127.0.0.1")
            .aeronDirectoryName(tempDir.resolve("external").toString()).lossRate(0.05).conclude())
            .hasMessageContaining("embedded");

        final TransportContext ctx = multicastContext().multicastInterface("127.0.0.1").lossRate(0.05).conclude();
        assertThat(ctx.lossGenerator()).isNotNull();
        assertThat(ctx.lossGenerator().rate()).isEqualTo(0.05);
    }

    @Test
    void idleStrategyNames()
    {
        assertThat(IdleStrategyKind.fromConfigName("Backoff")).isEqualTo(IdleStrategyKind.BACKOFF);
        assertThat(IdleStrategyKind.fromConfigName("busy-spin")).isEqualTo(IdleStrategyKind.BUSY_SPIN);
        assertThat(IdleStrategyKind.SLEEPING.newIdleStrategy())
            .isNotSameAs(IdleStrategyKind.SLEEPING.newIdleStrategy());
        assertThatThrownBy(() -> IdleStrategyKind.fromConfigName("spin-forever"))
            .hasMessageContaining("unknown idle strategy");
    }

    @Test
    void lossGeneratorDropsOnlyDataFramesOfSelectedStreams()
    {
        final TransportLossGenerator generator = new TransportLossGenerator(1.0, 7L, new int[]{ 1003 });
        assertThat(generator.shouldDropFrame(null, null, 64)).isFalse();
        assertThat(generator.shouldDropFrame(null, null, 1001, 1, 0, 0, 64)).isFalse();
        assertThat(generator.shouldDropFrame(null, null, 1003, 1, 0, 0, 64)).isTrue();
        generator.rate(0.0);
        assertThat(generator.shouldDropFrame(null, null, 1003, 1, 0, 0, 64)).isFalse();
        assertThat(generator.droppedFrames()).isEqualTo(1);
    }
}
