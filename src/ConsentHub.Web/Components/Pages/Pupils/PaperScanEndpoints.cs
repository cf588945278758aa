using ConsentHub.Access;
using ConsentHub.PaperReturns;
using ConsentHub.Web.Security;
using Microsoft.Net.Http.Headers;

namespace ConsentHub.Web.Components.Pages.Pupils;

/// <summary>
/// GET /pupils/{pupilId}/scans/{scanId}: a scan of a signed paper form, shown in the browser (inline, with a download
/// name). Staff who may see contact details (office, headteacher, DSL) of the pupil's academy only: a scan carries a
/// parent's name and signature. Anything outside the caller's scope is a 404 whatever id is guessed; the type comes
/// from the content itself; never cached; every view audited.
/// </summary>
public static class PaperScanEndpoints
{
    public static string Path(Guid pupilId, Guid scanId) => $"pupils/{pupilId}/scans/{scanId}";

    public static IEndpointRouteBuilder MapPaperScans(this IEndpointRouteBuilder app)
    {
        app.MapGet("/pupils/{pupilId:guid}/scans/{scanId:guid}", ViewAsync).RequireAuthorization(StaffCapabilities.ViewContactDetails).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ViewAsync(HttpContext http, OpenPaperScan scans, Guid pupilId, Guid scanId, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User)?.ScopeFor(StaffCapabilities.ViewContactDetails) is not { } scope) return Results.NotFound();
        var scan = await scans.HandleAsync(scope, pupilId, scanId, ct);
        if (scan is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = scan.FileName, FileName = scan.FileName }.ToString();
        return Results.File(scan.Content, scan.ContentType);
    }
}
