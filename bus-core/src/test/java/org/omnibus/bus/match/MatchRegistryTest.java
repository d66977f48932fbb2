package org.omnibus.bus.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.name.NameChange;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCredentials;

class MatchRegistryTest
{
    private final NameRegistry names = new NameRegistry();
    private final MatchRegistry matches = new MatchRegistry(names);
    private final List<Peer> peers = new ArrayList<>();
    private long stamp;

    @BeforeEach
    void setUp()
    {
        for (int i = 0; i < 4; i++)
        {
            final Peer peer = new Peer(PeerIds.id(1, i), PeerCredentials.unknown(), null, true);
            names.register(peer.id(), peer.credentials());
            peers.add(peer);
        }
    }

    private Peer peer(final int i)
    {
        return peers.get(i);
    }

    private void add(final int owner, final String rule) throws MatchRuleException
    {
        matches.add(peer(owner), MatchRuleParser.parse(rule));
    }

    private List<Peer> broadcast(final SimpleMessage message, final int sender)
    {
        final List<Peer> out = new ArrayList<>();
        matches.collectBroadcast(message, sender < 0 ? PeerIds.NONE : peer(sender).id(), ++stamp, (p) -> true,
            out::add);
        return out;
    }

    private List<Peer> eavesdrop(final SimpleMessage message, final int sender, final int addressed)
    {
        final List<Peer> out = new ArrayList<>();
        final long fanout = ++stamp;
        if (addressed >= 0)
        {
            peer(addressed).tryMark(fanout);
        }
        matches.collectEavesdroppers(message, peer(sender).id(), addressed < 0 ? PeerIds.NONE : peer(addressed).id(),
            fanout, (p) -> true, out::add);
        return out;
    }

    private static SimpleMessage signal(final String path, final String iface, final String member)
    {
        return SimpleMessage.signal(path, iface, member);
    }

    private boolean matchesSingle(final String rule, final SimpleMessage message) throws MatchRuleException
    {
        final MatchRegistry registry = new MatchRegistry(names);
        registry.add(peer(0), MatchRuleParser.parse(rule));
        final List<Peer> out = new ArrayList<>();
        registry.collectBroadcast(message, peer(3).id(), ++stamp, (p) -> true, out::add);
        return !out.isEmpty();
    }

    @Test
    void headerKeys() throws Exception
    {
        final SimpleMessage m = signal("/a/b", "com.x.I", "Changed");
        assertThat(matchesSingle("", m)).isTrue();
        assertThat(matchesSingle("type='signal'", m)).isTrue();
        assertThat(matchesSingle("type='method_call'", m)).isFalse();
        assertThat(matchesSingle("interface='com.x.I'", m)).isTrue();
        assertThat(matchesSingle("interface='com.x.J'", m)).isFalse();
        assertThat(matchesSingle("member='Changed'", m)).isTrue();
        assertThat(matchesSingle("member='Other'", m)).isFalse();
        assertThat(matchesSingle("path='/a/b'", m)).isTrue();
        assertThat(matchesSingle("path='/a'", m)).isFalse();
        assertThat(matchesSingle("interface='com.x.I'", signal("/a", null, "X"))).isFalse();
    }

    @Test
    void pathNamespace() throws Exception
    {
        assertThat(matchesSingle("path_namespace='/aa/bb'", signal("/aa/bb", "a.b", "M"))).isTrue();
        assertThat(matchesSingle("path_namespace='/aa/bb'", signal("/aa/bb/cc", "a.b", "M"))).isTrue();
        assertThat(matchesSingle("path_namespace='/aa/bb'", signal("/aa/bbc", "a.b", "M"))).isFalse();
        assertThat(matchesSingle("path_namespace='/aa/bb'", signal("/aa", "a.b", "M"))).isFalse();
        assertThat(matchesSingle("path_namespace='/'", signal("/anything/at/all", "a.b", "M"))).isTrue();
    }

