namespace ConsentHub.Web.Security;

/// <summary>Settings for staff sign-in ("StaffSignIn"), checked on start.</summary>
public sealed class StaffSignInOptions
{
    public const string Section = "StaffSignIn";

    /// <summary>
    /// True (the default): the sign-in and antiforgery cookies are "__Host-" cookies, Secure, so HTTPS only.
    /// Development over plain http sets this false and gets the same cookies under non-"__Host-" names, sent over
    /// http or https as the request came (a browser refuses a "__Host-" cookie that is not Secure).
    /// </summary>
    public bool SecureCookies { get; set; } = true;

    /// <summary>Signed out after this long without a request (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Signed out this long after signing in, however active.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>How often requests and open circuits re-check that the account is still enabled and unchanged. At most 5 minutes.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Sign-in attempts (password or code posted) from one IP address per minute before a 429. Staff of an academy
    /// often share one address: raise it for a trust whose whole staff sign in through one.
    /// </summary>
    public int SignInAttemptsPerIpPerMinute { get; set; } = 30;

    public string CookieName => SecureCookies ? "__Host-ConsentHub" : "ConsentHub.Staff";
    public string AntiforgeryCookieName => SecureCookies ? "__Host-ConsentHub.Antiforgery" : "ConsentHub.Antiforgery";
}
