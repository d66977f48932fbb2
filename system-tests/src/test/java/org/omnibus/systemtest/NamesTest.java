package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Well-known names and their owner queue through python3-dbus clients, with busctl, gdbus and dbus-send reading
 * the queue; NameOwnerChanged, NameAcquired and NameLost as a watcher and the owners see them.
 */
class NamesTest extends BusTest
{
    private static final int ALLOW_REPLACEMENT = 0x1;
    private static final int REPLACE_EXISTING = 0x2;
    private static final int DO_NOT_QUEUE = 0x4;

    private static final int PRIMARY_OWNER = 1;
    private static final int IN_QUEUE = 2;
    private static final int EXISTS = 3;
    private static final int ALREADY_OWNER = 4;

    private static final int RELEASED = 1;
    private static final int NON_EXISTENT = 2;
    private static final int NOT_OWNER = 3;

    private static String busctlQueue(final String name)
    {
        return Cli.run(bus, "busctl", "--address=" + bus.address(), "call", "org.freedesktop.DBus",
            "/org/freedesktop/DBus", "org.freedesktop.DBus", "ListQueuedOwners", "s", name).assertSuccess()
            .stdout().trim();
    }

    private static String gdbusQueue(final String name)
    {
        return Cli.run(bus, "gdbus", "call", "--address", bus.address(), "--dest", "org.freedesktop.DBus",
            "--object-path", "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.ListQueuedOwners", name)
            .assertSuccess().stdout().trim();
    }

    private static String busctlQueueOf(final PyClient... owners)
    {
        return "as " + owners.length + " " + List.of(owners).stream().map(o -> '"' + o.uniqueName() + '"')
            .collect(Collectors.joining(" "));
    }

    private static String gdbusQueueOf(final PyClient... owners)
    {
        return "([" + List.of(owners).stream().map(o -> "'" + o.uniqueName() + "'")
            .collect(Collectors.joining(", ")) + "],)";
    }

    private static String nameOwnerChanged(final String name, final String oldOwner, final String newOwner)
    {
        return Json.write(List.of(name, oldOwner, newOwner));
    }

    private static List<String> nameOwnerChanges(final PyClient watcher)
    {
        return watcher.signals().stream()
            .filter(line -> line.member().equals("NameOwnerChanged"))
            .map(PyClient.Line::args)
            .collect(Collectors.toList());
    }

    private static void awaitSignal(final PyClient client, final String member, final String args)
    {
        client.awaitSignal(line -> line.member().equals(member) && line.args().equals(args), member + args);
    }

