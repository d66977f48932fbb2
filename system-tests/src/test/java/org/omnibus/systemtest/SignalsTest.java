package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;
import org.omnibus.test.Tests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signals and every kind of match rule. Two python3-dbus emitters (one owning a well-known name) send a fixed
 * catalogue of signals; a watcher adds one rule at a time and must receive exactly the signals the rule matches.
 * Each round ends with a unicast sentinel from each emitter: a bus keeps each sender's order, so once both sentinels
 * are in, everything the rule matched is in too. Signals from dbus-send, gdbus and busctl are checked as well.
 */
class SignalsTest extends BusTest
{
    private static final String EMITTER_NAME = "org.omnibus.test.Emitter";
    private static final String ALPHA = "org.omnibus.Test.Alpha";
    private static final String BETA = "org.omnibus.Test.Beta";
    private static final String SENTINEL = "org.omnibus.Test.Sentinel";

    /**
     * One signal of the catalogue; {@code dest} "W" means the watcher, "F" the second emitter.
     */
    private record Emission(String tag, String path, String iface, String member, String sig, List<Object> args,
        String dest)
    {
    }

    /** Sent by E (which owns {@link #EMITTER_NAME}), in this order. */
    private static final List<Emission> FROM_E = List.of(
        new Emission("S1", "/org/omnibus/test/a", ALPHA, "One", "s", List.of("hello"), null),
        new Emission("S2", "/org/omnibus/test/a/b", ALPHA, "Two", "ss", List.of("/org/omnibus/test/a", "other"), null),
        new Emission("S3", "/org/omnibus/other", BETA, "One", "s", List.of("org.omnibus.test.x.y"), null),
        new Emission("S4", "/org/omnibus/test", BETA, "Three", "so",
            List.of("org.omnibus.testing", "/org/omnibus/test/x"), null),
        new Emission("S5", "/org/omnibus/testing", BETA, "Four", "s", List.of("/org/omnibus/"), null),
        new Emission("S6", "/org/omnibus/test/b", BETA, "Five", "i", List.of(5), null),
        new Emission("S7", "/org/omnibus/test/a", ALPHA, "Direct", "s", List.of("hello"), "W"),
        new Emission("S8", "/org/omnibus/test/a", ALPHA, "Elsewhere", "s", List.of("hello"), "F"),
        new Emission("S9", "/a", BETA, "Six", "s", List.of("org.omnibus.test"), null));

    /** Sent by F (no well-known name). */
    private static final List<Emission> FROM_F = List.of(
        new Emission("F1", "/org/omnibus/test/a", ALPHA, "One", "s", List.of("hello"), null));

    /**
     * A rule and the tags it must deliver, in each emitter's order. S7 is unicast to the watcher and so reaches it
     * whatever its rules say.
     */
    private record Case(String rule, List<String> fromE, List<String> fromF)
    {
    }

