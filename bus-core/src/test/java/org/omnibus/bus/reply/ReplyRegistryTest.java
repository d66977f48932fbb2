package org.omnibus.bus.reply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReplyRegistryTest
{
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;

    private final List<String> noReplies = new ArrayList<>();
    private final ReplyRegistry.NoReplyHandler handler =
        (caller, serial, callee, gone) -> noReplies.add(caller + "/" + serial + "->" + callee + (gone ? " gone" : ""));

    @Test
    void aReplyPassesOnlyForAPendingCallAndOnlyOnce()
    {
        final ReplyRegistry replies = new ReplyRegistry(10, 0);
        assertThat(replies.expect(A, 5, B, 0)).isEqualTo(ReplyRegistry.OK);
        assertThat(replies.isExpected(B, A, 5)).isTrue();
        assertThat(replies.isExpected(C, A, 5)).isFalse();
        assertThat(replies.isExpected(B, A, 6)).isFalse();
        assertThat(replies.isExpected(A, B, 5)).isFalse();
        assertThat(replies.consume(B, A, 5)).isTrue();
        assertThat(replies.consume(B, A, 5)).isFalse();
        assertThat(replies.size()).isZero();
        assertThat(replies.pendingCount(A)).isZero();
    }

    @Test
    void duplicateAndLimit()
    {
        final ReplyRegistry replies = new ReplyRegistry(2, 0);
        assertThat(replies.expect(A, 1, B, 0)).isEqualTo(ReplyRegistry.OK);
        assertThat(replies.expect(A, 1, B, 0)).isEqualTo(ReplyRegistry.DUPLICATE);
        assertThat(replies.expect(A, 1, C, 0)).isEqualTo(ReplyRegistry.OK);
        assertThat(replies.expect(A, 2, C, 0)).isEqualTo(ReplyRegistry.LIMIT);
        assertThat(replies.expect(B, 2, C, 0)).isEqualTo(ReplyRegistry.OK);
        assertThat(replies.pendingCount(A)).isEqualTo(2);
    }

    @Test
    void timeoutsExpireOldestFirst()
    {
        final ReplyRegistry replies = new ReplyRegistry(10, 1000);
        replies.expect(A, 1, B, 0);
        replies.expect(A, 2, B, 100);
        replies.expect(C, 3, B, 200);
        assertThat(replies.nextDeadlineNs()).isEqualTo(1000);
        assertThat(replies.poll(999, handler)).isZero();
        assertThat(replies.poll(1100, handler)).isEqualTo(2);
        assertThat(noReplies).containsExactly("1/1->2", "1/2->2");
        assertThat(replies.isExpected(B, C, 3)).isTrue();
        assertThat(replies.consume(B, C, 3)).isTrue();
        assertThat(replies.poll(10_000, handler)).isZero();
        assertThat(replies.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void noTimeoutByDefault()
    {
        final ReplyRegistry replies = new ReplyRegistry(10, -1);
        replies.expect(A, 1, B, 0);
        assertThat(replies.poll(Long.MAX_VALUE - 1, handler)).isZero();
        assertThat(replies.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void peerLoss()
    {
        final ReplyRegistry replies = new ReplyRegistry(10, 0);
        replies.expect(A, 1, B, 0);
        replies.expect(B, 2, C, 0);
        replies.expect(C, 3, B, 0);
        replies.expect(B, 4, A, 0);
        replies.onPeerGone(B, handler);
        // calls B made are forgotten; calls waiting for B fail at once, oldest first
        assertThat(noReplies).containsExactly("1/1->2 gone", "3/3->2 gone");
        assertThat(replies.size()).isZero();
        assertThat(replies.pendingCount(B)).isZero();
    }

    static long[] seeds()
    {
        final long[] seeds = new long[25];
        for (int i = 0; i < seeds.length; i++)
        {
            seeds[i] = 0xCAFE00L + 31L * i;
        }
        return seeds;
    }

    /**
     * Against a straightforward model (a map of triples with deadlines), under random expect/consume/poll/loss.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void behavesLikeASimpleModel(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ReplyRegistry replies = new ReplyRegistry(6, 500);
        final Map<String, Long> model = new LinkedHashMap<>();
        final Map<Long, Integer> counts = new HashMap<>();
        long now = 0;
        for (int step = 0; step < 1500; step++)
        {
            final String ctx = "seed=" + seed + " step=" + step;
            now += random.nextInt(20);
            final long caller = random.nextInt(5);
            final long callee = random.nextInt(5);
            final int serial = random.nextInt(12);
            final String key = caller + "/" + serial + "->" + callee;
            switch (random.nextInt(6))
            {
                case 0:
                case 1:
                {
                    final int expected = model.containsKey(key) ? ReplyRegistry.DUPLICATE :
                        counts.getOrDefault(caller, 0) >= 6 ? ReplyRegistry.LIMIT : ReplyRegistry.OK;
                    assertThat(replies.expect(caller, serial, callee, now)).as(ctx).isEqualTo(expected);
                    if (expected == ReplyRegistry.OK)
                    {
                        model.put(key, now + 500);
                        counts.merge(caller, 1, Integer::sum);
                    }
                    break;
                }
                case 2:
                case 3:
                {
                    final boolean pending = model.containsKey(key);
                    assertThat(replies.isExpected(callee, caller, serial)).as(ctx).isEqualTo(pending);
                    assertThat(replies.consume(callee, caller, serial)).as(ctx).isEqualTo(pending);
                    if (pending)
                    {
                        model.remove(key);
                        counts.merge(caller, -1, Integer::sum);
                    }
                    break;
                }
                case 4:
                {
                    noReplies.clear();
                    final List<String> expected = new ArrayList<>();
                    final long t = now;
                    model.entrySet().removeIf((e) ->
                    {
                        if (e.getValue() <= t)
                        {
                            expected.add(e.getKey());
                            final long c = Long.parseLong(e.getKey().substring(0, e.getKey().indexOf('/')));
                            counts.merge(c, -1, Integer::sum);
                            return true;
                        }
                        return false;
                    });
                    assertThat(replies.poll(now, handler)).as(ctx).isEqualTo(expected.size());
                    assertThat(noReplies).as(ctx).isEqualTo(expected);
                    break;
                }
                default:
                {
                    if (random.nextInt(10) != 0)
                    {
                        break;
                    }
                    noReplies.clear();
                    final long gone = caller;
                    final List<String> expected = new ArrayList<>();
                    model.entrySet().removeIf((e) ->
                    {
                        final String k = e.getKey();
                        final long c = Long.parseLong(k.substring(0, k.indexOf('/')));
                        final long d = Long.parseLong(k.substring(k.indexOf('>') + 1));
                        if (c == gone || d == gone)
                        {
                            if (c != gone)
                            {
                                expected.add(k + " gone");
                            }
                            counts.merge(c, -1, Integer::sum);
                            return true;
                        }
                        return false;
                    });
                    replies.onPeerGone(gone, handler);
                    assertThat(noReplies).as(ctx).isEqualTo(expected);
                    break;
                }
            }
            assertThat(replies.size()).as(ctx).isEqualTo(model.size());
        }
    }
}
