package org.omnibus.bus.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bus policy of a configuration: rules by context, as dbus-daemon's BusPolicy. Per-connection decisions are
 * taken on a {@link PolicySnapshot} computed once per connection by {@link #snapshot(long, long[])}.
 * <p>
 * at_console policies are not supported: the parser drops them with a warning.
 */
public final class Policy
{
    private final List<PolicyRule> defaultRules = new ArrayList<>();
    private final List<PolicyRule> mandatoryRules = new ArrayList<>();
    private final Map<Long, List<PolicyRule>> rulesByUid = new LinkedHashMap<>();
    private final Map<Long, List<PolicyRule>> rulesByGid = new LinkedHashMap<>();
    private final Map<String, PolicySnapshot> snapshotCache = new HashMap<>();

    /**
     * @param rule a rule of a {@code <policy context="default">}.
     */
    public void appendDefault(final PolicyRule rule)
    {
        defaultRules.add(rule);
        snapshotCache.clear();
    }

    /**
     * @param rule a rule of a {@code <policy context="mandatory">}.
     */
    public void appendMandatory(final PolicyRule rule)
    {
        mandatoryRules.add(rule);
        snapshotCache.clear();
    }

    /**
     * @param uid  the user of a {@code <policy user="...">}.
     * @param rule a per-client rule.
     */
    public void appendUser(final long uid, final PolicyRule rule)
    {
        rulesByUid.computeIfAbsent(uid, (k) -> new ArrayList<>()).add(rule);
        snapshotCache.clear();
    }

    /**
     * @param gid  the group of a {@code <policy group="...">}.
     * @param rule a per-client rule.
     */
    public void appendGroup(final long gid, final PolicyRule rule)
    {
        rulesByGid.computeIfAbsent(gid, (k) -> new ArrayList<>()).add(rule);
        snapshotCache.clear();
    }

    /**
     * Absorb another policy (an included file): its rules go after ours, context by context.
     *
     * @param other the included policy.
     */
    public void merge(final Policy other)
    {
        defaultRules.addAll(other.defaultRules);
        mandatoryRules.addAll(other.mandatoryRules);
        other.rulesByUid.forEach((k, v) -> rulesByUid.computeIfAbsent(k, (x) -> new ArrayList<>()).addAll(v));
        other.rulesByGid.forEach((k, v) -> rulesByGid.computeIfAbsent(k, (x) -> new ArrayList<>()).addAll(v));
        snapshotCache.clear();
    }

    /**
     * @return rules of the default context.
     */
    public List<PolicyRule> defaultRules()
    {
        return Collections.unmodifiableList(defaultRules);
    }

    /**
     * @return rules of the mandatory context.
     */
    public List<PolicyRule> mandatoryRules()
    {
        return Collections.unmodifiableList(mandatoryRules);
    }

    /**
     * @param uid a uid.
     * @return rules of {@code <policy user>} for it.
     */
    public List<PolicyRule> userRules(final long uid)
    {
        return Collections.unmodifiableList(rulesByUid.getOrDefault(uid, List.of()));
    }

    /**
     * @param gid a gid.
     * @return rules of {@code <policy group>} for it.
     */
    public List<PolicyRule> groupRules(final long gid)
    {
        return Collections.unmodifiableList(rulesByGid.getOrDefault(gid, List.of()));
    }

    /**
     * The policy of a connection: default rules, then the rules of each of its groups (in the order of the
     * group list), then its user's rules, then mandatory rules. Snapshots are immutable and cached by
     * credentials.
     *
     * @param uid  the connection's uid, or {@link org.omnibus.bus.peer.PeerCredentials#UNKNOWN}.
     * @param gids the connection's groups.
     * @return the snapshot.
     */
    public PolicySnapshot snapshot(final long uid, final long[] gids)
    {
        final String key = uid + ":" + Arrays.toString(gids);
        PolicySnapshot snapshot = snapshotCache.get(key);
        if (null == snapshot)
        {
            final List<PolicyRule> rules = new ArrayList<>(defaultRules);
            if (!rulesByGid.isEmpty())
            {
                for (final long gid : gids)
                {
                    final List<PolicyRule> list = rulesByGid.get(gid);
                    if (null != list)
                    {
                        rules.addAll(list);
                    }
                }
            }
            if (uid >= 0)
            {
                final List<PolicyRule> list = rulesByUid.get(uid);
                if (null != list)
                {
                    rules.addAll(list);
                }
            }
            rules.addAll(mandatoryRules);
            snapshot = new PolicySnapshot(rules);
            snapshotCache.put(key, snapshot);
        }
        return snapshot;
    }

    /**
     * May a user connect (bus_policy_allow_unix_user)? By default only the user the bus runs as; user and group
     * rules of the default and mandatory contexts change that, the last matching rule winning.
     *
     * @param uid    the connecting uid.
     * @param gids   its groups.
     * @param busUid the uid the bus runs as.
     * @return true when the user may connect.
     */
    public boolean allowsUnixUser(final long uid, final long[] gids, final long busUid)
    {
        boolean allowed = uid == busUid && uid >= 0;
        allowed = listAllowsUser(allowed, defaultRules, uid, gids);
        allowed = listAllowsUser(allowed, mandatoryRules, uid, gids);
        return allowed;
    }

    private static boolean listAllowsUser(
        final boolean def, final List<PolicyRule> rules, final long uid, final long[] gids)
    {
        boolean allowed = def;
        for (final PolicyRule rule : rules)
        {
            if (rule.kind == PolicyRule.Kind.USER)
            {
                if (rule.id != PolicyRule.ANY_ID && rule.id != uid)
                {
                    continue;
                }
            }
            else if (rule.kind == PolicyRule.Kind.GROUP)
            {
                if (rule.id != PolicyRule.ANY_ID && !contains(gids, rule.id))
                {
                    continue;
                }
            }
            else
            {
                continue;
            }
            allowed = rule.allow;
        }
        return allowed;
    }

    private static boolean contains(final long[] values, final long value)
    {
        for (final long v : values)
        {
            if (v == value)
            {
                return true;
            }
        }
        return false;
    }
}
