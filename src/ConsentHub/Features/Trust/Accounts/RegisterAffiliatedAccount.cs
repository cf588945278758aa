using System.Net.Mail;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Trust.Accounts;

/// <summary>
/// Adds an account to the register, or changes an open one (same id). Validates everything first and saves
/// nothing on bad input, naming each field at fault; the change and its audit entry commit together.
/// </summary>
public sealed class RegisterAffiliatedAccount(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public const int MaxHandleLength = 100;
    public const int MaxUrlLength = 300;
    public const int MaxNameLength = 120;
    public const int MaxEmailLength = 254;

    /// <param name="Id">Null to register a new account; an open account's id to change it.</param>
    public sealed record Request(
        Guid? Id,
        SocialPlatform Platform,
        string Handle,
        string? Url,
        PauseScope Scope,
        Guid? ScopeId,
        string FirstAdminName,
        string FirstAdminEmail,
        string SecondAdminName,
        string SecondAdminEmail);

    public abstract record Result
    {
        public sealed record Saved(Guid Id) : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    public async Task<Result> HandleAsync(Request request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        await using var db = await factory.CreateDbContextAsync(ct);
        var trust = await db.Trusts.AsNoTracking().FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("The trust has not been set up.");

        if (!Enum.IsDefined(request.Platform)) Error("platform", "Choose the platform.");
        var handle = request.Handle?.Trim() ?? "";
        if (handle.Length == 0) Error("handle", "Give the account's handle or name as the platform shows it.");
        else if (handle.Length > MaxHandleLength) Error("handle", $"The handle is longer than {MaxHandleLength} characters.");

        var url = string.IsNullOrWhiteSpace(request.Url) ? null : request.Url.Trim();
        if (url is not null && (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            Error("url", "The address must be a full https:// link to the account.");

        switch (request.Scope)
        {
            case PauseScope.Trust when request.ScopeId is not null:
                Error("scopeId", "A trust-wide account belongs to no academy or region.");
                break;
            case PauseScope.Academy when request.ScopeId is not { } academyId || !await db.Academies.AnyAsync(a => a.Id == academyId, ct):
                Error("scopeId", "Choose the academy the account belongs to.");
                break;
            case PauseScope.Region when request.ScopeId is not { } regionId || !await db.Regions.AnyAsync(r => r.Id == regionId, ct):
                Error("scopeId", "Choose the region the account belongs to.");
                break;
            case PauseScope.Trust or PauseScope.Academy or PauseScope.Region:
                break;
            default:
                Error("scope", "Say whether the account belongs to an academy, a region or the trust.");
                break;
        }

        var first = CheckAdmin("firstAdmin", request.FirstAdminName, request.FirstAdminEmail, trust.EmailDomains, errors);
        var second = CheckAdmin("secondAdmin", request.SecondAdminName, request.SecondAdminEmail, trust.EmailDomains, errors);
        if (first is not null && second is not null && string.Equals(first, second, StringComparison.OrdinalIgnoreCase))
            Error("secondAdminEmail", "Every account needs two different administrative contacts (policy §4.4.2).");

        AffiliatedAccount? account = null;
        if (request.Id is { } id)
        {
            account = await db.AffiliatedAccounts.FirstOrDefaultAsync(a => a.Id == id && a.ClosedAt == null, ct);
            if (account is null) return new Result.NotFound();
        }
        if (handle.Length > 0 && await db.AffiliatedAccounts.AnyAsync(
                a => a.Platform == request.Platform && a.Handle == handle && a.ClosedAt == null && a.Id != request.Id, ct))
            Error("handle", $"{handle} on {request.Platform} is already in the register.");

        if (errors.Count > 0) return new Result.Invalid(errors);

        var isNew = account is null;
        account ??= new AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Handle = handle,
            FirstAdminName = "",
            FirstAdminEmail = "",
            SecondAdminName = "",
            SecondAdminEmail = "",
            RegisteredAt = clock.GetUtcNow(),
            RegisteredBy = actor,
        };
        account.Platform = request.Platform;
        account.Handle = handle;
        account.Url = url;
        account.Scope = request.Scope;
        account.ScopeId = request.Scope == PauseScope.Trust ? null : request.ScopeId;
        account.FirstAdminName = request.FirstAdminName.Trim();
        account.FirstAdminEmail = first!;
        account.SecondAdminName = request.SecondAdminName.Trim();
        account.SecondAdminEmail = second!;
        if (isNew) db.AffiliatedAccounts.Add(account);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return new Result.Invalid(new Dictionary<string, string[]> { ["handle"] = [$"{handle} on {request.Platform} is already in the register."] });
        }
        await audit.AppendAsync(db, new AuditEvent(account.Scope == PauseScope.Academy ? account.ScopeId : null, actor,
            isNew ? "account.registered" : "account.changed", "AffiliatedAccount", account.Id.ToString(), Data: new Dictionary<string, object?>
            {
                ["platform"] = account.Platform.ToString(),
                ["handle"] = account.Handle,
                ["scope"] = account.Scope.ToString(),
                ["scopeId"] = account.ScopeId,
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved(account.Id);
    }

    /// <summary>The normalised address, or null (with an error) when it is missing, malformed or not the trust's.</summary>
    private static string? CheckAdmin(string field, string? name, string? email, List<string> trustDomains, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
            errors[field + "Name"] = [$"Give the administrative contact's name (up to {MaxNameLength} characters)."];
        var address = email?.Trim() ?? "";
        if (address.Length == 0 || address.Length > MaxEmailLength || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            errors[field + "Email"] = ["Give the administrative contact's work email address."];
            return null;
        }
        if (!IsTrustAddress(parsed.Host, trustDomains))
        {
            var allowed = trustDomains.Count == 0 ? "the trust's own domain" : string.Join(" or ", trustDomains.Select(d => "@" + d));
            errors[field + "Email"] = [$"{address} is not a trust address. Policy §4.4.2: personal email addresses must not be used for professional social media; use {allowed}."];
            return null;
        }
        return address.ToLowerInvariant();
    }

    /// <summary>The trust's domain itself or a subdomain of it (e.g. staff.trust.org.uk).</summary>
    public static bool IsTrustAddress(string host, IReadOnlyList<string> trustDomains) =>
        trustDomains.Any(d => host.Equals(d, StringComparison.OrdinalIgnoreCase)
            || host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));
}
