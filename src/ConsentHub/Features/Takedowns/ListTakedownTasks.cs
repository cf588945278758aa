using ConsentHub.Access;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ConsentHub.Takedowns;

/// <summary>
/// The open takedowns a member of staff is responsible for: those at academies in the scope where they hold the
/// TakedownTasks capability (communications director and trust admins everywhere, headteachers at their academy),
/// and those on any account the register names them as an administrative contact for (by their sign-in email).
/// One line per account and pupil, with the posts in the register that show the pupil there; never the reason.
/// </summary>
public sealed class ListTakedownTasks(IDbContextFactory<ConsentHubDbContext> factory)
{
    /// <param name="Scopes">Where the caller holds the TakedownTasks capability (may be empty).</param>
    /// <param name="Email">The caller's sign-in email, matched against the register's administrative contacts.</param>
    public sealed record Caller(IReadOnlyList<AccessScope> Scopes, string? Email);

    public sealed record Row(Guid AccountId, string Account, string Admins, Guid PupilId, string PupilName, string YearGroup, string AcademyName,
        DateTimeOffset Since, int Tasks, bool Overdue, IReadOnlyList<string> PostUrls);

    public async Task<IReadOnlyList<Row>> HandleAsync(Caller caller, TimeSpan overdueAfter, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var (where, fill) = Visible(caller);
        var lines = await OpenTakedowns.ReadAsync(conn, null, where, fill, ct);
        return [.. lines.Select(l => new Row(l.AccountId, l.Account, $"{l.FirstAdminName} ({l.FirstAdminEmail}), {l.SecondAdminName} ({l.SecondAdminEmail})",
            l.PupilId, l.PupilName, new Consent.YearGroup(l.YearGroup).DisplayName, l.AcademyName, l.Since, l.TaskIds.Length, l.Since <= now - overdueAfter, l.PostUrls))];
    }

    /// <summary>The SQL condition on task <c>t</c> / account <c>acc</c> for what the caller may see and close: scoping in SQL.</summary>
    internal static (string Where, Action<NpgsqlParameterCollection> Fill) Visible(Caller caller)
    {
        var parts = new List<string>();
        for (var i = 0; i < caller.Scopes.Count; i++)
            parts.Add(AccessScope.Condition("t.academy_id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var email = string.IsNullOrWhiteSpace(caller.Email) ? null : caller.Email.Trim();
        if (email is not null) parts.Add("(lower(acc.first_admin_email) = lower(@me) OR lower(acc.second_admin_email) = lower(@me))");
        if (parts.Count == 0) parts.Add("false");
        return (string.Join(" OR ", parts), p =>
        {
            for (var i = 0; i < caller.Scopes.Count; i++)
            {
                p.AddScope(caller.Scopes[i], i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (email is not null) p.AddWithValue("me", email);
        }
        );
    }
}
