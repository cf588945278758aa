using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>The person the provider says has signed in with it.</summary>
public sealed record TestIdentity(string Subject, string Email, bool EmailVerified = true, string Name = "Test Person");

/// <summary>Ways the provider can spoil the id_token it issues, as an attacker or a misconfigured provider would.</summary>
public enum IdTokenForgery
{
    None,
    /// <summary>Signed with another RSA key under the published key id.</summary>
    WrongSignature,
    /// <summary>Issued for another client.</summary>
    WrongAudience,
    /// <summary>Carries a nonce the app did not send (a replayed or injected token).</summary>
    WrongNonce,
    /// <summary>Claims to come from another issuer.</summary>
    WrongIssuer,
    /// <summary>Expired an hour ago.</summary>
    Expired,
}

/// <summary>
/// A small OpenID Connect provider on a loopback port, for tests: discovery, a JWKS with an RSA key made per run,
/// the authorization code flow (it "signs in" <see cref="Identity"/> at once and sends the browser back with
/// code and state), and a token endpoint that checks the code, client, redirect URI and PKCE verifier before
/// returning an RS256 id_token. Real HTTP and real signatures; the app under test cannot tell it from a real one.
/// </summary>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "consenthub-tests";

    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private readonly string _keyId = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _authorizeRequests = new();
    private readonly ConcurrentQueue<string> _tokenErrors = new();
    private WebApplication? _app;

    public string ClientSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>Where the app may be sent back to after signing in.</summary>
    public ISet<string> RedirectUris { get; } = new HashSet<string>(StringComparer.Ordinal) { "https://localhost/signin-oidc" };

    /// <summary>http://127.0.0.1:{port}, the issuer and the app's Authority.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>Who the next /authorize request signs in.</summary>
    public TestIdentity? Identity { get; set; }

    /// <summary>How the next id_token is spoilt, if at all.</summary>
    public IdTokenForgery Forgery { get; set; }

    /// <summary>The query of every /authorize request, so a test can see what the app asked for.</summary>
    public IReadOnlyCollection<IReadOnlyDictionary<string, string>> AuthorizeRequests => _authorizeRequests;

    /// <summary>Why the token endpoint refused a request, if it did.</summary>
    public IReadOnlyCollection<string> TokenErrors => _tokenErrors;

    private string Issuer => Authority.ToString().TrimEnd('/');

    /// <summary>Nobody signed in, no forgery, and no requests or errors remembered: as freshly started.</summary>
    public void Reset()
    {
        Identity = null;
        Forgery = IdTokenForgery.None;
        _codes.Clear();
        _authorizeRequests.Clear();
        _tokenErrors.Clear();
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Text($$"""
            {
              "issuer": "{{Issuer}}",
              "authorization_endpoint": "{{Issuer}}/authorize",
              "token_endpoint": "{{Issuer}}/token",
              "jwks_uri": "{{Issuer}}/jwks",
              "response_types_supported": ["code"],
              "response_modes_supported": ["query", "form_post"],
              "subject_types_supported": ["public"],
              "id_token_signing_alg_values_supported": ["RS256"],
              "scopes_supported": ["openid", "profile", "email"],
              "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
              "code_challenge_methods_supported": ["S256"],
              "claims_supported": ["sub", "email", "email_verified", "name"]
            }
            """, "application/json"));
        app.MapGet("/jwks", () =>
        {
            var p = _key.ExportParameters(includePrivateParameters: false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = _keyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
        });
        app.MapGet("/authorize", Authorize);
        app.MapPost("/token", TokenAsync);
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Authority = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        _authorizeRequests.Enqueue(q);
        string? Get(string key) => q.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        // Errors about the client or redirect URI are shown here, never sent to an unchecked redirect URI.
        if (Get("client_id") != ClientId) return Results.BadRequest("unknown client_id");
        if (Get("redirect_uri") is not { } redirectUri || !RedirectUris.Contains(redirectUri)) return Results.BadRequest("redirect_uri is not registered");
        if (Get("response_type") != "code") return Results.BadRequest("only response_type=code");
        if (!(Get("scope") ?? "").Split(' ').Contains("openid")) return Results.BadRequest("scope must include openid");
        if (Get("code_challenge") is not null && Get("code_challenge_method") != "S256") return Results.BadRequest("only code_challenge_method=S256");
        if (Identity is not { } identity) return Results.BadRequest("no test identity is signed in at the provider");

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new PendingCode(redirectUri, Get("nonce"), Get("code_challenge"), identity, DateTimeOffset.UtcNow.AddMinutes(1));
        var answer = new Dictionary<string, string?> { ["code"] = code, ["state"] = Get("state"), ["iss"] = Issuer };

        if (Get("response_mode") == "form_post")
        {
            // What a real provider does: a page whose script posts the form back to the app.
            var fields = string.Concat(answer.Where(a => a.Value is not null).Select(a =>
                $"""<input type="hidden" name="{WebUtility.HtmlEncode(a.Key)}" value="{WebUtility.HtmlEncode(a.Value)}" />"""));
            return Results.Content(
                $"""<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="{WebUtility.HtmlEncode(redirectUri)}">{fields}</form></body></html>""",
                "text/html; charset=utf-8");
        }
        var query = string.Join('&', answer.Where(a => a.Value is not null).Select(a => $"{a.Key}={Uri.EscapeDataString(a.Value!)}"));
        return Results.Redirect(redirectUri + (redirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        string? Get(string key) => form.TryGetValue(key, out var v) && v.ToString().Length > 0 ? v.ToString() : null;

        var (clientId, secret) = (Get("client_id"), Get("client_secret"));
        if (request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth["Basic ".Length..])).Split(':', 2);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }
        if (clientId != ClientId || secret is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(ClientSecret)))
            return Refuse("invalid_client", "wrong client id or secret", StatusCodes.Status401Unauthorized);
        if (Get("grant_type") != "authorization_code") return Refuse("unsupported_grant_type", "only authorization_code");
        // A code works once.
        if (Get("code") is not { } code || !_codes.TryRemove(code, out var pending) || pending.ExpiresAt < DateTimeOffset.UtcNow)
            return Refuse("invalid_grant", "unknown, used or expired code");
        if (Get("redirect_uri") != pending.RedirectUri) return Refuse("invalid_grant", "redirect_uri differs from the authorization request");
        if (pending.CodeChallenge is { } challenge)
        {
            var verifier = Get("code_verifier");
            if (verifier is null || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != challenge)
                return Refuse("invalid_grant", "code_verifier does not match code_challenge");
        }

        var accessToken = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["id_token"] = IdToken(pending, accessToken),
        });
    }

    private string IdToken(PendingCode pending, string accessToken)
    {
        var now = DateTime.UtcNow;
        var forgery = Forgery;
        var issuedAt = forgery == IdTokenForgery.Expired ? now.AddHours(-2) : now;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = pending.Identity.Subject,
            ["email"] = pending.Identity.Email,
            ["email_verified"] = pending.Identity.EmailVerified,
            ["name"] = pending.Identity.Name,
            ["at_hash"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]),
        };
        var nonce = forgery == IdTokenForgery.WrongNonce ? Guid.NewGuid().ToString("N") : pending.Nonce;
        if (nonce is not null) claims["nonce"] = nonce;
        var signingKey = new RsaSecurityKey(forgery == IdTokenForgery.WrongSignature ? _otherKey : _key) { KeyId = _keyId };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = forgery == IdTokenForgery.WrongIssuer ? "http://127.0.0.1:1/elsewhere" : Issuer,
            Audience = forgery == IdTokenForgery.WrongAudience ? "another-client" : ClientId,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt.AddMinutes(forgery == IdTokenForgery.Expired ? 60 : 5),
            Claims = claims,
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private IResult Refuse(string error, string description, int status = StatusCodes.Status400BadRequest)
    {
        _tokenErrors.Enqueue($"{error}: {description}");
        return Results.Json(new { error, error_description = description }, statusCode: status);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _key.Dispose();
        _otherKey.Dispose();
    }

    private sealed record PendingCode(string RedirectUri, string? Nonce, string? CodeChallenge, TestIdentity Identity, DateTimeOffset ExpiresAt);
}
