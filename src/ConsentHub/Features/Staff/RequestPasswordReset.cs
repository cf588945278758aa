using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>
/// "Forgot your password?": when the address belongs to an active account, a set-password link goes by email
/// through the outbox. The link carries Identity's password-reset token: nothing of it is stored (the outbox keeps it
/// sealed), it expires with <see cref="InviteStaff.LinkLifetime"/>'s token lifespan, and it works once (setting the
/// password changes the account's security stamp, which the token is bound to). The caller learns nothing about
/// whether the address has an account; the audit records which it was.
/// </summary>
public sealed class RequestPasswordReset(UserManager<StaffUser> users, IDbContextFactory<ConsentHubDbContext> factory, OutboxWriter outbox, IAuditLog audit)
{
    /// <param name="setPasswordUrl">Builds the link from the user id and the token (the host knows its own address).</param>
    /// <returns>True when an email was queued (for the caller to start the outbox; never to tell the visitor).</returns>
    public async Task<bool> HandleAsync(string? email, Func<Guid, string, string> setPasswordUrl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(setPasswordUrl);
        var address = (email ?? "").Trim();
        var user = address.Length is > 0 and <= 256 ? await users.FindByEmailAsync(address) : null;
        if (user is null || user.Disabled || string.IsNullOrEmpty(user.Email))
        {
            // Who asked is not recorded (a stranger's typing is not personal data to keep); only that it matched nothing.
            audit.RecordRead(new AuditEvent(null, "anonymous", "staff.password-reset-unmatched", "StaffUser", user?.Id.ToString() ?? "none"));
            return false;
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = setPasswordUrl(user.Id, token);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await outbox.WriteAsync(db, new OutgoingEmail($"staff-reset:{user.Id}:{Guid.NewGuid():N}", user.Email, "Choose a new ConsentHub password",
            $"""
            Hello {user.DisplayName},

            Someone (we hope you) asked to choose a new password for your ConsentHub account.
            Choose it here (the link works once, for {InviteStaff.LinkLifetime.TotalDays:0} days):

            {link}

            If you did not ask, you can ignore this email: your password stays as it is.
            """)
        {
            ToName = user.DisplayName,
            Secrets = [link.Contains(token, StringComparison.Ordinal) ? token : Uri.EscapeDataString(token)],
        }, ct);
        await audit.AppendAsync(db, new AuditEvent(null, $"staff:{user.Id}", "staff.password-reset-requested", "StaffUser", user.Id.ToString()), ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
