package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;
import org.omnibus.codec.dbus.DBusMessageBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration's per-connection limits (1000 each in {@link BusConfig}) answer LimitsExceeded, as dbus-daemon
 * does: match rules, names (the unique name counts), and calls waiting for a reply.
 */
class LimitsTest extends BusTest
{
    private static final int LIMIT = 1000;
    private static final String LIMITS_EXCEEDED = "org.freedesktop.DBus.Error.LimitsExceeded";

    @Test
    void matchRulesPerConnection() throws IOException
    {
        try (WireClient client = WireClient.connect(bus.socketPath()))
        {
            final List<WireMessage> answers = pipelined(client, LIMIT + 1,
                i -> driver("AddMatch").body("s", "member='M" + i + "'"));

            assertThat(answers.subList(0, LIMIT)).allMatch(WireMessage::isReturn);
            assertThat(answers.get(LIMIT).errorName()).isEqualTo(LIMITS_EXCEEDED);
        }
    }

    @Test
    void namesPerConnection() throws IOException
    {
        try (WireClient client = WireClient.connect(bus.socketPath()))
        {
            final List<WireMessage> answers = pipelined(client, LIMIT,
                i -> driver("RequestName").body("su", "org.omnibus.test.Limit.N" + i, 0));

            assertThat(answers.subList(0, LIMIT - 1)).allMatch(WireMessage::isReturn);
            assertThat(answers.get(LIMIT - 1).errorName()).as("the unique name is one of the %d", LIMIT)
                .isEqualTo(LIMITS_EXCEEDED);
        }
    }

    @Test
    void pendingRepliesPerConnection() throws IOException
    {
        try (WireClient caller = WireClient.connect(bus.socketPath());
            WireClient callee = WireClient.connect(bus.socketPath()))
        {
            long last = 0;
            for (int i = 0; i <= LIMIT; i++)
            {
                last = caller.send(DBusMessageBuilder.methodCall(callee.uniqueName(), "/org/omnibus/test",
                    "org.omnibus.Test", "NeverAnswered"));
            }
            final List<WireMessage> before = new ArrayList<>();
            final WireMessage answer = caller.takeReply(last, before);

            assertThat(answer.errorName()).isEqualTo(LIMITS_EXCEEDED);
            assertThat(before).noneMatch(WireMessage::isError);
        }
    }

    private static DBusMessageBuilder driver(final String member)
    {
        return DBusMessageBuilder.methodCall(WireClient.DRIVER, WireClient.DRIVER_PATH, WireClient.DRIVER_IFACE,
            member);
    }

    /** Send {@code count} calls without waiting, then collect their answers in order. */
    private static List<WireMessage> pipelined(
        final WireClient client, final int count, final java.util.function.IntFunction<DBusMessageBuilder> call)
        throws IOException
    {
        final long[] serials = new long[count];
        for (int i = 0; i < count; i++)
        {
            serials[i] = client.send(call.apply(i));
        }
        final List<WireMessage> answers = new ArrayList<>();
        for (final long serial : serials)
        {
            answers.add(client.takeReply(serial, new ArrayList<>()));
        }
        return answers;
    }
}
