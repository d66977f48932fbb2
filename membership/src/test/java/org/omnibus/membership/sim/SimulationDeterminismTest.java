package org.omnibus.membership.sim;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seed replays exactly: two runs of the same chaotic scenarios give the same events, the same views and the same
 * delivered histories on every process.
 */
class SimulationDeterminismTest
{
    @Test
    @Timeout(120)
    void aSeedReplaysExactly()
    {
        for (long seed = 1; seed <= 100; seed++)
        {
            final SimScenario scenario = new SimScenario(seed, 1);
            if (!scenario.profile.equals("chaos") && !scenario.profile.equals("asymmetric"))
            {
                continue;
            }
            final Simulation first = new Simulation(scenario, false);
            final List<String> firstResult = first.run();
            final Simulation second = new Simulation(new SimScenario(seed, 1), false);
            final List<String> secondResult = second.run();
            assertThat(second.summary()).as("seed %d", seed).isEqualTo(first.summary());
            assertThat(secondResult).isEqualTo(firstResult);
            assertThat(histories(second)).as("seed %d", seed).isEqualTo(histories(first));
        }
    }

    private static List<String> histories(final Simulation simulation)
    {
        final List<String> histories = new ArrayList<>();
        for (final SimApp app : simulation.checker.processes)
        {
            final StringBuilder sb = new StringBuilder(app.name()).append(':');
            for (final SimApp.Segment segment : app.segments)
            {
                sb.append(" |").append(segment.base.size());
                for (final SimApp.Entry e : segment.deliveries)
                {
                    sb.append(' ').append(e);
                }
            }
            histories.add(sb.toString());
        }
        return histories;
    }
}
