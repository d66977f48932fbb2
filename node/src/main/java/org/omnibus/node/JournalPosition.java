package org.omnibus.node;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in the journal as the {@code --from} and {@code --to} options give it: a global sequence, or a time.
 * <p>
 * Accepted: a sequence ({@code 1234}); {@code now}; an ISO-8601 instant ({@code 2024-05-01T12:00:00Z}, with
 * fractions of a second and offsets such as {@code +02:00} or a zone such as {@code [Europe/Paris]}); a local date
 * and time or a date ({@code 2024-05-01T12:00}, {@code 2024-05-01}) in the system's time zone; a time relative to
 * now ({@code -5m}, {@code -1h30m}, {@code -90s}, {@code -500ms}; units ms, s, m, h, d, w).
 *
 * @param isTime whether this is a time (else a sequence).
 * @param value  the sequence, or the time in ns since the epoch.
 */
record JournalPosition(boolean isTime, long value)
{
    private static final Pattern RELATIVE = Pattern.compile("-((?:[0-9]+(?:ms|s|m|h|d|w))+)");
    private static final Pattern RELATIVE_PART = Pattern.compile("([0-9]+)(ms|s|m|h|d|w)");
    private static final Pattern SEQUENCE = Pattern.compile("[0-9]+");

    /**
     * @param seq a global sequence.
     * @return the position.
     */
    static JournalPosition ofSequence(final long seq)
    {
        return new JournalPosition(false, seq);
    }

    /**
     * @param timeNs ns since the epoch.
     * @return the position.
     */
    static JournalPosition ofTime(final long timeNs)
    {
        return new JournalPosition(true, timeNs);
    }

    /**
     * Read a position.
     *
     * @param option the option it came with, for the error message.
     * @param text   what was given.
     * @param nowNs  the current time, ns since the epoch, for relative times.
     * @param zone   time zone of local dates and times.
     * @return the position.
     * @throws JournalCliException if it is neither a sequence nor a time.
     */
    static JournalPosition parse(final String option, final String text, final long nowNs, final ZoneId zone)
    {
        final String value = text.strip();
        if (SEQUENCE.matcher(value).matches())
        {
            try
            {
                return ofSequence(Long.parseLong(value));
            }
            catch (final NumberFormatException ex)
            {
                throw JournalCliException.badInput(option + ": sequence " + value + " is too large");
            }
        }
        if ("now".equalsIgnoreCase(value))
        {
            return ofTime(nowNs);
        }
        final Matcher relative = RELATIVE.matcher(value);
        if (relative.matches())
        {
            return ofTime(nowNs - relativeNs(option, value, relative.group(1)));
        }
        if (value.matches("-[0-9]+"))
        {
            throw JournalCliException.badInput(option + ": '" + value + "' needs a unit to be a relative time " +
                "(ms, s, m, h, d, w: e.g. -5m); a sequence is not negative");
        }
        final Instant instant = parseInstant(value, zone);
        if (null == instant)
        {
            throw JournalCliException.badInput(option + ": cannot read '" + value + "' as a sequence or a time " +
                "(give a sequence number, an ISO-8601 instant such as 2024-05-01T12:00:00Z, or a relative time " +
                "such as -5m or -1h30m)");
        }
        try
        {
            return ofTime(TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano());
        }
        catch (final ArithmeticException ex)
        {
            throw JournalCliException.badInput(option + ": time '" + value + "' is out of range");
        }
    }

    /**
     * @return the position as the user would write it: {@code seq 42} or an ISO-8601 instant.
     */
    String describe()
    {
        return isTime ? formatInstant(value) : "seq " + value;
    }

    /**
     * @param timeNs ns since the epoch.
     * @return the time as an ISO-8601 instant in UTC.
     */
    static String formatInstant(final long timeNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(timeNs, 1_000_000_000L), Math.floorMod(timeNs, 1_000_000_000L))
            .toString();
    }

    private static long relativeNs(final String option, final String text, final String parts)
    {
        final Matcher part = RELATIVE_PART.matcher(parts);
        long totalNs = 0;
        try
        {
            while (part.find())
            {
                final long amount = Long.parseLong(part.group(1));
                final long unitNs = switch (part.group(2))
                {
                    case "ms" -> TimeUnit.MILLISECONDS.toNanos(1);
                    case "s" -> TimeUnit.SECONDS.toNanos(1);
                    case "m" -> TimeUnit.MINUTES.toNanos(1);
                    case "h" -> TimeUnit.HOURS.toNanos(1);
                    case "d" -> TimeUnit.DAYS.toNanos(1);
                    default -> TimeUnit.DAYS.toNanos(7);
                };
                totalNs = Math.addExact(totalNs, Math.multiplyExact(amount, unitNs));
            }
        }
        catch (final ArithmeticException | NumberFormatException ex)
        {
            throw JournalCliException.badInput(option + ": relative time '" + text + "' is too large");
        }
        return totalNs;
    }

    private static Instant parseInstant(final String value, final ZoneId zone)
    {
        try
        {
            return Instant.parse(value);
        }
        catch (final DateTimeException ignore)
        {
            // next form
        }
        try
        {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (final DateTimeException ignore)
        {
            // next form
        }
        try
        {
            return ZonedDateTime.parse(value).toInstant();
        }
        catch (final DateTimeException ignore)
        {
            // next form
        }
        try
        {
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        }
        catch (final DateTimeException ignore)
        {
            // next form
        }
        try
        {
            return LocalDate.parse(value).atStartOfDay(zone).toInstant();
        }
        catch (final DateTimeException ignore)
        {
            return null;
        }
    }
}
