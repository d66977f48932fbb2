package org.omnibus.node;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The progress bar's text, its pace and its silence on short work.
 */
class ProgressBarTest
{
    private final StringWriter err = new StringWriter();

    @Test
    void shouldRenderFractionCountRateAndEta()
    {
        final ProgressBar bar = new ProgressBar(new PrintWriter(err), 2000, false, false, 0);
        assertThat(bar.render(500, TimeUnit.SECONDS.toNanos(1)))
            .isEqualTo("[#######-----------------------]  25%  500/2000 msgs  500 msg/s  ETA 0:03");
        assertThat(bar.render(2000, TimeUnit.MILLISECONDS.toNanos(1)))
            .isEqualTo("[##############################] 100%  2000/2000 msgs  2.00 M msg/s");
        assertThat(new ProgressBar(new PrintWriter(err), 0, false, false, 0).render(1500, TimeUnit.SECONDS.toNanos(1)))
            .isEqualTo("1500 msgs  1.5 k msg/s");
    }

    @Test
    void shouldStayQuietOnShortWorkUnlessForced()
    {
        final ProgressBar quiet = new ProgressBar(new PrintWriter(err), 10, false, true, 0);
        quiet.update(5, ProgressBar.QUIET_NS / 2);
        quiet.finish(10, ProgressBar.QUIET_NS / 2);
        assertThat(err.toString()).isEmpty();

        final ProgressBar forced = new ProgressBar(new PrintWriter(err), 10, true, false, 0);
        forced.finish(10, TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(err.toString()).startsWith("\r[##############################] 100%  10/10 msgs").endsWith("\n");
    }

    @Test
    void shouldRedrawInPlaceAtMostFiveTimesASecondOnATerminal()
    {
        final ProgressBar bar = new ProgressBar(new PrintWriter(err), 100, false, true, 0);
        final long start = ProgressBar.QUIET_NS;
        for (int i = 0; i <= 100; i++)
        {
            bar.update(i, start + TimeUnit.MILLISECONDS.toNanos(10) * i);
        }
        bar.finish(100, TimeUnit.SECONDS.toNanos(1));
        final String text = err.toString();
        assertThat(text.chars().filter((c) -> c == '\r').count()).isBetween(5L, 7L);
        assertThat(text).contains("\u001b[K").endsWith("100%  100/100 msgs  100 msg/s\u001b[K\n");
    }
}