    @Test
    void ownerQueueWithEveryFlag() throws IOException
    {
        final String name = "org.omnibus.test.Queue";
        try (PyClient watcher = PyClient.start(bus, "watcher");
            PyClient a = PyClient.start(bus, "a");
            PyClient b = PyClient.start(bus, "b");
            PyClient c = PyClient.start(bus, "c");
            PyClient d = PyClient.start(bus, "d"))
        {
            watcher.addMatch("type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" +
                name + "'");

            assertThat(a.requestName(name, ALLOW_REPLACEMENT)).isEqualTo(PRIMARY_OWNER);
            assertThat(a.requestName(name, ALLOW_REPLACEMENT)).isEqualTo(ALREADY_OWNER);
            assertThat(b.requestName(name, 0)).isEqualTo(IN_QUEUE);
            assertThat(c.requestName(name, DO_NOT_QUEUE)).isEqualTo(EXISTS);
            assertThat(busctlQueue(name)).isEqualTo(busctlQueueOf(a, b));

            assertThat(d.requestName(name, REPLACE_EXISTING)).isEqualTo(PRIMARY_OWNER);
            awaitSignal(a, "NameLost", Json.write(List.of(name)));
            awaitSignal(d, "NameAcquired", Json.write(List.of(name)));
            assertThat(gdbusQueue(name)).isEqualTo(gdbusQueueOf(d, a, b));

            assertThat(d.callDriver("ReleaseName", "s", name).args()).isEqualTo("[" + RELEASED + "]");
            awaitSignal(a, "NameAcquired", Json.write(List.of(name)));
            assertThat(c.callDriver("ReleaseName", "s", name).args()).isEqualTo("[" + NOT_OWNER + "]");
            assertThat(c.callDriver("ReleaseName", "s", "org.omnibus.test.Never").args())
                .isEqualTo("[" + NON_EXISTENT + "]");
            assertThat(b.callDriver("ReleaseName", "s", name).args()).as("leaving the queue")
                .isEqualTo("[" + RELEASED + "]");
            assertThat(busctlQueue(name)).isEqualTo(busctlQueueOf(a));

            assertThat(Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--print-reply",
                "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.GetNameOwner",
                "string:" + name).assertSuccess().stdout()).contains("string \"" + a.uniqueName() + "\"");

            a.exit();
            final String gone = nameOwnerChanged(name, a.uniqueName(), "");
            watcher.awaitSignal(line -> line.args().equals(gone), "the name freed");
            assertThat(nameOwnerChanges(watcher)).containsExactly(
                nameOwnerChanged(name, "", a.uniqueName()),
                nameOwnerChanged(name, a.uniqueName(), d.uniqueName()),
                nameOwnerChanged(name, d.uniqueName(), a.uniqueName()),
                gone);
            assertThat(watcher.callDriver("NameHasOwner", "s", name).args()).isEqualTo("[false]");
            assertThat(watcher.callDriver("ListQueuedOwners", "s", name).field(1))
                .isEqualTo("org.freedesktop.DBus.Error.NameHasNoOwner");
        }
    }

    @Test
    void replacementNeedsTheOwnersConsent() throws IOException
    {
        final String name = "org.omnibus.test.NoReplace";
        try (PyClient a = PyClient.start(bus, "a");
            PyClient b = PyClient.start(bus, "b");
            PyClient c = PyClient.start(bus, "c"))
        {
            assertThat(a.requestName(name, 0)).isEqualTo(PRIMARY_OWNER);
            assertThat(b.requestName(name, REPLACE_EXISTING)).isEqualTo(IN_QUEUE);
            assertThat(c.requestName(name, REPLACE_EXISTING | DO_NOT_QUEUE)).isEqualTo(EXISTS);
            assertThat(busctlQueue(name)).isEqualTo(busctlQueueOf(a, b));
        }
    }

    @Test
    void replacedOwnerWithDoNotQueueLeaves() throws IOException
    {
        final String name = "org.omnibus.test.DoNotQueue";
        try (PyClient a = PyClient.start(bus, "a");
            PyClient b = PyClient.start(bus, "b"))
        {
            assertThat(a.requestName(name, ALLOW_REPLACEMENT | DO_NOT_QUEUE)).isEqualTo(PRIMARY_OWNER);
            assertThat(b.requestName(name, REPLACE_EXISTING)).isEqualTo(PRIMARY_OWNER);
            awaitSignal(a, "NameLost", Json.write(List.of(name)));
            assertThat(busctlQueue(name)).isEqualTo(busctlQueueOf(b));
        }
    }

    @Test
    void disconnectReleasesEveryNameThenTheUniqueName() throws IOException
    {
        final String first = "org.omnibus.test.Gone1";
        final String second = "org.omnibus.test.Gone2";
        try (PyClient watcher = PyClient.start(bus, "watcher");
            PyClient owner = PyClient.start(bus, "owner");
            PyClient heir = PyClient.start(bus, "heir"))
        {
            watcher.addMatch("type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus'," +
                "member='NameOwnerChanged',arg1='" + owner.uniqueName() + "'");
            assertThat(owner.requestName(first, 0)).isEqualTo(PRIMARY_OWNER);
            assertThat(owner.requestName(second, 0)).isEqualTo(PRIMARY_OWNER);
            assertThat(heir.requestName(first, 0)).isEqualTo(IN_QUEUE);

            owner.kill();

            final String uniqueGone = nameOwnerChanged(owner.uniqueName(), owner.uniqueName(), "");
            watcher.awaitSignal(line -> line.args().equals(uniqueGone), "the unique name released");
            assertThat(nameOwnerChanges(watcher)).containsExactlyInAnyOrder(
                nameOwnerChanged(first, owner.uniqueName(), heir.uniqueName()),
                nameOwnerChanged(second, owner.uniqueName(), ""),
                uniqueGone);
            assertThat(nameOwnerChanges(watcher)).last().isEqualTo(uniqueGone);
            awaitSignal(heir, "NameAcquired", Json.write(List.of(first)));
            assertThat(heir.callDriver("GetNameOwner", "s", first).args())
                .isEqualTo(Json.write(List.of(heir.uniqueName())));
            assertThat(heir.callDriver("NameHasOwner", "s", second).args()).isEqualTo("[false]");
        }
    }

    @Test
    void listNamesAndNameHasOwnerThroughTheTools() throws IOException
    {
        final String name = "org.omnibus.test.Listed";
        try (PyClient owner = PyClient.start(bus, "owner"))
        {
            assertThat(owner.requestName(name, 0)).isEqualTo(PRIMARY_OWNER);

            assertThat(Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--print-reply",
                "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames")
                .assertSuccess().stdout())
                .contains("string \"org.freedesktop.DBus\"")
                .contains("string \"" + name + "\"")
                .contains("string \"" + owner.uniqueName() + "\"");
            assertThat(Cli.run(bus, "busctl", "--address=" + bus.address(), "call", "org.freedesktop.DBus",
                "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s", name)
                .assertSuccess().stdout().trim()).isEqualTo("b true");
            assertThat(Cli.run(bus, "gdbus", "call", "--address", bus.address(), "--dest", "org.freedesktop.DBus",
                "--object-path", "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.GetNameOwner", name)
                .assertSuccess().stdout().trim()).isEqualTo("('" + owner.uniqueName() + "',)");
        }
    }
}
