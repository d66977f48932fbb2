package org.omnibus.bus.match;

import java.util.Arrays;

/**
 * Rules in insertion order; removal keeps the order.
 */
final class RuleArray
{
    MatchRule[] rules = new MatchRule[4];
    int size;

    void add(final MatchRule rule)
    {
        if (size == rules.length)
        {
            rules = Arrays.copyOf(rules, size * 2);
        }
        rules[size++] = rule;
    }

    boolean remove(final MatchRule rule)
    {
        for (int i = 0; i < size; i++)
        {
            if (rules[i] == rule)
            {
                System.arraycopy(rules, i + 1, rules, i, size - i - 1);
                rules[--size] = null;
                return true;
            }
        }
        return false;
    }

    boolean isEmpty()
    {
        return size == 0;
    }
}
