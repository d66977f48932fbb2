package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;
import org.omnibus.test.Tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dbus-monitor (org.freedesktop.DBus.Monitoring.BecomeMonitor) sees unicast calls between other clients, their
 * replies and broadcast signals; its own unique name is gone once it monitors.
 */
class MonitorTest extends BusTest
{
    @Test
    void dbusMonitorSeesTrafficBetweenOthers() throws IOException
    {
        final List<String> lines = new ArrayList<>();
        final ProcessBuilder builder = new ProcessBuilder("dbus-monitor", "--address", bus.address())
            .redirectErrorStream(true);
        Cli.environment(builder, bus);
        final Process monitor = builder.start();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    synchronized (lines)
                    {
                        lines.add(line);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the monitor has gone
            }
        }, "dbus-monitor-output");
        reader.setDaemon(true);
        reader.start();

        try (PyClient.Group group = PyClient.startGroup(bus, "service", "caller"))
        {
            // dbus-monitor loses its unique name when it becomes a monitor: it is ready then
            awaitLine(lines, "member=NameLost");

            final PyClient service = group.get(0);
            final PyClient caller = group.get(1);
            service.serve("/org/omnibus/test/Monitored");
            assertThat(caller.call(service.uniqueName(), "/org/omnibus/test/Monitored", "org.omnibus.Test",
                "Echo", "s", "watched").kind()).isEqualTo("reply");
            caller.emit(null, "/org/omnibus/test", "org.omnibus.Test", "Broadcast", "s", "everyone");

            // the signal's argument is printed on the line after its header: wait for that, the last line expected
            awaitLine(lines, "string \"everyone\"");
            final String text;
            synchronized (lines)
            {
                text = String.join("\n", lines);
            }
            assertThat(text)
                .contains("method call ")
                .contains("sender=" + caller.uniqueName() + " -> destination=" + service.uniqueName())
                .contains("member=Echo")
                .contains("method return ")
                .contains("sender=" + service.uniqueName() + " -> destination=" + caller.uniqueName())
                .contains("string \"watched\"")
                .contains("string \"everyone\"");
        }
        finally
        {
            Cli.killTree(monitor);
        }
    }

    private static void awaitLine(final List<String> lines, final String text)
    {
        Tests.await(() ->
        {
            synchronized (lines)
            {
                return lines.stream().anyMatch(line -> line.contains(text));
            }
        }, PyClient.TIMEOUT, () -> "dbus-monitor printing " + text + "; printed " + lines);
    }
}
