using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Forms;
using ConsentHub.Web.Security;

namespace ConsentHub.Web.Components.Pages.Forms;

/// <summary>
/// GET /forms/packs/{id}/download (a pack) and GET /requests/{id}/form.pdf (one person's form, e.g. a reprint).
/// Office staff only, in their scope; anything else is 404, whatever id is guessed. Never cached.
/// </summary>
public static class FormDownloads
{
    public static IEndpointRouteBuilder MapFormDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/forms/packs/{packId:guid}/download", PackAsync).RequireAuthorization(StaffCapabilities.ManagePupils).ExcludeFromDescription();
        app.MapGet("/requests/{requestId:guid}/form.pdf", FormAsync).RequireAuthorization(StaffCapabilities.ManagePupils).ExcludeFromDescription();
        app.MapGet("/forms/requests.pdf", SelectionAsync).RequireAuthorization(StaffCapabilities.ManagePupils).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> PackAsync(Guid packId, HttpContext http, GetFormPack packs, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User)?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope) return Results.NotFound();
        var download = await packs.DownloadAsync(scope, packId, ct);
        if (download is null) return Results.NotFound();
        return Results.File(download.Pdf, "application/pdf", download.FileName);
    }

    /// <summary>The most forms one link prints (the open-requests page's selection); a class pack has no limit.</summary>
    public const int MaxSelection = 100;

    /// <summary>
    /// GET /forms/requests.pdf?ids=a,b,c (a selection on the open-requests page) or ?issue=id (the forms one issue sent
    /// on paper, linked straight after issuing). Ids are opaque; only open, unexpired requests in scope print.
    /// </summary>
    private static async Task<IResult> SelectionAsync(string? ids, string? issue, HttpContext http, LoadConsentForms load, RenderConsentForms render, IAuditLog audit,
        CancellationToken ct)
    {
        if (CurrentStaff.From(http.User)?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope) return Results.NotFound();
        var list = new List<Guid>();
        foreach (var part in (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Guid.TryParse(part, out var id)) return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "That is not a list of requests to print.");
            list.Add(id);
        }
        Guid? issueId = null;
        if (!string.IsNullOrWhiteSpace(issue))
        {
            if (!Guid.TryParse(issue, out var parsed)) return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "That is not an issue to print.");
            issueId = parsed;
        }
        if (list.Count > MaxSelection)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Print at most {MaxSelection} forms at a time here; for a whole class, make a pack on the Paper forms page.");
        if (list.Count == 0 && issueId is null) return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Choose the requests to print.");
        var forms = await load.HandleAsync(scope, new FormSelection(null, RequestIds: list.Count > 0 ? list : null, IssueId: issueId), ct);
        if (forms.Count == 0) return Results.NotFound();
        var pdf = render.Handle(forms, "Consent forms");
        audit.RecordRead(new AuditEvent(null, scope.Actor, "forms.selection-printed", issueId is null ? "SignatureRequest" : "RequestIssue", issueId?.ToString() ?? "selection",
            Data: new Dictionary<string, object?> { ["forms"] = forms.Count }));
        return Results.File(pdf.Pdf, "application/pdf", "consent-forms.pdf");
    }

    private static async Task<IResult> FormAsync(Guid requestId, HttpContext http, LoadConsentForms load, RenderConsentForms render, IAuditLog audit, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User)?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope) return Results.NotFound();
        var forms = await load.HandleAsync(scope, new FormSelection(null, RequestIds: [requestId]), ct);
        if (forms.Count == 0) return Results.NotFound();
        var pdf = render.Handle(forms, "Consent form");
        audit.RecordRead(new AuditEvent(null, scope.Actor, "forms.form-printed", "SignatureRequest", requestId.ToString()));
        return Results.File(pdf.Pdf, "application/pdf", $"consent-form-{forms[0].ShortCode}.pdf");
    }
}