    @Test
    void stringArgs() throws Exception
    {
        final SimpleMessage m = signal("/a", "a.b", "M").body("sus", "zero", 1L, "two");
        assertThat(matchesSingle("arg0='zero'", m)).isTrue();
        assertThat(matchesSingle("arg0='zer'", m)).isFalse();
        assertThat(matchesSingle("arg0='zero',arg2='two'", m)).isTrue();
        assertThat(matchesSingle("arg1='1'", m)).isFalse();
        assertThat(matchesSingle("arg3='x'", m)).isFalse();
        assertThat(matchesSingle("arg0='zero'", signal("/a", "a.b", "M"))).isFalse();
        // an object path argument is only matched by argNpath
        final SimpleMessage withPath = signal("/a", "a.b", "M").body("o", "/x/y");
        assertThat(matchesSingle("arg0='/x/y'", withPath)).isFalse();
        assertThat(matchesSingle("arg0path='/x/y'", withPath)).isTrue();
        assertThat(matchesSingle("arg0='h\u00e9'", signal("/a", "a.b", "M").body("s", "h\u00e9"))).isTrue();
    }

    @Test
    void argPathAsTheSpecificationDescribes() throws Exception
    {
        for (final String yes : List.of("/", "/aa/", "/aa/bb/", "/aa/bb/cc/", "/aa/bb/cc"))
        {
            assertThat(matchesSingle("arg0path='/aa/bb/'", signal("/p", "a.b", "M").body("s", yes)))
                .as(yes).isTrue();
        }
        for (final String no : List.of("/aa/b", "/aa", "/aa/bb"))
        {
            assertThat(matchesSingle("arg0path='/aa/bb/'", signal("/p", "a.b", "M").body("s", no)))
                .as(no).isFalse();
        }
        for (final String yes : List.of("/", "/aa/", "/aa/bb"))
        {
            assertThat(matchesSingle("arg0path='/aa/bb'", signal("/p", "a.b", "M").body("s", yes)))
                .as(yes).isTrue();
        }
        for (final String no : List.of("/aa/b", "/aa", "/aa/bb/", "/aa/bb/cc"))
        {
            assertThat(matchesSingle("arg0path='/aa/bb'", signal("/p", "a.b", "M").body("o", no)))
                .as(no).isFalse();
        }
    }

    @Test
    void arg0NamespaceAsTheSpecificationDescribes() throws Exception
    {
        for (final String yes : List.of("com.example.backend1", "com.example.backend1.foo",
            "com.example.backend1.foo.bar"))
        {
            assertThat(matchesSingle("arg0namespace='com.example.backend1'",
                signal("/p", "a.b", "M").body("s", yes))).as(yes).isTrue();
        }
        for (final String no : List.of("com.example.backend", "com.example.backend12", "com"))
        {
            assertThat(matchesSingle("arg0namespace='com.example.backend1'",
                signal("/p", "a.b", "M").body("s", no))).as(no).isFalse();
        }
    }

    @Test
    void senderKeyMatchesThePrimaryOwnerOnly() throws Exception
    {
        final List<NameChange> changes = new ArrayList<>();
        names.requestName(peer(1).id(), "com.x.Svc", 0, 100, changes);
        names.requestName(peer(2).id(), "com.x.Svc", 0, 100, changes);
        add(0, "sender='com.x.Svc'");
        final SimpleMessage m = signal("/a", "a.b", "M");
        assertThat(broadcast(m, 1)).containsExactly(peer(0));
        assertThat(broadcast(m, 2)).isEmpty();
        names.releaseName(peer(1).id(), "com.x.Svc", changes);
        assertThat(broadcast(m, 2)).containsExactly(peer(0));
        assertThat(broadcast(m, 1)).isEmpty();
    }

    @Test
    void senderKeyWithUniqueNameAndTheDriver() throws Exception
    {
        add(0, "sender=':1.1'");
        add(1, "sender='org.freedesktop.DBus'");
        final SimpleMessage m = signal("/a", "a.b", "M");
        assertThat(broadcast(m, 1)).containsExactly(peer(0));
        assertThat(broadcast(m, 2)).isEmpty();
        assertThat(broadcast(m, -1)).containsExactly(peer(1));
    }

    @Test
    void aPeerWithSeveralMatchingRulesIsListedOnce() throws Exception
    {
        add(0, "type='signal'");
        add(0, "member='M'");
        add(0, "interface='a.b'");
        add(1, "path='/a'");
        assertThat(broadcast(signal("/a", "a.b", "M"), 3)).containsExactly(peer(0), peer(1));
    }

