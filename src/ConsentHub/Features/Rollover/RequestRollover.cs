using Hangfire;

namespace ConsentHub.Rollover;

/// <summary>
/// Asks for a rollover at one academy now, in the background: after an import that changed a year group, and after
/// staff set or cleared the sixth-form "also ask the parent" flag. Call after the change has committed.
/// </summary>
public sealed class RequestRollover(IBackgroundJobClient jobs)
{
    public string Now(Guid academyId, RolloverTrigger trigger, string actor) =>
        jobs.Enqueue<RunRollover>(job => job.RunAsync(academyId, trigger, actor, CancellationToken.None));

    /// <summary>After an import: a rollover when it committed and changed anyone's year group; null otherwise.</summary>
    public string? AfterImport(Pupils.ImportPupils.Result result, Guid academyId, string actor) =>
        result is Pupils.ImportPupils.Result.Report { Committed: true } report
        && report.Changed.Any(c => c.What.Contains(YearGroupChange, StringComparer.Ordinal))
            ? Now(academyId, RolloverTrigger.Import, actor)
            : null;

    /// <summary>How the import's report names a year-group change.</summary>
    public const string YearGroupChange = "year group";
}
