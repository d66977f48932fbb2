package org.omnibus.membership.sim;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the deterministic simulator over many seeds (2,000 by default; {@code -Dsim.seeds=N} to change,
 * {@code -Dsim.seed=N} to replay one, {@code -Dsim.trace=true} to print its events, {@code -Dsim.log=DEBUG} for the
 * protocol's log). Each seed draws its own cluster size and fault mix ({@link SimScenario}).
 */
class SimulationTest
{
    static LongStream seeds()
    {
        final String one = System.getProperty("sim.seed");
        if (one != null && !one.isEmpty())
        {
            return LongStream.of(Long.parseLong(one));
        }
        final long first = Long.getLong("sim.firstSeed", 1);
        return LongStream.range(first, first + Integer.getInteger("sim.seeds", 2000));
    }

    static String replayCommand(final long seed, final String test)
    {
        return "mvn -B -pl membership -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=" + test +
            " -Dsim.seed=" + seed + " -Dsim.trace=true";
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Timeout(60)
    void seed(final long seed)
    {
        final Simulation simulation = new Simulation(new SimScenario(seed, 1), Boolean.getBoolean("sim.trace"));
        final List<String> violations = simulation.run();
        if (Boolean.getBoolean("sim.trace") || Boolean.getBoolean("sim.summary"))
        {
            System.out.println(simulation.summary());
        }
        if (!violations.isEmpty())
        {
            fail("seed " + seed + " failed: " + simulation.summary() + "\n  " + String.join("\n  ", violations) +
                "\nreplay: " + replayCommand(seed, "SimulationTest"));
        }
    }
}