    @Test
    void destinationRulesAndEavesdropping() throws Exception
    {
        add(0, "type='method_call'");
        add(1, "type='method_call',eavesdrop='true'");
        add(2, "destination=':1.3'");
        add(3, "destination=':1.2',eavesdrop='true'");
        final SimpleMessage call = SimpleMessage.methodCall(":1.3", "/a", "a.b", "M");
        // only eavesdroppers see unicast; the addressed one is marked already
        assertThat(eavesdrop(call, 0, 3)).containsExactly(peer(1));
        // eavesdrop with destination: only messages to that destination
        final SimpleMessage toOther = SimpleMessage.methodCall(":1.2", "/a", "a.b", "M");
        assertThat(eavesdrop(toOther, 0, 2)).containsExactly(peer(1), peer(3));
        // destination rules never match broadcasts
        assertThat(broadcast(signal("/a", "a.b", "M"), 0)).isEmpty();
        assertThat(matches.hasEavesdroppers()).isTrue();
    }

    @Test
    void removeByValueRemovesTheMostRecentEqualRule() throws Exception
    {
        add(0, "member='M'");
        add(0, "member = 'M'".replace(" ", ""));
        assertThat(matches.count(peer(0))).isEqualTo(2);
        assertThat(matches.remove(peer(0), MatchRuleParser.parse("member='M'"))).isTrue();
        assertThat(broadcast(signal("/a", "a.b", "M"), 3)).containsExactly(peer(0));
        assertThat(matches.remove(peer(0), MatchRuleParser.parse("member='M'"))).isTrue();
        assertThat(matches.remove(peer(0), MatchRuleParser.parse("member='M'"))).isFalse();
        assertThat(matches.remove(peer(1), MatchRuleParser.parse("member='M'"))).isFalse();
        assertThat(broadcast(signal("/a", "a.b", "M"), 3)).isEmpty();
        assertThat(matches.broadcastRuleCount()).isZero();
    }

    @Test
    void rulesAboutAGoneUniqueNameAreDropped() throws Exception
    {
        add(0, "sender=':1.2'");
        add(1, "destination=':1.2',eavesdrop='true'");
        add(1, "member='Keep'");
        matches.removeReferencing(":1.2");
        assertThat(matches.count(peer(0))).isZero();
        assertThat(matches.rules(peer(1))).extracting(MatchRule::member).containsExactly("Keep");
        assertThat(matches.hasEavesdroppers()).isFalse();
    }

    @Test
    void removeAllForgetsEverything() throws Exception
    {
        add(0, "member='A'");
        add(0, "arg0='x',member='B'");
        add(0, "path='/p',eavesdrop='true'");
        matches.removeAll(peer(0));
        assertThat(matches.count(peer(0))).isZero();
        assertThat(matches.broadcastRuleCount()).isZero();
        assertThat(matches.hasEavesdroppers()).isFalse();
    }

    static long[] seeds()
    {
        final long[] seeds = new long[30];
        for (int i = 0; i < seeds.length; i++)
        {
            seeds[i] = 0xA11CE000L + 104729L * i;
        }
        return seeds;
    }

    private static final String[] IFACES = {"a.b", "c.d", "org.freedesktop.DBus"};
    private static final String[] MEMBERS = {"M", "N", "NameOwnerChanged"};
    private static final String[] PATHS = {"/", "/a", "/a/b", "/c"};
    private static final String[] ARGS = {"x", "y", "a.b", "a.b.c", "/a/", "/a/b"};
    private static final String[] SENDERS = {":1.0", ":1.1", ":1.2", "com.x.One", "com.x.Two",
        "org.freedesktop.DBus"};

    private static String randomRule(final SplittableRandom r)
    {
        final List<String> keys = new ArrayList<>();
        if (r.nextInt(3) == 0)
        {
            keys.add("type='" + (r.nextBoolean() ? "signal" : "method_call") + "'");
        }
        if (r.nextInt(2) == 0)
        {
            keys.add("interface='" + IFACES[r.nextInt(IFACES.length)] + "'");
        }
        if (r.nextInt(2) == 0)
        {
            keys.add("member='" + MEMBERS[r.nextInt(MEMBERS.length)] + "'");
        }
        if (r.nextInt(3) == 0)
        {
            keys.add("sender='" + SENDERS[r.nextInt(SENDERS.length)] + "'");
        }
        if (r.nextInt(4) == 0)
        {
            keys.add((r.nextBoolean() ? "path" : "path_namespace") + "='" + PATHS[r.nextInt(PATHS.length)] + "'");
        }
        if (r.nextInt(3) == 0)
        {
            final int kind = r.nextInt(3);
            keys.add((kind == 0 ? "arg0" : kind == 1 ? "arg0path" : "arg0namespace") + "='" +
                (kind == 2 ? "a.b" : ARGS[r.nextInt(ARGS.length)]) + "'");
        }
        if (r.nextInt(5) == 0)
        {
            keys.add("arg1='" + ARGS[r.nextInt(ARGS.length)] + "'");
        }
        if (r.nextInt(6) == 0)
        {
            keys.add("destination='" + SENDERS[r.nextInt(3)] + "'");
        }
        if (r.nextInt(5) == 0)
        {
            keys.add("eavesdrop='true'");
        }
        java.util.Collections.shuffle(keys, new java.util.Random(r.nextLong()));
        return String.join(",", keys);
    }

