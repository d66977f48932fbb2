package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus driver through real clients: Introspect, Peer, GetId, credentials, listing, and the errors dbus-daemon
 * gives, as dbus-send, busctl and gdbus see them.
 */
class DriverTest extends BusTest
{
    private static final String[] DRIVER = {"--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"};

    private static Cli.Result dbusSend(final String... args)
    {
        final String[] command = new String[3 + DRIVER.length + args.length];
        command[0] = "dbus-send";
        command[1] = "--bus=" + bus.address();
        command[2] = "--print-reply";
        System.arraycopy(DRIVER, 0, command, 3, DRIVER.length);
        System.arraycopy(args, 0, command, 3 + DRIVER.length, args.length);
        return Cli.run(bus, command);
    }

    @Test
    void introspectDescribesTheDriverInterfaces()
    {
        final String xml = dbusSend("org.freedesktop.DBus.Introspectable.Introspect").assertSuccess().stdout();

        assertThat(xml)
            .contains("<interface name=\"org.freedesktop.DBus\">")
            .contains("<interface name=\"org.freedesktop.DBus.Introspectable\">")
            .contains("<interface name=\"org.freedesktop.DBus.Peer\">")
            .contains("<interface name=\"org.freedesktop.DBus.Properties\">")
            .contains("<method name=\"RequestName\">")
            .contains("<method name=\"ListQueuedOwners\">")
            .contains("<method name=\"GetConnectionCredentials\">")
            .contains("<signal name=\"NameOwnerChanged\">")
            .contains("<property name=\"Features\" type=\"as\" access=\"read\">");
    }

    @Test
    void gdbusParsesTheIntrospectionData()
    {
        final String text = Cli.run(bus, "gdbus", "introspect", "--address", bus.address(),
            "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus").assertSuccess().stdout();

        assertThat(text)
            .contains("interface org.freedesktop.DBus {")
            .contains("RequestName(in  s arg_0,")
            .contains("NameOwnerChanged(s arg_0,")
            .contains("interface org.freedesktop.DBus.Peer {");
    }