    private static List<Case> cases(final String emitterUniqueName, final String watcherUniqueName)
    {
        return List.of(
            new Case("type='signal'", List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S9"), List.of("F1")),
            new Case("sender='" + EMITTER_NAME + "'", List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S9"),
                List.of()),
            new Case("sender='" + emitterUniqueName + "'", List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S9"),
                List.of()),
            new Case("interface='" + ALPHA + "'", List.of("S1", "S2", "S7"), List.of("F1")),
            new Case("member='One'", List.of("S1", "S3", "S7"), List.of("F1")),
            new Case("path='/org/omnibus/test/a'", List.of("S1", "S7"), List.of("F1")),
            new Case("path_namespace='/org/omnibus/test'", List.of("S1", "S2", "S4", "S6", "S7"), List.of("F1")),
            new Case("path_namespace='/'", List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S9"), List.of("F1")),
            new Case("destination='" + watcherUniqueName + "'", List.of("S7"), List.of()),
            new Case("arg0='hello'", List.of("S1", "S7"), List.of("F1")),
            new Case("arg1='other'", List.of("S2", "S7"), List.of()),
            new Case("arg0='5'", List.of("S7"), List.of()),
            new Case("arg0path='/org/omnibus/test/'", List.of("S2", "S5", "S7"), List.of()),
            new Case("arg1path='/org/omnibus/test/'", List.of("S4", "S7"), List.of()),
            new Case("arg0namespace='org.omnibus.test'", List.of("S3", "S7", "S9"), List.of()),
            new Case("type='signal',interface='" + ALPHA + "',member='Two',arg1='other'", List.of("S2", "S7"),
                List.of()),
            new Case("interface='" + BETA + "',path_namespace='/org/omnibus'", List.of("S3", "S4", "S5", "S6", "S7"),
                List.of()),
            new Case("type='method_call'", List.of("S7"), List.of()),
            new Case("eavesdrop='true',member='Elsewhere'", List.of("S7", "S8"), List.of()));
    }

    @Test
    void everyKindOfMatchRule() throws IOException
    {
        try (PyClient.Group group = PyClient.startGroup(bus, "emitter E", "emitter F", "watcher"))
        {
            final PyClient e = group.get(0);
            final PyClient f = group.get(1);
            final PyClient watcher = group.get(2);
            assertThat(e.requestName(EMITTER_NAME, 0)).isEqualTo(1);

            final List<String> mismatches = new ArrayList<>();
            int round = 0;
            for (final Case c : cases(e.uniqueName(), watcher.uniqueName()))
            {
                round++;
                final int seen = watcher.signals().size();
                watcher.addMatch(c.rule());

                emitAll(e, FROM_E, watcher, f);
                emitAll(f, FROM_F, watcher, f);
                sentinel(e, watcher, round);
                sentinel(f, watcher, round);
                awaitSentinel(watcher, e, round);
                awaitSentinel(watcher, f, round);

                final List<PyClient.Line> got = watcher.signals().subList(seen, watcher.signals().size());
                final List<String> gotE = tagsFrom(got, e, FROM_E);
                final List<String> gotF = tagsFrom(got, f, FROM_F);
                if (!gotE.equals(c.fromE()) || !gotF.equals(c.fromF()))
                {
                    mismatches.add("rule " + c.rule() + ": expected E" + c.fromE() + " F" + c.fromF() +
                        " but got E" + gotE + " F" + gotF);
                }

                assertThat(watcher.callDriver("RemoveMatch", "s", c.rule()).kind()).isEqualTo("reply");
            }
            assertThat(mismatches).as("rules that delivered the wrong signals").isEmpty();
        }
    }

    @Test
    void removeMatchStopsDelivery() throws IOException
    {
        try (PyClient.Group group = PyClient.startGroup(bus, "emitter", "watcher"))
        {
            final PyClient e = group.get(0);
            final PyClient watcher = group.get(1);
            final String rule = "interface='" + ALPHA + "'";

            watcher.addMatch(rule);
            watcher.addMatch(rule);
            e.emit(null, "/org/omnibus/test", ALPHA, "Twice", "");
            sentinel(e, watcher, 1);
            awaitSentinel(watcher, e, 1);
            assertThat(watcher.signals()).filteredOn(line -> line.member().equals("Twice")).as("one copy per message")
                .hasSize(1);

            assertThat(watcher.callDriver("RemoveMatch", "s", rule).kind()).isEqualTo("reply");
            e.emit(null, "/org/omnibus/test", ALPHA, "StillAdded", "");
            sentinel(e, watcher, 2);
            awaitSentinel(watcher, e, 2);
            assertThat(watcher.callDriver("RemoveMatch", "s", rule).kind()).isEqualTo("reply");
            e.emit(null, "/org/omnibus/test", ALPHA, "Removed", "");
            sentinel(e, watcher, 3);
            awaitSentinel(watcher, e, 3);

            assertThat(watcher.signals()).extracting(PyClient.Line::member)
                .contains("StillAdded").doesNotContain("Removed");
            assertThat(watcher.callDriver("RemoveMatch", "s", rule).field(1))
                .isEqualTo("org.freedesktop.DBus.Error.MatchRuleNotFound");
        }
    }

    @Test
    void signalsFromCommandLineTools() throws IOException
    {
        try (PyClient watcher = PyClient.start(bus, "watcher"))
        {
            watcher.addMatch("interface='org.omnibus.Test.Cli'");

            Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--type=signal", "/org/omnibus/test",
                "org.omnibus.Test.Cli.FromDbusSend", "string:dbus-send").assertSuccess();
            // gdbus emit says Hello only when given --dest (without it the address is taken as a peer)
            Cli.run(bus, "gdbus", "emit", "--address", bus.address(), "--dest", watcher.uniqueName(),
                "--object-path", "/org/omnibus/test", "--signal", "org.omnibus.Test.Cli.FromGdbus", "'gdbus'")
                .assertSuccess();
            Cli.run(bus, "busctl", "--address=" + bus.address(), "emit", "/org/omnibus/test",
                "org.omnibus.Test.Cli", "FromBusctl", "s", "busctl").assertSuccess();
            Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--type=signal", "--dest=" + watcher.uniqueName(),
                "/org/omnibus/test", "org.omnibus.Test.Unmatched.Unicast", "string:direct").assertSuccess();

            for (final String member : List.of("FromDbusSend", "FromGdbus", "FromBusctl", "Unicast"))
            {
                final PyClient.Line signal = watcher.awaitSignal(line -> line.member().equals(member), member);
                assertThat(signal.field(2)).as("path").isEqualTo("/org/omnibus/test");
                assertThat(signal.sender()).startsWith(":");
            }
            assertThat(watcher.awaitSignal(line -> line.member().equals("Unicast"), "unicast").field(1))
                .as("destination").isEqualTo(watcher.uniqueName());
        }
    }

