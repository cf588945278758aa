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
        return app;
    }

    private static async Task<IResult> PackAsync(Guid packId, HttpContext http, GetFormPack packs, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User)?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope) return Results.NotFound();
        var download = await packs.DownloadAsync(scope, packId, ct);
        if (download is null) return Results.NotFound();
        return Results.File(download.Pdf, "application/pdf", download.FileName);
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
