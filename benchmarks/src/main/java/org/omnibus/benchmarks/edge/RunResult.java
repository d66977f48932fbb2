package org.omnibus.benchmarks.edge;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one run of one workload on one bus: metrics parsed from the clients' RESULT lines plus the bus's
 * CPU time over the measured period, or the reason it failed.
 *
 * @param bus      bus label.
 * @param workload the workload.
 * @param run      run number, from 1.
 * @param ok       whether the run completed (for signals: every subscriber got every signal).
 * @param metrics  named figures (see {@link EdgeBench} for names and units).
 * @param note     failure reason or empty.
 */
public record RunResult(String bus, Workload workload, int run, boolean ok, Map<String, Double> metrics, String note)
{
    /**
     * @param bus      bus label.
     * @param workload the workload.
     * @param run      run number.
     * @param note     why it failed.
     * @return a failed run.
     */
    public static RunResult failed(final String bus, final Workload workload, final int run, final String note)
    {
        return new RunResult(bus, workload, run, false, Map.of(), note);
    }

    /**
     * Parse the {@code key=value} pairs of a RESULT line; numeric values only, comma lists are skipped.
     *
     * @param line a RESULT line.
     * @return the numeric pairs.
     */
    public static Map<String, Double> parse(final String line)
    {
        final Map<String, Double> values = new LinkedHashMap<>();
        for (final String token : line.trim().split("\\s+"))
        {
            final int eq = token.indexOf('=');
            if (eq > 0)
            {
                try
                {
                    values.put(token.substring(0, eq), Double.parseDouble(token.substring(eq + 1)));
                }
                catch (final NumberFormatException ignore)
                {
                    // not a number: status, lists
                }
            }
        }
        return values;
    }

    /**
     * @param line a RESULT line.
     * @param key  a key.
     * @return its raw value, or empty.
     */
    public static String rawValue(final String line, final String key)
    {
        for (final String token : line.trim().split("\\s+"))
        {
            if (token.startsWith(key + "="))
            {
                return token.substring(key.length() + 1);
            }
        }
        return "";
    }

    /**
     * @return a CSV line: bus, workload, run, ok, metrics as key=value, note.
     */
    public String csv()
    {
        final StringBuilder builder = new StringBuilder()
            .append(bus).append(',').append(workload.fileLabel()).append(',').append(run).append(',').append(ok);
        final StringBuilder pairs = new StringBuilder();
        metrics.forEach((k, v) -> pairs.append(pairs.length() == 0 ? "" : " ")
            .append(k).append('=').append(String.format(Locale.ROOT, "%.2f", v)));
        return builder.append(",\"").append(pairs).append("\",\"").append(note.replace('"', '\'')).append('"')
            .toString();
    }
}
