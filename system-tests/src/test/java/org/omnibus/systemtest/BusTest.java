package org.omnibus.systemtest;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Base of the tests that run against each bus named by {@code omnibus.systest.buses} ({@link BusKind#selected()}):
 * one bus per kind is started for the test class in a temporary directory, and stopped after it. Tests use names
 * of their own so they do not disturb each other on the shared bus.
 */
@ParameterizedClass(name = "[{0}]")
@MethodSource("org.omnibus.systemtest.BusKind#selected")
@Timeout(60)
abstract class BusTest
{
    @TempDir
    static Path tempDir;

    static Bus bus;

    @Parameter
    BusKind kind;

    @BeforeParameterizedClassInvocation
    static void startBus(final BusKind kind, final org.junit.jupiter.api.TestInfo info) throws IOException
    {
        final Path dir = Files.createDirectories(tempDir.resolve(kind.id()));
        bus = Bus.start(kind, dir, info.getTestClass().map(Class::getSimpleName).orElse("test"));
    }

    @AfterParameterizedClassInvocation
    static void stopBus()
    {
        if (bus != null)
        {
            bus.close();
            bus = null;
        }
    }
}
