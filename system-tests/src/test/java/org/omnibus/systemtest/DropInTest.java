package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Omnibus as a drop-in for dbus-daemon: started with dbus-daemon's command line ({@code --config-file --nofork
 * --print-address}) it serves real clients and stops on SIGTERM. Each case also runs against dbus-daemon itself.
 */
@Timeout(60)
class DropInTest
{
    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = BusKind.class, names = {"DBUS_DAEMON", "OMNIBUS_PROCESS"})
    void dbusDaemonCommandLineServesAndStopsOnSigterm(final BusKind kind) throws IOException
    {
        final ProcessBus bus = (ProcessBus)Bus.start(kind, tempDir, "DropInTest");
        try
        {
            assertThat(Cli.run(bus, "busctl", "--address=" + bus.address(), "list", "--no-pager")
                .assertSuccess().stdout()).contains("org.freedesktop.DBus");
        }
        finally
        {
            bus.close();
        }
        assertThat(bus.exitCode()).as("exit code after SIGTERM").isIn(0, 143);
        assertThat(bus.socketPath()).as("the socket is removed").doesNotExist();
    }

    @Test
    void dbusRunSessionOnDbusDaemon() throws IOException
    {
        runSession(Path.of("/usr/bin/dbus-daemon"));
    }

    private static void runSession(final Path daemon)
    {
        final Cli.Result result = Cli.run(null, Duration.ofSeconds(45), List.of("dbus-run-session",
            "--dbus-daemon=" + daemon, "--", "dbus-send", "--session", "--print-reply",
            "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.GetId"));

        assertThat(result.assertSuccess().stdout()).containsPattern("string \"[0-9a-f]{32}\"");
    }
}
