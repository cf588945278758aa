using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>
/// A trust administrator invites a member of staff: the account is created without a password, holding one role
/// over its scope, and an email with a set-password link goes through the outbox. The link works once, for
/// <see cref="LinkLifetime"/>.
/// </summary>
public sealed class InviteStaff(UserManager<StaffUser> users, IDbContextFactory<ConsentHubDbContext> factory, OutboxWriter outbox, IAuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(3);

    /// <param name="ScopeId">The academy (academy roles) or region (RegionalDirector); null for trust-wide roles.</param>
    public sealed record Request(string Email, string DisplayName, string Role, Guid? ScopeId);

    public abstract record Result
    {
        public sealed record Invited(Guid UserId) : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    /// <param name="setPasswordUrl">Builds the link from the user id and the token (the host knows its own address).</param>
    public async Task<Result> HandleAsync(AccessScope invitedBy, Request request, Func<Guid, string, string> setPasswordUrl, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var email = request.Email.Trim();
        var name = request.DisplayName.Trim();
        if (email.Length is 0 or > 256 || !System.Net.Mail.MailAddress.TryCreate(email, out _)) errors["email"] = ["Enter the person's work email address."];
        if (name.Length is 0 or > 200) errors["displayName"] = ["Enter the person's name (up to 200 characters)."];
        if (!StaffRoles.All.Contains(request.Role)) errors["role"] = ["Choose a role."];
        if (errors.Count > 0) return new Result.Invalid(errors);

        await using var db = await factory.CreateDbContextAsync(ct);
        if (await StaffAccessGuard.AssignmentAsync(db, request.Role, request.ScopeId, ct) is not { } assignment)
            return new Result.Invalid(new Dictionary<string, string[]> { ["scope"] = [$"Choose the {StaffRoles.LevelOf(request.Role).ToString().ToLowerInvariant()} this role covers."] });
        if (await users.FindByEmailAsync(email) is not null)
            return new Result.Invalid(new Dictionary<string, string[]> { ["email"] = ["There is already an account with this email address."] });

        var user = new StaffUser { UserName = email, Email = email, DisplayName = name, CreatedAt = clock.GetUtcNow(), Assignments = [assignment] };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
            return new Result.Invalid(new Dictionary<string, string[]> { ["email"] = [.. created.Errors.Select(e => e.Description)] });

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = setPasswordUrl(user.Id, token);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await outbox.WriteAsync(db, new OutgoingEmail($"staff-invite:{user.Id}", email, "You have been invited to ConsentHub",
                $"""
                Hello {name},

                You have been given a ConsentHub account for photography and video consent, as {request.Role}.
                Choose your password here (the link works once, for {LinkLifetime.TotalDays:0} days):

                {link}

                If you were not expecting this, you can ignore this email.
                """)
            {
                ToName = name,
                // The reset token as the link carries it (escaped or not): sealed in the outbox, never stored in clear.
                Secrets = [link.Contains(token, StringComparison.Ordinal) ? token : Uri.EscapeDataString(token)],
            }, ct);
            await audit.AppendAsync(db, new AuditEvent(null, invitedBy.Actor, "staff.invited", "StaffUser", user.Id.ToString(),
                Data: new Dictionary<string, object?> { ["role"] = request.Role, ["scope"] = request.ScopeId?.ToString() }), ct);
            await tx.CommitAsync(ct);
        }
        return new Result.Invited(user.Id);
    }
}
