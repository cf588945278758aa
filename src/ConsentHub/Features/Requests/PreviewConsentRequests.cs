using ConsentHub.Access;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Requests;

/// <summary>
/// What issuing would do, before anything is written. <see cref="NewRequests"/> = parent emails + pupil emails +
/// on paper; parties who already have an open request, or answered this form version, are counted apart and not
/// asked again.
/// </summary>
public sealed record IssuePreview(
    int Pupils,
    int NewRequests,
    int ParentEmails,
    int PupilEmails,
    int OnPaper,
    int AlreadyOpen,
    int AlreadyAnswered,
    IReadOnlyList<PupilWithoutParent> WithoutParent);

/// <summary>
/// A pupil for whom a parent must answer but no contact with parental responsibility (and without a no-contact
/// order) is recorded: the office should fix the record. <paramref name="PupilAsked"/>: the pupil is still asked
/// (Years 7–11), so the request is not empty, but consent can never be complete.
/// </summary>
public sealed record PupilWithoutParent(Guid PupilId, string Name, string YearGroup, string? RegistrationGroup, bool PupilAsked);

/// <summary>Office staff see the counts for an audience before issuing; reads only.</summary>
public sealed class PreviewConsentRequests(IDbContextFactory<ConsentHubDbContext> factory, TimeProvider clock)
{
    public abstract record Result
    {
        public sealed record Previewed(IssuePreview Preview) : Result;

        /// <summary>What is wrong, by field: academy, formVersion, audience, deadline, delivery.</summary>
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, IssueConsentRequests.Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var errors = IssuePlanner.Validate(request, UkCalendar.DateOf(now));
        if (errors.Count > 0) return new Result.Invalid(errors);

        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var (plan, loadErrors) = await IssuePlanner.LoadAsync(conn, null, scope, request, now, ct);
        return plan is null ? new Result.Invalid(loadErrors) : new Result.Previewed(plan.ToPreview());
    }
}
