namespace ConsentHub.Benchmarks;

/// <summary>What wrk's <c>done()</c> reported for one measured run. Times are in microseconds, as wrk keeps them.</summary>
public sealed record WrkResult(
    string Scenario,
    long Requests,
    long DurationMicroseconds,
    long ConnectErrors,
    long ReadErrors,
    long WriteErrors,
    long StatusErrors,
    long Timeouts,
    long P50Microseconds,
    long P95Microseconds,
    long P99Microseconds)
{
    /// <summary>Socket errors, timeouts and non-2xx/3xx answers: anything that was not a good response.</summary>
    public long Errors => ConnectErrors + ReadErrors + WriteErrors + StatusErrors + Timeouts;

    public double RequestsPerSecond => DurationMicroseconds == 0 ? 0 : Requests / (DurationMicroseconds / 1_000_000.0);

    public TimeSpan Duration => TimeSpan.FromMicroseconds(DurationMicroseconds);
}
