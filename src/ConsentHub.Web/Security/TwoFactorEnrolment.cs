using ConsentHub.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Security;

/// <summary>
/// Trust- and region-wide staff without an authenticator are sent to enrol one before anything else. Enforced as an
/// authorization requirement that <see cref="TwoFactorEnforcingPolicyProvider"/> adds to every policy the host
/// knows (the default policy behind a bare [Authorize] and every capability policy), so every page, download and
/// dashboard that asks for a signed-in user asks this too; a new endpoint cannot forget it. The enrolment page
/// itself says <see cref="AllowWithoutTwoFactorEnrolmentAttribute"/>. Refused requests are answered by
/// <see cref="AuditingAuthorizationResultHandler"/>: a GET is redirected to the enrolment page, anything else
/// gets 403. API keys carry no staff roles, so the requirement holds for them.
/// </summary>
public static class TwoFactorEnrolment
{
    public const string EnrolPath = "/account/two-factor";

    public static bool IsUnmet(Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult result) =>
        result.AuthorizationFailure?.FailedRequirements.OfType<TwoFactorEnrolledRequirement>().Any() == true;
}

/// <summary>Met unless the user holds a role that requires two-factor sign-in and has no authenticator.</summary>
public sealed class TwoFactorEnrolledRequirement : AuthorizationHandler<TwoFactorEnrolledRequirement>, IAuthorizationRequirement
{
    public static readonly TwoFactorEnrolledRequirement Instance = new();

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorEnrolledRequirement requirement)
    {
        if (!StaffClaims.MustEnrolTwoFactor(context.User) || AllowsEnrolment(context.Resource))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private static bool AllowsEnrolment(object? resource) => resource switch
    {
        HttpContext http => http.GetEndpoint()?.Metadata.GetMetadata<AllowWithoutTwoFactorEnrolmentAttribute>() is not null,
        Microsoft.AspNetCore.Components.RouteData route => route.PageType.IsDefined(typeof(AllowWithoutTwoFactorEnrolmentAttribute), inherit: true),
        _ => false,
    };
}

/// <summary>The one page a user who must enrol may open before enrolling: the enrolment page.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowWithoutTwoFactorEnrolmentAttribute : Attribute;

/// <summary>Adds <see cref="TwoFactorEnrolledRequirement"/> to the default policy and to every named policy.</summary>
public sealed class TwoFactorEnforcingPolicyProvider(IOptions<AuthorizationOptions> options) : IAuthorizationPolicyProvider
{
    private readonly DefaultAuthorizationPolicyProvider _inner = new(options);

    public bool AllowsCachingPolicies => _inner.AllowsCachingPolicies;

    public async Task<AuthorizationPolicy> GetDefaultPolicyAsync() => WithTwoFactor(await _inner.GetDefaultPolicyAsync());

    // The fallback (endpoints that say nothing) is left as configured: none, so static files and public pages stay open.
    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => _inner.GetFallbackPolicyAsync();

    public async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        await _inner.GetPolicyAsync(policyName) is { } policy ? WithTwoFactor(policy) : null;

    private static AuthorizationPolicy WithTwoFactor(AuthorizationPolicy policy) =>
        policy.Requirements.OfType<TwoFactorEnrolledRequirement>().Any()
            ? policy
            : new AuthorizationPolicyBuilder(policy).AddRequirements(TwoFactorEnrolledRequirement.Instance).Build();
}
