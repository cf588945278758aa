using System.Security.Claims;
using Npgsql;

namespace ConsentHub.Web.Security;

/// <summary>
/// Server-side staff sessions (<see cref="ConsentHub.Staff.StaffSession"/>): a row per signed-in browser, its id
/// in the sign-in cookie. Checked on every request (one primary-key lookup) and at every circuit revalidation, so
/// deleting the row (sign-out here; sign out everywhere, disabling and role changes in the core) ends the session at
/// once, whatever copies of the cookie exist.
/// </summary>
public sealed class StaffSessions(NpgsqlDataSource dataSource, TimeProvider clock, Microsoft.Extensions.Options.IOptions<StaffSignInOptions> options)
{
    public const string SessionClaim = "consenthub:session";

    /// <summary>Starts a session for the user being signed in and puts its id on the principal (replacing any it had).</summary>
    public async Task StartAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!TryUserId(principal, out var userId) || principal.Identity is not ClaimsIdentity identity) return;
        foreach (var old in identity.FindAll(SessionClaim).ToList()) identity.RemoveClaim(old);
        var id = Guid.NewGuid();
        var now = clock.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        // Sessions of this person that have run past the absolute limit can no longer be used: sweep them here.
        batch.BatchCommands.Add(Command("DELETE FROM consenthub.staff_sessions WHERE user_id = $1 AND started_at < $2", userId, now - options.Value.AbsoluteLifetime));
        batch.BatchCommands.Add(Command("INSERT INTO consenthub.staff_sessions (id, user_id, started_at) VALUES ($1, $2, $3)", id, userId, now));
        await batch.ExecuteNonQueryAsync(ct);
        identity.AddClaim(new Claim(SessionClaim, id.ToString()));
    }

    /// <summary>True while the principal's session exists and its account is not disabled.</summary>
    public async Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!TryUserId(principal, out var userId) || !TrySessionId(principal, out var sessionId)) return false;
        await using var cmd = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM consenthub.staff_sessions s JOIN consenthub.staff_users u ON u.id = s.user_id
                           WHERE s.id = $1 AND s.user_id = $2 AND NOT u.disabled)
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = sessionId });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Ends the principal's own session (signing out); other sessions of the same person go on.</summary>
    public async Task EndAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!TryUserId(principal, out var userId) || !TrySessionId(principal, out var sessionId)) return;
        await using var cmd = dataSource.CreateCommand("DELETE FROM consenthub.staff_sessions WHERE id = $1 AND user_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = sessionId });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    private static bool TryUserId(ClaimsPrincipal principal, out Guid userId)
    {
        userId = default;
        return principal.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } id && Guid.TryParse(id, out userId);
    }

    private static bool TrySessionId(ClaimsPrincipal principal, out Guid sessionId)
    {
        sessionId = default;
        return principal.FindFirst(SessionClaim)?.Value is { } id && Guid.TryParse(id, out sessionId);
    }
}
