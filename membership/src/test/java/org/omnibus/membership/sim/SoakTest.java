package org.omnibus.membership.sim;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Long simulated runs: fault phases ten times longer than {@link SimulationTest}'s. Not in CI; run with
 * {@code mvn -B -pl membership -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=SoakTest -Dsim.soak=true}
 * ({@code -Dsim.soakSeeds=N}, {@code -Dsim.firstSeed=N}, {@code -Dsim.seed=N} to replay one).
 */
@EnabledIfSystemProperty(named = "sim.soak", matches = "true")
class SoakTest
{
    static LongStream seeds()
    {
        final String one = System.getProperty("sim.seed");
        if (one != null && !one.isEmpty())
        {
            return LongStream.of(Long.parseLong(one));
        }
        final long first = Long.getLong("sim.firstSeed", 1_000_000);
        return LongStream.range(first, first + Integer.getInteger("sim.soakSeeds", 20));
    }

    @ParameterizedTest(name = "soak seed {0}")
    @MethodSource("seeds")
    @Timeout(600)
    void soak(final long seed)
    {
        final Simulation simulation = new Simulation(new SimScenario(seed, 10), Boolean.getBoolean("sim.trace"));
        final List<String> violations = simulation.run();
        System.out.println(simulation.summary());
        if (!violations.isEmpty())
        {
            fail("soak seed " + seed + " failed: " + simulation.summary() + "\n  " + String.join("\n  ", violations) +
                "\nreplay: " + SimulationTest.replayCommand(seed, "SoakTest") + " -Dsim.soak=true");
        }
    }
}