    @Test
    void pingAndMachineIdThroughEachTool()
    {
        Cli.run(bus, "busctl", "--address=" + bus.address(), "call",
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.Peer", "Ping").assertSuccess();

        assertThat(Cli.run(bus, "gdbus", "call", "--address", bus.address(), "--dest", "org.freedesktop.DBus",
            "--object-path", "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.Peer.Ping")
            .assertSuccess().stdout().trim()).isEqualTo("()");

        assertThat(dbusSend("org.freedesktop.DBus.Peer.GetMachineId").assertSuccess().stdout())
            .containsPattern("string \"[0-9a-f]{32}\"");
    }

    @Test
    void getIdIsAStableBusId() throws IOException
    {
        final String first = dbusSend("org.freedesktop.DBus.GetId").assertSuccess().stdout();
        assertThat(first).containsPattern("string \"[0-9a-f]{32}\"");

        try (WireClient client = WireClient.connect(bus.socketPath()))
        {
            final WireMessage reply = client.callDriver("GetId", "");
            assertThat(first).contains("string \"" + reply.arg(0) + "\"");
            assertThat(client.guid()).as("the GUID in the SASL OK line").isEqualTo(bus.guid());
        }
    }

    @Test
    void busctlListsTheDriverAndConnectedNames() throws IOException
    {
        try (PyClient service = PyClient.start(bus, "service"))
        {
            assertThat(service.requestName("org.omnibus.test.Listed", 0)).isEqualTo(1);

            final String list = Cli.run(bus, "busctl", "--address=" + bus.address(), "list", "--no-pager")
                .assertSuccess().stdout();

            assertThat(list)
                .contains("org.freedesktop.DBus")
                .contains("org.omnibus.test.Listed")
                .contains(service.uniqueName());
            assertThat(list.lines().filter(line -> line.startsWith("org.omnibus.test.Listed ")).findFirst())
                .hasValueSatisfying(line -> assertThat(line).contains(" " + service.pid() + " "));
        }
    }

    @Test
    void credentialsOfAConnection() throws IOException
    {
        try (PyClient client = PyClient.start(bus, "client"))
        {
            final int uid = WireClient.processUid();

            assertThat(dbusSend("org.freedesktop.DBus.GetConnectionUnixUser", "string:" + client.uniqueName())
                .assertSuccess().stdout()).contains("uint32 " + uid);
            assertThat(dbusSend("org.freedesktop.DBus.GetConnectionUnixProcessID", "string:" + client.uniqueName())
                .assertSuccess().stdout()).contains("uint32 " + client.pid());

            final PyClient.Line credentials = client.callDriver("GetConnectionCredentials", "s", client.uniqueName());
            assertThat(credentials.kind()).isEqualTo("reply");
            assertThat(credentials.args())
                .contains("\"ProcessID\": " + client.pid())
                .contains("\"UnixUserID\": " + uid);

            final String status = Cli.run(bus, "busctl", "--address=" + bus.address(), "status", "--no-pager",
                client.uniqueName()).assertSuccess().stdout();
            assertThat(status).contains("PID=" + client.pid()).contains("UID=" + uid);
        }
    }

    @Test
    void credentialsOfTheDriverAreTheBusProcess() throws IOException
    {
        assertThat(dbusSend("org.freedesktop.DBus.GetConnectionUnixProcessID", "string:org.freedesktop.DBus")
            .assertSuccess().stdout()).contains("uint32 " + bus.pid());
        assertThat(dbusSend("org.freedesktop.DBus.GetConnectionUnixUser", "string:org.freedesktop.DBus")
            .assertSuccess().stdout()).contains("uint32 " + WireClient.processUid());
    }

    @Test
    void listActivatableNamesHasOnlyTheDriver()
    {
        final String text = dbusSend("org.freedesktop.DBus.ListActivatableNames").assertSuccess().stdout();

        assertThat(text).contains("string \"org.freedesktop.DBus\"");
        assertThat(text.lines().filter(line -> line.contains("string \""))).hasSize(1);
    }

    @Test
    void featuresAndInterfacesProperties()
    {
        Cli.run(bus, "busctl", "--address=" + bus.address(), "get-property", "org.freedesktop.DBus",
            "/org/freedesktop/DBus", "org.freedesktop.DBus", "Features").assertSuccess();
        Cli.run(bus, "busctl", "--address=" + bus.address(), "get-property", "org.freedesktop.DBus",
            "/org/freedesktop/DBus", "org.freedesktop.DBus", "Interfaces").assertSuccess();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "org.freedesktop.DBus.NoSuchMethod                 |                                  " +
            "| org.freedesktop.DBus.Error.UnknownMethod",
        "org.example.NoSuchInterface.Method                |                                  " +
            "| org.freedesktop.DBus.Error.UnknownInterface",
        "org.freedesktop.DBus.GetNameOwner                 | string:org.omnibus.test.Nobody   " +
            "| org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.DBus.GetNameOwner                 | string::1.9999                   " +
            "| org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.DBus.GetConnectionUnixUser        | string::1.9999                   " +
            "| org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.DBus.GetConnectionUnixProcessID   | string:org.omnibus.test.Nobody   " +
            "| org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.DBus.RequestName                  | int32:5                          " +
            "| org.freedesktop.DBus.Error.InvalidArgs",
        "org.freedesktop.DBus.RequestName                  | string::1.5 uint32:0             " +
            "| org.freedesktop.DBus.Error.InvalidArgs",
        "org.freedesktop.DBus.RequestName                  | string:org.freedesktop.DBus uint32:0 " +
            "| org.freedesktop.DBus.Error.InvalidArgs",
        "org.freedesktop.DBus.ReleaseName                  | string:org.freedesktop.DBus      " +
            "| org.freedesktop.DBus.Error.InvalidArgs",
        "org.freedesktop.DBus.AddMatch                     | string:type='bogus'              " +
            "| org.freedesktop.DBus.Error.MatchRuleInvalid",
        "org.freedesktop.DBus.AddMatch                     | string:member='x',member='y'     " +
            "| org.freedesktop.DBus.Error.MatchRuleInvalid",
        "org.freedesktop.DBus.RemoveMatch                  | string:member='NeverAdded'       " +
            "| org.freedesktop.DBus.Error.MatchRuleNotFound",
        "org.freedesktop.DBus.StartServiceByName           | string:org.omnibus.test.Nobody uint32:0 " +
            "| org.freedesktop.DBus.Error.ServiceUnknown",
    })
    void driverErrors(final String method, final String args, final String error)
    {
        final String[] argv = args == null ? new String[0] : args.trim().split(" ");
        final String[] all = new String[argv.length + 1];
        all[0] = method;
        System.arraycopy(argv, 0, all, 1, argv.length);

        assertThat(dbusSend(all).assertFailure().stderr()).startsWith("Error " + error + ":");
    }

    @Test
    void callsToNamesNobodyOwnsAreServiceUnknown()
    {
        for (final String name : new String[] {"org.omnibus.test.Nobody", ":1.9999"})
        {
            assertThat(Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--print-reply", "--dest=" + name,
                "/org/omnibus/test", "org.omnibus.Test.Echo").assertFailure().stderr())
                .startsWith("Error org.freedesktop.DBus.Error.ServiceUnknown:");
        }

        assertThat(Cli.run(bus, "gdbus", "call", "--address", bus.address(), "--dest", "org.omnibus.test.Nobody",
            "--object-path", "/", "--method", "org.omnibus.Test.Echo").assertFailure().stderr())
            .contains("org.freedesktop.DBus.Error.ServiceUnknown");
    }
}
