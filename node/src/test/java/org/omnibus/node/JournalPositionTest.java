package org.omnibus.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading {@code --from} and {@code --to}: sequences, instants, local times, relative times, and clear refusals.
 */
class JournalPositionTest
{
    private static final long NOW_NS = TimeUnit.SECONDS.toNanos(1_700_000_000L) + 123_456_789L;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @ParameterizedTest
    @CsvSource({"0, 0", "42, 42", " 7 , 7", "9223372036854775807, 9223372036854775807"})
    void shouldReadSequences(final String text, final long seq)
    {
        assertThat(parse(text)).isEqualTo(JournalPosition.ofSequence(seq));
    }

    @ParameterizedTest
    @CsvSource({
        "-5m, 300000", "-90s, 90000", "-1h30m, 5400000", "-500ms, 500", "-2d, 172800000", "-1w, 604800000",
        "-1m30s250ms, 90250", "now, 0"})
    void shouldReadTimesRelativeToNow(final String text, final long agoMs)
    {
        assertThat(parse(text)).isEqualTo(JournalPosition.ofTime(NOW_NS - TimeUnit.MILLISECONDS.toNanos(agoMs)));
    }

    @ParameterizedTest
    @CsvSource({
        "2024-05-01T12:00:00Z, 2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00.123456789Z, 2024-05-01T12:00:00.123456789Z",
        "2024-05-01T14:00:00+02:00, 2024-05-01T12:00:00Z",
        "2024-05-01T14:00+02:00[Europe/Paris], 2024-05-01T12:00:00Z",
        "2024-05-01T14:00, 2024-05-01T12:00:00Z",
        "2024-05-01, 2024-04-30T22:00:00Z"})
    void shouldReadIsoInstantsAndLocalTimes(final String text, final String instant)
    {
        final Instant expected = Instant.parse(instant);
        assertThat(parse(text)).isEqualTo(
            JournalPosition.ofTime(TimeUnit.SECONDS.toNanos(expected.getEpochSecond()) + expected.getNano()));
    }

    @Test
    void shouldRefuseANegativeNumberWithoutUnit()
    {
        assertThatThrownBy(() -> parse("-5"))
            .isInstanceOf(JournalCliException.class)
            .hasMessage("--from: '-5' needs a unit to be a relative time (ms, s, m, h, d, w: e.g. -5m); " +
                "a sequence is not negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "5m", "-5x", "2024-13-01T00:00:00Z", "12:00", "-m"})
    void shouldRefuseWhatIsNeitherASequenceNorATime(final String text)
    {
        assertThatThrownBy(() -> parse(text))
            .isInstanceOf(JournalCliException.class)
            .hasMessageStartingWith("--from: cannot read '" + text.strip() + "' as a sequence or a time")
            .satisfies((ex) -> assertThat(((JournalCliException)ex).exitCode()).isEqualTo(2));
    }

    @Test
    void shouldRefuseNumbersTooLarge()
    {
        assertThatThrownBy(() -> parse("99999999999999999999"))
            .isInstanceOf(JournalCliException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> parse("-99999999999999999999d"))
            .isInstanceOf(JournalCliException.class).hasMessageContaining("too large");
    }

    @Test
    void shouldDescribePositions()
    {
        assertThat(JournalPosition.ofSequence(5).describe()).isEqualTo("seq 5");
        assertThat(JournalPosition.ofTime(TimeUnit.SECONDS.toNanos(1_700_000_000L)).describe())
            .isEqualTo("2023-11-14T22:13:20Z");
    }

    private static JournalPosition parse(final String text)
    {
        return JournalPosition.parse("--from", text, NOW_NS, PARIS);
    }
}
