namespace ConsentHub.Web.Security;

/// <summary>
/// Optional OpenID Connect sign-in ("StaffSignIn:OpenIdConnect"), e.g. the trust's Microsoft Entra tenant. On when
/// Authority and ClientId are both set, off otherwise; nothing else to switch. It signs in accounts that already
/// exist (invited), matched by email the first time and by the provider's subject after that.
/// </summary>
public sealed class ExternalSignInOptions
{
    public const string Section = "StaffSignIn:OpenIdConnect";
    public const string Scheme = "oidc";

    /// <summary>e.g. https://login.microsoftonline.com/{tenant-id}/v2.0</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The button says "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "Microsoft";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>
    /// Metadata and keys over plain http only from this machine (a provider in tests) or in Development:
    /// anywhere else an attacker on the network could hand the app their own signing keys.
    /// </summary>
    public bool MayUseHttpMetadata(bool isDevelopment) =>
        Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || isDevelopment);

    public bool AuthorityIsAcceptable(bool isDevelopment) =>
        Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || MayUseHttpMetadata(isDevelopment));
}
