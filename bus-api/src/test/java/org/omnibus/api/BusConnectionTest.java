package org.omnibus.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.dbus.DBusProtocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client against the reference bus, a private dbus-daemon: Hello, calls and errors, signals to handlers,
 * close, and a bus without org.omnibus.Journal.
 */
@Timeout(60)
class BusConnectionTest
{
    @TempDir
    Path dir;

    private Process daemon;
    private String address;

    @BeforeEach
    void startDaemon() throws IOException
    {
        daemon = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1",
            "--address=unix:path=" + dir.resolve("bus")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        address = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        assertThat(address).startsWith("unix:path=");
    }

    @AfterEach
    void stopDaemon() throws InterruptedException
    {
        daemon.destroy();
        daemon.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void callsSignalsAndErrors() throws Exception
    {
        try (BusConnection a = BusConnection.connect(address); BusConnection b = BusConnection.connect(address))
        {
            assertThat(a.uniqueName()).startsWith(":");
            assertThat(a.guid()).hasSize(32);
            @SuppressWarnings("unchecked")
            final List<String> names = (List<String>)a.callDriver("ListNames", "").arg(0);
            assertThat(names).contains(a.uniqueName(), b.uniqueName());

            final Reply error = a.call(BusConnection.DRIVER_NAME, BusConnection.DRIVER_PATH,
                BusConnection.DRIVER_INTERFACE, "GetNameOwner", "s", "com.example.Nobody");
            assertThat(error.isError()).isTrue();
            assertThat(error.errorName()).isEqualTo("org.freedesktop.DBus.Error.NameHasNoOwner");
            assertThatThrownBy(error::orThrow).isInstanceOf(DBusException.class)
                .hasMessageContaining("NameHasNoOwner");

            final List<Long> ticks = new CopyOnWriteArrayList<>();
            final CountDownLatch all = new CountDownLatch(100);
            b.addHandler(m ->
            {
                if (m.type() == DBusProtocol.TYPE_SIGNAL && "Tick".equals(m.member()))
                {
                    ticks.add((Long)Reply.bodyOf(m).get(0));
                    all.countDown();
                }
            });
            b.addMatch("type='signal',interface='com.example.Feed'");
            for (long i = 0; i < 100; i++)
            {
                a.emitSignal("/feed", "com.example.Feed", "Tick", "t", i);
            }
            assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ticks).hasSize(100);
            for (int i = 0; i < 100; i++)
            {
                assertThat(ticks.get(i)).isEqualTo(i);
            }
            assertThat(JournalHeader.sequence(dummy())).isEqualTo(JournalHeader.NONE);

            // dbus-daemon has no journal interface
            final Reply subscribe = b.call(BusConnection.DRIVER_NAME, BusConnection.DRIVER_PATH,
                DurableSubscription.JOURNAL_INTERFACE, "Subscribe", "st", "type='signal'", 0L);
            assertThat(subscribe.errorName()).isEqualTo("org.freedesktop.DBus.Error.UnknownInterface");
        }
    }

    private static org.omnibus.codec.dbus.DBusMessageFlyweight dummy()
    {
        final byte[] bytes = org.omnibus.codec.dbus.DBusMessageBuilder.signal("/a", "a.b", "C").serial(1).build();
        return new org.omnibus.codec.dbus.DBusMessageFlyweight()
            .wrap(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
    }

    @Test
    void closingFailsWaitingCallsAndRunsListeners() throws Exception
    {
        final BusConnection a = BusConnection.connect(address);
        final CountDownLatch closed = new CountDownLatch(1);
        a.addCloseListener(closed::countDown);
        daemon.destroy();
        assertThat(closed.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(a.isConnected()).isFalse();
        assertThatThrownBy(() -> a.callDriver("ListNames", "")).isInstanceOf(IOException.class);
        a.close();
    }

    @Test
    void connectsToAnAbstractSocket() throws Exception
    {
        final String name = "omnibus-bus-api-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Process abstractDaemon = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--nopidfile",
            "--print-address=1", "--address=unix:abstract=" + name)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            final String printed = new BufferedReader(new InputStreamReader(abstractDaemon.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
            assertThat(printed).startsWith("unix:abstract=" + name);
            try (BusConnection connection = BusConnection.connect("unix:path=" + dir.resolve("absent") + ";" + printed))
            {
                assertThat(connection.uniqueName()).startsWith(":");
            }
        }
        finally
        {
            abstractDaemon.destroy();
            abstractDaemon.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusesAddressesWithoutUnixSocket()
    {
        assertThatThrownBy(() -> BusConnection.connect("tcp:host=localhost,port=1"))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
