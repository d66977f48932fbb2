package org.omnibus.systemtest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.omnibus.codec.dbus.DBusMessageBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Method calls through the bus to a python3-dbus service object (Echo, Fail, Hold), made by dbus-send, gdbus,
 * busctl and python3-dbus: replies, errors from the service, errors from the bus (NoReply when the service goes
 * away with a call pending), calls without a reply, large bodies, and unrequested replies.
 */
class CallsTest extends BusTest
{
    private static final String SERVICE = "org.omnibus.test.Service";
    private static final String PATH = "/org/omnibus/test/Object";
    private static final String IFACE = "org.omnibus.Test";

    private static PyClient service;

    @BeforeEach
    void startService() throws IOException
    {
        if (service == null)
        {
            service = PyClient.start(bus, "service");
            service.serve(PATH);
            assertThat(service.requestName(SERVICE, 0)).isEqualTo(1);
        }
    }

    @AfterParameterizedClassInvocation
    static void stopService()
    {
        if (service != null)
        {
            service.close();
            service = null;
        }
    }

    @Test
    void echoThroughDbusSend()
    {
        final String out = Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--print-reply", "--dest=" + SERVICE,
            PATH, IFACE + ".Echo", "string:hello", "int32:-7", "uint64:18446744073709551615", "boolean:true",
            "objpath:/a/b", "array:string:x,y", "dict:string:int32:one,1,two,2", "variant:double:2.5")
            .assertSuccess().stdout();

