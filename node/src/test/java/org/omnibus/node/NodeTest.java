package org.omnibus.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.test.DBusTestClient;
import org.omnibus.test.Tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node in this JVM with clients over its Unix socket: the edge, the bus and the driver together.
 */
@Timeout(60)
class NodeTest
{
    @TempDir
    Path dir;

    private Node node;
    private Path socket;

    @BeforeEach
    void start()
    {
        node = Node.launch(new NodeContext().dataDir(dir).nodeId(7));
        socket = dir.resolve("bus");
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    @SuppressWarnings("unchecked")
    private static List<String> listNames(final DBusTestClient client) throws IOException
    {
        return (List<String>)client.callDriver("ListNames", "").arg(0);
    }

    @Test
    void helloAssignsUniqueNamesOfTheNodeAndTheAddressIsPrinted() throws IOException
    {
        try (DBusTestClient a = DBusTestClient.connect(socket); DBusTestClient b = DBusTestClient.connect(socket))
        {
            assertThat(a.uniqueName()).isEqualTo(":7.0");
            assertThat(b.uniqueName()).isEqualTo(":7.1");
            assertThat(listNames(a)).containsExactly("org.freedesktop.DBus", ":7.0", ":7.1");
        }
        assertThat(node.clientAddress()).startsWith("unix:path=" + socket).contains(",guid=");
    }

    @Test
    void disconnectReleasesNamesAndAnnouncesIt() throws IOException
    {
        try (DBusTestClient watcher = DBusTestClient.connect(socket))
        {
            watcher.callDriver("AddMatch", "s", "type='signal',member='NameOwnerChanged'");
            final String gone;
            try (DBusTestClient owner = DBusTestClient.connect(socket))
            {
                gone = owner.uniqueName();
                assertThat(owner.callDriver("RequestName", "su", "com.example.Owner", 0).arg(0)).isEqualTo(1L);
            }
            final DBusTestClient.Message released = watcher.await(
                m -> m.isSignal() && "com.example.Owner".equals(m.arg(0)) && "".equals(m.arg(2)), Duration.ofSeconds(10));
            assertThat(released.arg(1)).isEqualTo(gone);
            Tests.await(() -> uncheckedListNames(watcher).stream().noneMatch(gone::equals), Duration.ofSeconds(10),
                () -> gone + " still listed");
        }
    }

    private static List<String> uncheckedListNames(final DBusTestClient client)
    {
        try
        {
            return listNames(client);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void methodCallIsForwardedWithSenderAndReplyComesBack() throws IOException
    {
        try (DBusTestClient service = DBusTestClient.connect(socket); DBusTestClient caller = DBusTestClient.connect(socket))
        {
            service.callDriver("RequestName", "su", "com.example.Echo", 0);
            final long serial = caller.send(DBusMessageBuilder
                .methodCall("com.example.Echo", "/echo", "com.example.Echo", "Echo").body("s", "ping"));

            final DBusTestClient.Message call = service.await(m -> "Echo".equals(m.member()), Duration.ofSeconds(10));
            assertThat(call.sender()).isEqualTo(caller.uniqueName());
            assertThat(call.arg(0)).isEqualTo("ping");
            service.send(DBusMessageBuilder.methodReturn(call.serial()).destination(call.sender()).body("s", "pong"));

            final DBusTestClient.Message reply = caller.await(m -> m.replySerial() == serial, Duration.ofSeconds(10));
            assertThat(reply.sender()).isEqualTo(service.uniqueName());
            assertThat(reply.arg(0)).isEqualTo("pong");
        }
    }

    @Test
    void signalReachesMatchingSubscribersOnly() throws IOException
    {
        try (DBusTestClient emitter = DBusTestClient.connect(socket);
            DBusTestClient matching = DBusTestClient.connect(socket);
            DBusTestClient other = DBusTestClient.connect(socket))
        {
            matching.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed',member='Tick'");
            other.callDriver("AddMatch", "s", "type='signal',interface='com.example.Feed',member='Tock'");
            emitter.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tick").body("u", 42));
            emitter.send(DBusMessageBuilder.signal("/feed", "com.example.Feed", "Tock").body("u", 43));

            assertThat(matching.awaitSignal("Tick", Duration.ofSeconds(10)).arg(0)).isEqualTo(42L);
            assertThat(other.awaitSignal("Tock", Duration.ofSeconds(10)).arg(0)).isEqualTo(43L);
            // Ping after the signals: their order on each connection proves nothing else is coming
            matching.callDriver("GetId", "");
            assertThat(matching.pending()).noneMatch(m -> "Tock".equals(m.member()));
        }
    }

    @Test
    void monitorGetsCopiesOfOtherPeersMessages() throws IOException
    {
        try (DBusTestClient monitor = DBusTestClient.connect(socket);
            DBusTestClient emitter = DBusTestClient.connect(socket))
        {
            monitor.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.Monitoring",
                "BecomeMonitor", "asu", List.of("type='signal',interface='com.example.Watched'"), 0);
            emitter.send(DBusMessageBuilder.signal("/w", "com.example.Watched", "Seen").body("s", "copy me"));

            final DBusTestClient.Message copy = monitor.awaitSignal("Seen", Duration.ofSeconds(10));
            assertThat(copy.sender()).isEqualTo(emitter.uniqueName());
            assertThat(copy.arg(0)).isEqualTo("copy me");
        }
    }

    @Test
    void errorTextsNameTheCommandOfThePeer() throws IOException
    {
        try (DBusTestClient client = DBusTestClient.connect(socket))
        {
            final DBusTestClient.Message reply = client.callDriver("GetConnectionCredentials", "s", client.uniqueName());
            assertThat(reply.isError()).isFalse();
            // an unrequested reply is refused with dbus-daemon's AccessDenied text, which names the command
            client.send(DBusMessageBuilder.methodReturn(12345).destination(client.uniqueName()));
            final DBusTestClient.Message denied = client.await(DBusTestClient.Message::isError, Duration.ofSeconds(10));
            assertThat(denied.errorName()).isEqualTo("org.freedesktop.DBus.Error.AccessDenied");
            assertThat((String)denied.arg(0)).contains("comm=\"java\"");
        }
    }

    @Test
    void invalidMessageDisconnectsOnlyItsSender() throws IOException
    {
        try (DBusTestClient bad = DBusTestClient.connect(socket); DBusTestClient good = DBusTestClient.connect(socket))
        {
            final byte[] message = DBusMessageBuilder.signal("/p", "com.example.I", "M").body("s", "x").serial(9).build();
            message[message.length - 2] = (byte)0xC3; // invalid UTF-8 inside the string
            bad.sendRaw(message);
            assertThat(bad.awaitClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(good.callDriver("GetId", "").isError()).isFalse();
        }
    }

    @Test
    void closeRemovesTheSocket()
    {
        assertThat(Files.exists(socket)).isTrue();
        node.close();
        assertThat(Files.exists(socket)).isFalse();
    }
}
