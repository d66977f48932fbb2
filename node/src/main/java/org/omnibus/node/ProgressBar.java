package org.omnibus.node;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress bar on standard error for long replays: {@code [#####-----]  52%  1234/2345 msgs
 * 1.2 M msg/s  ETA 0:03}, redrawn in place at most five times a second. Shown when standard error is a terminal
 * and the work lasts longer than {@link #QUIET_NS}, or always when asked for.
 */
final class ProgressBar
{
    /** Work shorter than this shows no bar on a terminal. */
    static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(300);

    private static final long REDRAW_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long total;
    private final boolean forced;
    private final boolean terminal;
    private final long startNs;
    private long lastDrawNs;
    private boolean drawn;

    /**
     * @param err    standard error.
     * @param total  units of work expected (messages); 0 or less if unknown.
     * @param forced   whether to draw for short work too (and whatever standard error is).
     * @param terminal whether standard error is a terminal (then the line is also cleared to its end).
     * @param nowNs    {@link System#nanoTime()} at the start.
     */
    ProgressBar(
        final PrintWriter err, final long total, final boolean forced, final boolean terminal, final long nowNs)
    {
        this.err = err;
        this.total = total;
        this.forced = forced;
        this.terminal = terminal;
        this.startNs = nowNs;
        this.lastDrawNs = nowNs;
    }

    /**
     * @return whether standard error looks like a terminal (Linux: file descriptor 2 is a tty device).
     */
    static boolean isStderrTerminal()
    {
        try
        {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return false;
        }
    }

    /**
     * Note progress; redraws when it is time to.
     *
     * @param done  units done.
     * @param nowNs {@link System#nanoTime()}.
     */
    void update(final long done, final long nowNs)
    {
        if (nowNs - lastDrawNs < REDRAW_NS || (!forced && nowNs - startNs < QUIET_NS))
        {
            return;
        }
        draw(done, nowNs);
    }

    /**
     * Draw the final state (if a bar was drawn, or if forced) and end the line.
     *
     * @param done  units done.
     * @param nowNs {@link System#nanoTime()}.
     */
    void finish(final long done, final long nowNs)
    {
        if (drawn || forced)
        {
            draw(done, nowNs);
            err.print('\n');
            err.flush();
        }
    }

    /**
     * @param done    units done.
     * @param elapsed ns since the start.
     * @return the bar's text, without the carriage return.
     */
    String render(final long done, final long elapsed)
    {
        final StringBuilder sb = new StringBuilder(96);
        final double rate = elapsed > 0 ? done * 1e9 / elapsed : 0;
        if (total > 0)
        {
            final double fraction = Math.min(1.0, (double)done / total);
            final int filled = (int)(fraction * WIDTH);
            sb.append('[');
            for (int i = 0; i < WIDTH; i++)
            {
                sb.append(i < filled ? '#' : '-');
            }
            sb.append("] ").append(String.format(Locale.ROOT, "%3d%%", (int)(fraction * 100)))
                .append("  ").append(done).append('/').append(total).append(" msgs");
        }
        else
        {
            sb.append(done).append(" msgs");
        }
        sb.append("  ").append(formatRate(rate)).append(" msg/s");
        if (total > 0 && rate > 0 && done < total)
        {
            final long etaS = (long)((total - done) / rate);
            sb.append("  ETA ").append(etaS / 60).append(':').append(String.format(Locale.ROOT, "%02d", etaS % 60));
        }
        return sb.toString();
    }

    private void draw(final long done, final long nowNs)
    {
        lastDrawNs = nowNs;
        drawn = true;
        err.print('\r');
        err.print(render(done, nowNs - startNs));
        if (terminal)
        {
            err.print("\u001b[K");
        }
        err.flush();
    }

    private static String formatRate(final double rate)
    {
        if (rate >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2f M", rate / 1e6);
        }
        if (rate >= 1e3)
        {
            return String.format(Locale.ROOT, "%.1f k", rate / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", rate);
    }
}