        assertThat(out)
            .contains("string \"hello\"")
            .contains("int32 -7")
            .contains("uint64 18446744073709551615")
            .contains("boolean true")
            .contains("object path \"/a/b\"")
            .contains("string \"x\"")
            .contains("string \"two\"")
            .contains("variant       double 2.5");
    }

    @Test
    void echoThroughGdbusAndBusctl() throws IOException
    {
        assertThat(Cli.run(bus, "gdbus", "call", "--address", bus.address(), "--dest", SERVICE, "--object-path",
            PATH, "--method", IFACE + ".Echo", "'hello'", "42", "@a{sv} {'k': <1>}").assertSuccess().stdout()
            .trim()).isEqualTo("('hello', 42, {'k': <1>})");

        assertThat(Cli.run(bus, "busctl", "--address=" + bus.address(), "call", SERVICE, PATH, IFACE, "Echo",
            "sai(sv)", "hello", "3", "1", "2", "3", "key", "s", "value").assertSuccess().stdout().trim())
            .isEqualTo("sai(sv) \"hello\" 3 1 2 3 \"key\" s \"value\"");

        try (PyClient caller = PyClient.start(bus, "caller"))
        {
            final PyClient.Line reply = caller.call(SERVICE, PATH, IFACE, "Echo", "a{sv}(ix)ay",
                Map.of("k", "v"), List.of(1, 2), List.of(0, 255));
            assertThat(reply.kind()).isEqualTo("reply");
            assertThat(reply.field(1)).isEqualTo("a{sv}(ix)ay");
            assertThat(reply.args()).isEqualTo("[{\"k\": \"v\"}, [1, 2], [0, 255]]");

            final PyClient.Line byUniqueName = caller.call(service.uniqueName(), PATH, IFACE, "Echo", "s", "direct");
            assertThat(byUniqueName.args()).isEqualTo("[\"direct\"]");

            final PyClient.Line call = service.await(line -> line.kind().equals("call") &&
                line.args().equals("[\"direct\"]"), "the call by unique name");
            assertThat(call.field(0)).as("sender").isEqualTo(caller.uniqueName());
        }
    }

    @Test
    void errorsFromTheService() throws IOException
    {
        assertThat(Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--print-reply", "--dest=" + SERVICE, PATH,
            IFACE + ".Fail", "string:it broke").assertFailure().stderr().trim())
            .isEqualTo("Error org.omnibus.Test.Failed: it broke");

        assertThat(Cli.run(bus, "gdbus", "call", "--address", bus.address(), "--dest", SERVICE, "--object-path",
            PATH, "--method", IFACE + ".Fail", "'it broke'").assertFailure().stderr())
            .contains("org.omnibus.Test.Failed").contains("it broke");

        assertThat(Cli.run(bus, "busctl", "--address=" + bus.address(), "call", SERVICE, PATH, IFACE, "Nope")
            .assertFailure().stderr()).contains("No such method Nope");

        try (PyClient caller = PyClient.start(bus, "caller"))
        {
            final PyClient.Line error = caller.call(SERVICE, PATH, IFACE, "Fail", "s", "it broke");
            assertThat(error.kind()).isEqualTo("error");
            assertThat(error.field(1)).isEqualTo("org.omnibus.Test.Failed");
            assertThat(error.args()).isEqualTo("[\"it broke\"]");
        }
    }

    @Test
    void noReplyWhenTheServiceDisconnectsWithACallPending() throws IOException
    {
        try (PyClient.Group group = PyClient.startGroup(bus, "holder", "caller"))
        {
            final PyClient holder = group.get(0);
            final PyClient caller = group.get(1);
            holder.serve(PATH);

            final int id = caller.callAsync(holder.uniqueName(), PATH, IFACE, "Hold", "s", "wait");
            holder.await(line -> line.kind().equals("call") && line.field(3).equals("Hold"), "the held call");
            holder.kill();

            final PyClient.Line error = caller.reply(id);
            assertThat(error.kind()).isEqualTo("error");
            assertThat(error.field(1)).isEqualTo("org.freedesktop.DBus.Error.NoReply");
        }
    }

    @Test
    void callWithoutReplyExpectedReachesTheService()
    {
        Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--type=method_call", "--dest=" + SERVICE, PATH,
            IFACE + ".Echo", "string:fire and forget").assertSuccess();

        service.await(line -> line.kind().equals("call") && line.args().equals("[\"fire and forget\"]"),
            "the call without reply");
    }

    @Test
    void fileDescriptorsPassThroughTheBus() throws IOException
    {
        final Path file = Files.writeString(tempDir.resolve(kind.id() + "-passed-fd"), "passed");
        final String inode = "fd:" + Files.getAttribute(file, "unix:ino");
        try (PyClient caller = PyClient.start(bus, "caller"))
        {
            final PyClient.Line reply = caller.call(SERVICE, PATH, IFACE, "Echo", "hs", "fd:" + file, "with an fd");

            assertThat(reply.kind()).as("%s", reply).isEqualTo("reply");
            assertThat(reply.args()).as("the fd came back referring to the same file")
                .isEqualTo(Json.write(List.of(inode, "with an fd")));
            assertThat(service.await(line -> line.kind().equals("call") && line.args().contains("with an fd"),
                "the call with an fd").args()).isEqualTo(Json.write(List.of(inode, "with an fd")));
        }
    }

    @Test
    void largeBodiesCrossTheBusWhole() throws IOException
    {
        final String big = "x".repeat(BusConfig.MAX_MESSAGE_SIZE / 2);
        try (WireClient caller = WireClient.connect(bus.socketPath()))
        {
            final WireMessage reply = caller.call(SERVICE, PATH, IFACE, "Echo", "s", big);

            assertThat(reply.isReturn()).as("%s", reply.errorName()).isTrue();
            assertThat(reply.arg(0)).isEqualTo(big);
        }
    }

    @Test
    void repliesToCallsNeverMadeAreDropped() throws IOException
    {
        try (WireClient sender = WireClient.connect(bus.socketPath());
            WireClient target = WireClient.connect(bus.socketPath()))
        {
            sender.send(DBusMessageBuilder.methodReturn(4242).destination(target.uniqueName()).body("s", "unasked"));
            sender.send(DBusMessageBuilder.error(4243, "org.omnibus.Test.Unasked").destination(target.uniqueName())
                .body("s", "unasked"));
            sender.send(DBusMessageBuilder.signal("/org/omnibus/test", IFACE, "Barrier")
                .destination(target.uniqueName()));

            final List<WireMessage> before = new ArrayList<>();
            target.await(WireMessage::isSignal, before);
            assertThat(before).as("every bus drops replies to calls never made").isEmpty();

            final WireMessage ping = sender.callDriver("GetId", "");
            assertThat(ping.isReturn()).as("the sender is still connected: %s", ping).isTrue();
        }
    }

    @Test
    void repliesPassOnce() throws IOException
    {
        try (WireClient caller = WireClient.connect(bus.socketPath());
            WireClient callee = WireClient.connect(bus.socketPath()))
        {
            final long serial = caller.send(DBusMessageBuilder.methodCall(callee.uniqueName(), PATH, IFACE, "Ask"));
            final WireMessage call = callee.await(WireMessage::isCall, new ArrayList<>());

            callee.send(DBusMessageBuilder.methodReturn(call.serial()).destination(caller.uniqueName())
                .body("s", "first"));
            callee.send(DBusMessageBuilder.methodReturn(call.serial()).destination(caller.uniqueName())
                .body("s", "second"));
            callee.send(DBusMessageBuilder.signal("/org/omnibus/test", IFACE, "Barrier")
                .destination(caller.uniqueName()));

            final List<WireMessage> before = new ArrayList<>();
            final WireMessage reply = caller.takeReply(serial, before);
            assertThat(reply.arg(0)).isEqualTo("first");
            final List<WireMessage> after = new ArrayList<>();
            caller.await(WireMessage::isSignal, after);
            if (kind.rejectsUnrequestedReplies())
            {
                assertThat(after).as("the second reply answers no pending call").isEmpty();
            }
            else
            {
                assertThat(after).as("dbus-daemon's default policy lets a second reply through")
                    .extracting(m -> m.arg(0)).containsExactly("second");
            }
        }
    }

}
