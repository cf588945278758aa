using ConsentHub.Access;
using ConsentHub.Forms;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace ConsentHub.Web.Components.Pages.Forms;

/// <summary>
/// GET /forms/do-not-feature.pdf (any member of staff who may check consent: the teacher at a photo session) and
/// GET /forms/academy-summary.pdf (those who see reports: the headteacher). Bad or missing parameters are a 400 that
/// says what to fix; an academy outside the caller's scope is a 404. Never cached; the loaders audit each print.
/// </summary>
public static class PrintedLists
{
    public const string DoNotFeaturePath = "/forms/do-not-feature.pdf";
    public const string AcademySummaryPath = "/forms/academy-summary.pdf";

    public static IEndpointRouteBuilder MapPrintedLists(this IEndpointRouteBuilder app)
    {
        app.MapGet(DoNotFeaturePath, DoNotFeatureAsync).RequireAuthorization(StaffCapabilities.CheckConsent).ExcludeFromDescription();
        app.MapGet(AcademySummaryPath, SummaryAsync).RequireAuthorization(StaffCapabilities.ViewReports).ExcludeFromDescription();
        return app;
    }

    /// <param name="pupils">An event's chosen pupils (repeat the parameter), instead of a class or year.</param>
    /// <param name="event">The event's name, printed as the group.</param>
    private static async Task<IResult> DoNotFeatureAsync(HttpContext http, LoadDoNotFeatureList load,
        [FromQuery] string? academy, [FromQuery] string? group, [FromQuery] string? year, [FromQuery] string? purpose,
        [FromQuery] string[]? pupils, [FromQuery(Name = "event")] string? eventName, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User)?.ScopeFor(StaffCapabilities.CheckConsent) is not { } scope) return Results.NotFound();
        if (AcademyOf(scope, academy) is not { } academyId) return Bad("Give the academy as academy=<id>.");
        if (string.IsNullOrWhiteSpace(purpose)) return Bad("Give the purpose as purpose=<key>, e.g. purpose=academy-social.");
        int? yearGroup = null;
        if (!string.IsNullOrWhiteSpace(year))
        {
            if (!int.TryParse(year, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var y))
                return Bad($"year must be a number from -2 (Nursery 1) to 13; \"{year}\" is not.");
            yearGroup = y;
        }
        List<Guid>? chosen = null;
        if (pupils is { Length: > 0 })
        {
            chosen = [];
            foreach (var p in pupils.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (!Guid.TryParse(p, out var id)) return Bad($"\"{p}\" is not a pupil id.");
                chosen.Add(id);
            }
        }
        var request = new LoadDoNotFeatureList.Request(academyId, purpose.Trim(), string.IsNullOrWhiteSpace(group) ? null : group, yearGroup, chosen, eventName);
        switch (await load.HandleAsync(scope, request, ct))
        {
            case LoadDoNotFeatureList.Result.Loaded(var list):
                var pdf = DoNotFeatureListDocument.Render(list);
                return Results.File(pdf, "application/pdf", $"do-not-feature-{FileSafe(list.GroupLabel)}-{request.PurposeKey}.pdf");
            case LoadDoNotFeatureList.Result.Invalid(var message):
                return Bad(message);
            default:
                return Results.NotFound();
        }
    }

    private static async Task<IResult> SummaryAsync(HttpContext http, LoadAcademySummary load, [FromQuery] string? academy, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User)?.ScopeFor(StaffCapabilities.ViewReports) is not { } scope) return Results.NotFound();
        if (AcademyOf(scope, academy) is not { } academyId) return Bad("Give the academy as academy=<id>.");
        var summary = await load.HandleAsync(scope, academyId, ct);
        if (summary is null) return Results.NotFound();
        var pdf = AcademySummaryDocument.Render(summary);
        return Results.File(pdf, "application/pdf", $"consent-summary-{FileSafe(summary.AcademyName)}.pdf");
    }

    /// <summary>The academy asked for; without one, the caller's own academy when their scope is a single academy.</summary>
    private static Guid? AcademyOf(AccessScope scope, string? academy)
    {
        if (string.IsNullOrWhiteSpace(academy)) return scope.Level == ScopeLevel.Academy ? scope.Id : null;
        return Guid.TryParse(academy, out var id) ? id : null;
    }

    private static IResult Bad(string message) => Results.Problem(title: "The list cannot be printed", detail: message, statusCode: StatusCodes.Status400BadRequest);

    private static string FileSafe(string text) =>
        new([.. text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
}
