package org.omnibus.systemtest;

import java.util.ArrayList;
import java.util.List;

/**
 * A small line diff (longest common subsequence) for readable test failures.
 */
final class LineDiff
{
    private LineDiff()
    {
    }

    /**
     * @param a       expected lines.
     * @param b       actual lines.
     * @param context unchanged lines to show around a change.
     * @return the diff, lines prefixed "- ", "+ " or "  ", "  ..." for skipped unchanged lines.
     */
    static String diff(final List<String> a, final List<String> b, final int context)
    {
        final int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--)
        {
            for (int j = b.size() - 1; j >= 0; j--)
            {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }

        final List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size())
        {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j)))
            {
                out.add("  " + a.get(i));
                i++;
                j++;
            }
            else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j]))
            {
                out.add("+ " + b.get(j++));
            }
            else
            {
                out.add("- " + a.get(i++));
            }
        }

        final StringBuilder sb = new StringBuilder();
        int lastShown = -1;
        for (int k = 0; k < out.size(); k++)
        {
            if (near(out, k, context))
            {
                if (lastShown < k - 1)
                {
                    sb.append("  ...\n");
                }
                sb.append(out.get(k)).append('\n');
                lastShown = k;
            }
        }
        if (lastShown < out.size() - 1)
        {
            sb.append("  ...\n");
        }
        return sb.toString();
    }

    private static boolean near(final List<String> out, final int index, final int context)
    {
        for (int k = Math.max(0, index - context); k <= Math.min(out.size() - 1, index + context); k++)
        {
            if (!out.get(k).startsWith("  "))
            {
                return true;
            }
        }
        return false;
    }
}