    @Test
    void unmatchedSignalFromACommandLineToolIsNotDelivered() throws IOException
    {
        try (PyClient watcher = PyClient.start(bus, "watcher"))
        {
            watcher.addMatch("interface='org.omnibus.Test.Cli'");
            watcher.addMatch("type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'");

            Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--type=signal", "/org/omnibus/test",
                "org.omnibus.Test.Other.Unmatched", "string:dbus-send").assertSuccess();
            Cli.run(bus, "dbus-send", "--bus=" + bus.address(), "--type=signal", "/org/omnibus/test",
                "org.omnibus.Test.Cli.Matched", "string:dbus-send").assertSuccess();

            // A connection's messages are routed before its own NameOwnerChanged(gone). Once two connections that
            // came after the rule (their arrival seen too) are gone, both dbus-send signals have been routed.
            Tests.await(() -> connectionsSeenComingAndGoing(watcher) >= 2, PyClient.TIMEOUT,
                () -> "two dbus-send connections come and gone: " + watcher.signals());
            assertThat(watcher.signals()).extracting(PyClient.Line::member)
                .contains("Matched").doesNotContain("Unmatched");
        }
    }

    private static int connectionsSeenComingAndGoing(final PyClient watcher)
    {
        final Set<String> came = new HashSet<>();
        int cameAndWent = 0;
        for (final PyClient.Line line : watcher.signals())
        {
            if (!line.member().equals("NameOwnerChanged"))
            {
                continue;
            }
            final List<String> args = List.of(line.args().replaceAll("[\\[\\]\"]", "").split(", ", -1));
            if (args.get(1).isEmpty() && args.get(0).startsWith(":"))
            {
                came.add(args.get(0));
            }
            else if (args.get(2).isEmpty() && came.contains(args.get(0)))
            {
                cameAndWent++;
            }
        }
        return cameAndWent;
    }

    private static void emitAll(final PyClient from, final List<Emission> emissions, final PyClient watcher,
        final PyClient f)
    {
        for (final Emission emission : emissions)
        {
            final String dest = emission.dest() == null ? null :
                emission.dest().equals("W") ? watcher.uniqueName() : f.uniqueName();
            from.emitAsync(dest, emission.path(), emission.iface(), emission.member(), emission.sig(),
                emission.args().toArray());
        }
    }

    private static void sentinel(final PyClient from, final PyClient watcher, final int round)
    {
        from.emitAsync(watcher.uniqueName(), "/org/omnibus/test", SENTINEL, "End", "u", round);
    }

    private static void awaitSentinel(final PyClient watcher, final PyClient from, final int round)
    {
        final String args = "[" + round + "]";
        watcher.awaitSignal(line -> line.sender().equals(from.uniqueName()) && line.field(3).equals(SENTINEL) &&
            line.args().equals(args), "sentinel " + round + " from " + from);
    }

    private static List<String> tagsFrom(
        final List<PyClient.Line> signals, final PyClient from, final List<Emission> emissions)
    {
        final List<String> tags = new ArrayList<>();
        for (final PyClient.Line line : signals)
        {
            if (!line.sender().equals(from.uniqueName()) || line.field(3).equals(SENTINEL))
            {
                continue;
            }
            tags.add(tag(line, emissions));
        }
        return tags;
    }

    private static String tag(final PyClient.Line line, final List<Emission> emissions)
    {
        for (final Emission emission : emissions)
        {
            if (emission.member().equals(line.member()) && emission.iface().equals(line.field(3)) &&
                emission.path().equals(line.field(2)))
            {
                return emission.tag();
            }
        }
        return "?" + line;
    }
}