    private static SimpleMessage randomMessage(final SplittableRandom r, final boolean unicast)
    {
        final SimpleMessage m = unicast ? SimpleMessage.methodCall(SENDERS[r.nextInt(3)], PATHS[r.nextInt(4)],
            r.nextInt(4) == 0 ? null : IFACES[r.nextInt(IFACES.length)], MEMBERS[r.nextInt(MEMBERS.length)]) :
            SimpleMessage.signal(PATHS[r.nextInt(PATHS.length)], IFACES[r.nextInt(IFACES.length)],
                MEMBERS[r.nextInt(MEMBERS.length)]);
        switch (r.nextInt(4))
        {
            case 0:
                m.body("ss", ARGS[r.nextInt(ARGS.length)], ARGS[r.nextInt(ARGS.length)]);
                break;
            case 1:
                m.body("o", "/a/b");
                break;
            case 2:
                m.body("us", 5L, ARGS[r.nextInt(ARGS.length)]);
                break;
            default:
                break;
        }
        return m;
    }

    /**
     * The index must select exactly the peers a brute-force evaluation of every rule selects.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void indexSelectsWhatBruteForceSelects(final long seed) throws Exception
    {
        final SplittableRandom r = new SplittableRandom(seed);
        final List<NameChange> changes = new ArrayList<>();
        names.requestName(peer(1).id(), "com.x.One", 0, 100, changes);
        names.requestName(peer(2).id(), "com.x.One", 0, 100, changes);
        names.requestName(peer(2).id(), "com.x.Two", 0, 100, changes);
        final List<MatchRule> all = new ArrayList<>();
        for (int i = 0; i < 60; i++)
        {
            final MatchRule rule = MatchRuleParser.parse(randomRule(r));
            matches.add(peer(r.nextInt(4)), rule);
            all.add(rule);
            if (r.nextInt(8) == 0)
            {
                final MatchRule victim = all.remove(r.nextInt(all.size()));
                assertThat(matches.remove(victim.owner(), MatchRuleParser.parse(victim.text()))).isTrue();
                // remove(...) takes the most recent equal rule of that owner: rebuild the model from the registry
                all.clear();
                for (int p = 0; p < 4; p++)
                {
                    all.addAll(matches.rules(peer(p)));
                }
            }
        }
        for (int i = 0; i < 300; i++)
        {
            final boolean unicast = r.nextInt(3) == 0;
            final SimpleMessage m = randomMessage(r, unicast);
            final int sender = r.nextInt(5) - 1;
            final String ctx = "seed=" + seed + " message=" + m + " sender=" + sender;
            final Set<Peer> expected = new LinkedHashSet<>();
            final long senderId = sender < 0 ? PeerIds.NONE : peer(sender).id();
            final long addressedId = unicast ? names.primaryOwnerId(m.destination()) : PeerIds.NONE;
            for (final MatchRule rule : all)
            {
                final MatchRule.OwnerCheck senderCheck = (name) -> senderId == PeerIds.NONE ?
                    "org.freedesktop.DBus".equals(name) : names.isPrimaryOwner(senderId, name);
                final MatchRule.OwnerCheck destinationCheck = (name) -> names.isPrimaryOwner(addressedId, name);
                if (rule.matches(m, false, senderCheck, destinationCheck, false) &&
                    !(unicast && rule.owner().id() == addressedId))
                {
                    expected.add(rule.owner());
                }
            }
            final List<Peer> actual;
            if (unicast)
            {
                if (sender < 0)
                {
                    continue;
                }
                actual = eavesdrop(m, sender, (int)PeerIds.connectionId(addressedId));
            }
            else
            {
                actual = broadcast(m, sender);
            }
            assertThat(new LinkedHashSet<>(actual)).as(ctx).hasSameElementsAs(expected);
            assertThat(actual).as(ctx).doesNotHaveDuplicates();
        }
    }
}
