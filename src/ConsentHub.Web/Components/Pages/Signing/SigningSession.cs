using System.Globalization;
using ConsentHub.Signing;
using Microsoft.AspNetCore.DataProtection;

namespace ConsentHub.Web.Components.Pages.Signing;

/// <summary>
/// After a right date of birth: a short-lived cookie, protected with the shared key ring, naming the one request
/// or change link it was confirmed for. Path-scoped to that link's pages, HttpOnly, SameSite=Strict, Secure
/// outside Development. Every POST reads it again; a cookie for another link, or an old one, is worth nothing.
/// </summary>
public sealed class SigningSession(IDataProtectionProvider protection, TimeProvider clock, IWebHostEnvironment environment)
{
    public const string CookieName = "ConsentHub.Signing";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly IDataProtector _protector = protection.CreateProtector("ConsentHub.Signing.Session.v1");

    public void Start(HttpContext context, string path, SigningTargetKind kind, Guid targetId)
    {
        var expires = clock.GetUtcNow() + Lifetime;
        var value = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{(int)kind}|{targetId:N}|{expires.ToUnixTimeSeconds()}"));
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            Path = path,
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = !environment.IsDevelopment() || context.Request.IsHttps,
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>The target this browser confirmed, if the cookie is genuine, current and of the expected kind.</summary>
    public Guid? Read(HttpContext context, SigningTargetKind kind)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value)) return null;
        string plain;
        try
        {
            plain = _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        var parts = plain.Split('|');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k != (int)kind
            || !Guid.TryParseExact(parts[1], "N", out var id)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || DateTimeOffset.FromUnixTimeSeconds(expires) <= clock.GetUtcNow())
            return null;
        return id;
    }
}
