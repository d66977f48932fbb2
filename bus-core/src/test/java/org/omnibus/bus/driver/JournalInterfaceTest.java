package org.omnibus.bus.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.bus.BusFixture.driverCall;
import static org.omnibus.bus.BusFixture.single;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omnibus.bus.BusFixture;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.MessageType;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.match.MatchRule;
import org.omnibus.bus.match.MatchRuleParser;
import org.omnibus.bus.peer.Peer;

/**
 * The driver's org.omnibus.Journal rows: argument and rule checks before the service, NotSupported without one,
 * hidden from a local bus' introspection, and the durable filter ({@code Bus.acceptsDurable}).
 */
class JournalInterfaceTest
{
    private final BusFixture f = new BusFixture();
    private final List<String> calls = new ArrayList<>();

    private SimpleMessage journalCall(final Peer peer, final String member, final String signature,
        final Object... args)
    {
        final SimpleMessage call = driverCall(member).interfaceName(Driver.JOURNAL_INTERFACE);
        if (!signature.isEmpty())
        {
            call.body(signature, args);
        }
        return single(f.send(peer, call), peer);
    }

    private final JournalService service = new JournalService()
    {
        @Override
        public void subscribe(final DriverCall call, final MatchRule rule, final long fromSeq)
        {
            calls.add("subscribe " + rule.text() + " " + fromSeq);
            call.reply("tt", 7L, fromSeq);
        }

        @Override
        public void subscribeFromTime(final DriverCall call, final MatchRule rule, final long unixTimeNs)
        {
            calls.add("time " + unixTimeNs);
            call.reply("tt", 8L, 1L);
        }

        @Override
        public void unsubscribe(final DriverCall call, final long subscriptionId)
        {
            calls.add("unsubscribe " + subscriptionId);
            call.ack();
        }

        @Override
        public void position(final DriverCall call)
        {
            call.reply("tt", 1L, 2L);
        }

        @Override
        public void onDisconnect(final Peer peer)
        {
            calls.add("gone " + peer.uniqueName());
        }
    };

    @Test
    void notSupportedWithoutAServiceAndHiddenOnALocalBus()
    {
        final Peer a = f.client(1000);
        assertThat(journalCall(a, "GetPosition", "").errorName()).isEqualTo(DBusErrors.NOT_SUPPORTED);
        assertThat(journalCall(a, "Subscribe", "st", "type='signal'", 0L).errorName())
            .isEqualTo(DBusErrors.NOT_SUPPORTED);
        final SimpleMessage introspect = single(f.send(a, driverCall("Introspect")
            .interfaceName("org.freedesktop.DBus.Introspectable")), a);
        assertThat((String)introspect.body()[0]).doesNotContain("org.omnibus.Journal");
    }

    @Test
    void checksArgumentsBeforeTheService()
    {
        f.bus.journalService(service);
        final Peer a = f.client(1000);
        assertThat(journalCall(a, "Subscribe", "st", "type='signal',interface='a.b'", 5L).body())
            .containsExactly(7L, 5L);
        assertThat(journalCall(a, "Subscribe", "st", "nonsense", 0L).errorName())
            .isEqualTo(DBusErrors.MATCH_RULE_INVALID);
        assertThat(journalCall(a, "Subscribe", "st", "type='error'", 0L).errorName())
            .isEqualTo(DBusErrors.MATCH_RULE_INVALID);
        assertThat(journalCall(a, "Subscribe", "st", "eavesdrop='true'", 0L).errorName())
            .isEqualTo(DBusErrors.MATCH_RULE_INVALID);
        assertThat(journalCall(a, "Subscribe", "st", "type='signal'", -5L).errorName())
            .isEqualTo(DBusErrors.INVALID_ARGS);
        assertThat(journalCall(a, "SubscribeFromTime", "st", "", -1L).errorName())
            .isEqualTo(DBusErrors.INVALID_ARGS);
        assertThat(journalCall(a, "SubscribeFromTime", "st", "", 99L).body()).containsExactly(8L, 1L);
        assertThat(journalCall(a, "Subscribe", "su", "", 1L).errorName()).isEqualTo(DBusErrors.INVALID_ARGS);
        assertThat(journalCall(a, "Unsubscribe", "t", 3L).type()).isEqualTo(MessageType.METHOD_RETURN);
        assertThat(journalCall(a, "GetPosition", "").body()).containsExactly(1L, 2L);
        // only at the canonical path
        final SimpleMessage elsewhere = single(f.send(a, driverCall("GetPosition")
            .interfaceName(Driver.JOURNAL_INTERFACE).path("/org/other")), a);
        assertThat(elsewhere.type()).isEqualTo(MessageType.ERROR);
        f.bus.disconnect(a);
        assertThat(calls).containsExactly("subscribe type='signal',interface='a.b' 5", "time 99", "unsubscribe 3",
            "gone " + a.uniqueName());
    }

    @Test
    void durableFilterTakesBroadcastSignalsTheRuleAndPolicyAllow() throws Exception
    {
        final Peer subscriber = f.client(1000);
        final Peer sender = f.client(1000);
        final MatchRule feed = MatchRuleParser.parse("type='signal',interface='com.example.Feed',arg0='x'");
        final SimpleMessage tick = SimpleMessage.signal("/feed", "com.example.Feed", "Tick").body("s", "x")
            .sender(sender.uniqueName());
        assertThat(f.bus.acceptsDurable(subscriber, feed, sender.id(), tick)).isTrue();
        assertThat(f.bus.acceptsDurable(subscriber, feed, sender.id(),
            SimpleMessage.signal("/feed", "com.example.Feed", "Tick").body("s", "y"))).isFalse();
        assertThat(f.bus.acceptsDurable(subscriber, feed, sender.id(),
            SimpleMessage.signal("/feed", "com.example.Feed", "Tick").body("s", "x").destination(":1.9"))).isFalse();
        assertThat(f.bus.acceptsDurable(subscriber, MatchRuleParser.parse("sender='" + sender.uniqueName() + "'"),
            sender.id(), tick)).isTrue();
        assertThat(f.bus.acceptsDurable(subscriber, MatchRuleParser.parse("sender=':1.999'"), sender.id(), tick))
            .isFalse();
        // a unique-name sender key still matches once the sender is gone (history)
        final long senderId = sender.id();
        final String senderName = sender.uniqueName();
        f.bus.disconnect(sender);
        assertThat(f.bus.acceptsDurable(subscriber, MatchRuleParser.parse("sender='" + senderName + "'"), senderId,
            tick)).isTrue();
    }
}
