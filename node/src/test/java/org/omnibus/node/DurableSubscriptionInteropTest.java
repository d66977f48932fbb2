package org.omnibus.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.api.BusConnection;
import org.omnibus.test.Tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A libdbus client (python3-dbus) subscribes with {@code org.omnibus.Journal.Subscribe} and receives the replayed
 * and live signals: libdbus accepts the extension header fields (codes 128 and 129) that carry the sequence.
 */
@Timeout(120)
class DurableSubscriptionInteropTest
{
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = String.join("\n",
        "import sys, dbus, dbus.mainloop.glib",
        "from gi.repository import GLib",
        "dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)",
        "bus = dbus.bus.BusConnection(sys.argv[1])",
        "count = int(sys.argv[3])",
        "loop = GLib.MainLoop()",
        "got = []",
        "def on_message(conn, msg):",
        "    if msg.get_type() == 4 and msg.get_interface() == 'com.example.Feed':",
        "        got.append(int(msg.get_args_list()[0]))",
        "        if len(got) == 10:",
        "            print('live', flush=True)",
        "        if len(got) >= count:",
        "            loop.quit()",
        "bus.add_message_filter(on_message)",
        "reply = bus.call_blocking('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.omnibus.Journal',",
        "    'Subscribe', 'st', (sys.argv[2], 0))",
        "print('subscribed', int(reply[0]), int(reply[1]), flush=True)",
        "GLib.timeout_add(60000, loop.quit)",
        "loop.run()",
        "print('got', ' '.join(str(v) for v in got), flush=True)",
        "");

    @TempDir
    Path dir;

    private Node node;

    @AfterEach
    void stop()
    {
        if (node != null)
        {
            node.close();
        }
    }

    @Test
    void python3DbusReceivesDurableSignals() throws Exception
    {
        node = Node.launch(new NodeContext().dataDir(dir.resolve("node")).nodeId(1).cluster(ClusterSettings.single(1)));
        Tests.await(() -> node.group().isPrimary(), Duration.ofSeconds(60), () -> "primary view");
        final Path script = dir.resolve("subscriber.py");
        Files.writeString(script, SCRIPT);
        try (BusConnection publisher = BusConnection.connect(node.clientAddress()))
        {
            for (long i = 0; i < 10; i++)
            {
                publisher.emitSignal("/feed", "com.example.Feed", "Tick", "t", i);
            }
            final Process python = new ProcessBuilder(PYTHON, script.toString(), node.clientAddress(),
                "type='signal',interface='com.example.Feed'", "20")
                .redirectErrorStream(true).start();
            try
            {
                final java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
                final StringBuilder transcript = new StringBuilder();
                String line;
                // history first (replayed), then live once the subscriber has read it
                while ((line = out.readLine()) != null)
                {
                    transcript.append(line).append('\n');
                    if (line.equals("live"))
                    {
                        for (long i = 10; i < 20; i++)
                        {
                            publisher.emitSignal("/feed", "com.example.Feed", "Tick", "t", i);
                        }
                    }
                    if (line.startsWith("got"))
                    {
                        break;
                    }
                }
                assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(transcript.toString()).contains("subscribed ")
                    .contains("got 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n");
                assertThat(python.exitValue()).as(transcript.toString()).isZero();
            }
            finally
            {
                python.destroyForcibly();
            }
        }
    }
}
