using ConsentHub.Access;
using ConsentHub.Photos;
using ConsentHub.Web.Security;

namespace ConsentHub.Web.Components.Pages.Photos;

/// <summary>
/// GET /photos/{id}/view.jpg: the photo for tagging (faces visible, so staff only, scoped, audited, never cached).
/// GET /photos/exports/{id}.jpg: a safe export, as a download. Anything outside the caller's scope is a 404.
/// </summary>
public static class PhotoEndpoints
{
    public static string ViewPath(Guid photoId) => $"photos/{photoId}/view.jpg";

    public static string ExportPath(Guid exportId) => $"photos/exports/{exportId}.jpg";

    public static IEndpointRouteBuilder MapPhotos(this IEndpointRouteBuilder app)
    {
        app.MapGet("/photos/{photoId:guid}/view.jpg", ViewAsync).RequireAuthorization(StaffCapabilities.CheckConsent).ExcludeFromDescription();
        app.MapGet("/photos/exports/{exportId:guid}.jpg", ExportAsync).RequireAuthorization(StaffCapabilities.CheckConsent).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ViewAsync(HttpContext http, GetPhotoPreview preview, Guid photoId, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User) is not { } staff) return Results.NotFound();
        var jpeg = await preview.HandleAsync(staff.ScopesFor(StaffCapabilities.CheckConsent), photoId, ct);
        if (jpeg is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(jpeg, "image/jpeg");
    }

    private static async Task<IResult> ExportAsync(HttpContext http, GetPhotoExport exports, Guid exportId, CancellationToken ct)
    {
        if (CurrentStaff.From(http.User) is not { } staff) return Results.NotFound();
        var file = await exports.HandleAsync(staff.ScopesFor(StaffCapabilities.CheckConsent), exportId, ct);
        if (file is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(file.Content, "image/jpeg", file.FileName);
    }
}
