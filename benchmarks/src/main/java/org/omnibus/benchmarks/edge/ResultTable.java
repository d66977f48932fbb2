package org.omnibus.benchmarks.edge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Medians over runs per bus and workload, printed as a Markdown table (each cell: median [min-max over runs]) with
 * ratios of medians Omnibus/dbus-daemon, Omnibus/dbus-broker and dbus-broker/dbus-daemon, followed by the issue's
 * targets and whether they are met.
 */
public final class ResultTable
{
    private record Row(String metric, String label, boolean lowerIsBetter, String format)
    {
    }

    private static final List<Row> CALL_ROWS = List.of(
        new Row("p50", "RTT p50 (us)", true, "%.1f"),
        new Row("p90", "RTT p90 (us)", true, "%.1f"),
        new Row("p99", "RTT p99 (us)", true, "%.1f"),
        new Row("p999", "RTT p99.9 (us)", true, "%.1f"),
        new Row("bus_cpu_us", "bus CPU per call (us)", true, "%.1f"),
        new Row("client_cpu_us", "client CPU per call (us)", true, "%.1f"));

    private static final List<Row> SIGNAL_ROWS = List.of(
        new Row("per_sub", "msg/s per subscriber", false, "%,.0f"),
        new Row("total", "msg/s all subscribers", false, "%,.0f"),
        new Row("bus_cpu_us", "bus CPU per delivery (us)", true, "%.2f"),
        new Row("client_cpu_us", "client CPU per delivery (us)", true, "%.2f"));

    private static final String OMNIBUS = RunningBus.Kind.OMNIBUS.label();
    private static final String DAEMON = RunningBus.Kind.DBUS_DAEMON.label();
    private static final String BROKER = RunningBus.Kind.DBUS_BROKER.label();

    private final List<String> buses;
    private final List<Workload> workloads;
    private final List<RunResult> results;

    /**
     * @param buses     bus labels in column order.
     * @param workloads workloads in row order.
     * @param results   every run.
     */
    public ResultTable(final List<String> buses, final List<Workload> workloads, final List<RunResult> results)
    {
        this.buses = buses;
        this.workloads = workloads;
        this.results = results;
    }

    /**
     * @param bus      a bus label.
     * @param workload a workload.
     * @param metric   a metric name.
     * @return the median of the metric over the bus's completed runs of the workload, or NaN if none completed.
     */
    public double median(final String bus, final Workload workload, final String metric)
    {
        final double[] values = values(bus, workload, metric);
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /**
     * @return the Markdown table.
     */
    public String markdown()
    {
        final List<String[]> ratios = ratioColumns();
        final StringBuilder md = new StringBuilder("| workload | metric |");
        buses.forEach(b -> md.append(' ').append(b).append(" |"));
        ratios.forEach(r -> md.append(' ').append(r[0]).append(" / ").append(r[1]).append(" |"));
        md.append("\n|---|---|");
        md.append("---:|".repeat(buses.size() + ratios.size())).append('\n');
        for (final Workload workload : workloads)
        {
            for (final Row row : workload.type() == Workload.Type.CALL ? CALL_ROWS : SIGNAL_ROWS)
            {
                md.append("| ").append(workload.label()).append(" | ").append(row.label()).append(" |");
                for (final String bus : buses)
                {
                    final double value = median(bus, workload, row.metric());
                    md.append(' ').append(Double.isNaN(value) ? missing(bus, workload) : format(row.format(), value))
                        .append(spread(bus, workload, row)).append(runsNote(bus, workload)).append(" |");
                }
                for (final String[] ratio : ratios)
                {
                    final double value = median(ratio[0], workload, row.metric()) /
                        median(ratio[1], workload, row.metric());
                    md.append(' ').append(Double.isNaN(value) ? "-" : format("%.2f", value)).append(" |");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    /**
     * @return the targets (signals: Omnibus >= 2.5x dbus-daemon and above dbus-broker per subscriber; calls:
     * Omnibus p50 <= 0.5x dbus-daemon and below dbus-broker), one line each, or empty without Omnibus.
     */
    public String targets()
    {
        if (!buses.contains(OMNIBUS))
        {
            return "";
        }
        final StringBuilder out = new StringBuilder();
        for (final Workload workload : workloads)
        {
            final boolean call = workload.type() == Workload.Type.CALL;
            final String metric = call ? "p50" : "per_sub";
            final double omnibus = median(OMNIBUS, workload, metric);
            if (buses.contains(DAEMON))
            {
                final double ratio = omnibus / median(DAEMON, workload, metric);
                final boolean met = call ? ratio <= 0.5 : ratio >= 2.5;
                out.append(String.format(Locale.ROOT, "- %s: %s Omnibus/dbus-daemon = %.2f (target %s): %s%n",
                    workload.label(), metric, ratio, call ? "<= 0.5" : ">= 2.5", verdict(ratio, met)));
            }
            if (buses.contains(BROKER))
            {
                final double ratio = omnibus / median(BROKER, workload, metric);
                final boolean met = call ? ratio < 1.0 : ratio > 1.0;
                out.append(String.format(Locale.ROOT, "- %s: %s Omnibus/dbus-broker = %.2f (target %s): %s%n",
                    workload.label(), metric, ratio, call ? "< 1" : "> 1", verdict(ratio, met)));
            }
        }
        return out.toString();
    }

    private String missing(final String bus, final Workload workload)
    {
        return results.stream().anyMatch(r -> r.bus().equals(bus) && r.workload().equals(workload) && r.ok()) ||
            results.stream().noneMatch(r -> r.bus().equals(bus) && r.workload().equals(workload)) ? "-" : "failed";
    }

    private String spread(final String bus, final Workload workload, final Row row)
    {
        final double[] values = values(bus, workload, row.metric());
        if (values.length < 2)
        {
            return "";
        }
        final String format = row.format().replace(".2f", ".1f").replace(".1f", ".0f");
        return " [" + format(format, values[0]) + "-" + format(format, values[values.length - 1]) + "]";
    }

    private double[] values(final String bus, final Workload workload, final String metric)
    {
        return results.stream()
            .filter(r -> r.ok() && r.bus().equals(bus) && r.workload().equals(workload))
            .filter(r -> r.metrics().containsKey(metric))
            .mapToDouble(r -> r.metrics().get(metric))
            .sorted()
            .toArray();
    }

    private static String verdict(final double ratio, final boolean met)
    {
        return Double.isNaN(ratio) ? "no result" : met ? "met" : "MISSED";
    }

    private String runsNote(final String bus, final Workload workload)
    {
        final long total = results.stream().filter(r -> r.bus().equals(bus) && r.workload().equals(workload)).count();
        final long ok = results.stream()
            .filter(r -> r.ok() && r.bus().equals(bus) && r.workload().equals(workload)).count();
        return ok == total ? "" : " (" + ok + "/" + total + " ok)";
    }

    private List<String[]> ratioColumns()
    {
        final List<String[]> ratios = new ArrayList<>();
        for (final String[] pair : Arrays.asList(
            new String[]{OMNIBUS, DAEMON}, new String[]{OMNIBUS, BROKER}, new String[]{BROKER, DAEMON}))
        {
            if (buses.contains(pair[0]) && buses.contains(pair[1]))
            {
                ratios.add(pair);
            }
        }
        return ratios;
    }

    private static String format(final String format, final double value)
    {
        return String.format(Locale.ROOT, format, value);
    }
}
