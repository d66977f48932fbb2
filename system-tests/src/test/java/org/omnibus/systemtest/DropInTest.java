package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Omnibus as a drop-in for dbus-daemon: started with dbus-daemon's command line ({@code --config-file --nofork
 * --print-address}) it serves real clients and stops on SIGTERM; and {@code dbus-run-session --dbus-daemon=}
 * runs a session on it. Each case also runs against dbus-daemon itself.
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

    @Test
    void dbusRunSessionOnOmnibus() throws IOException
    {
        final Path wrapper = tempDir.resolve("omnibus-daemon");
        final List<String> command = new ArrayList<>(ProcessBus.omnibusCommand());
        command.add("--data-dir=" + tempDir.resolve("data"));
        final StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
        command.forEach(arg -> script.append(" '").append(arg.replace("'", "'\\''")).append('\''));
        script.append(" \"$@\"\n");
        Files.writeString(wrapper, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));

        runSession(wrapper);
    }

    private static void runSession(final Path daemon)
    {
        final Cli.Result result = Cli.run(null, Duration.ofSeconds(45), List.of("dbus-run-session",
            "--dbus-daemon=" + daemon, "--", "dbus-send", "--session", "--print-reply",
            "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.GetId"));

        assertThat(result.assertSuccess().stdout()).containsPattern("string \"[0-9a-f]{32}\"");
    }
}
