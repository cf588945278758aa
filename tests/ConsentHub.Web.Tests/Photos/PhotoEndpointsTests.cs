using System.Net;
using ConsentHub.Access;
using ConsentHub.Photos;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace ConsentHub.Web.Tests.Photos;

/// <summary>
/// The photo images over HTTP: a teacher of the photo's academy gets the photo and its safe copy (never cached);
/// another academy's teacher gets 404 for both, as for an id that does not exist.
/// </summary>
public sealed class PhotoEndpointsTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;
    private Guid _photoId;
    private Guid _exportId;
    private readonly Dictionary<string, HttpClient> _clients = [];

    public async Task InitializeAsync()
    {
        var services = fixture.Factory.Services;
        await using (var db = fixture.Database.CreateDbContext()) _trust = await TestTrust.CreateAsync(db);
        var north = AccessScope.Academy(_trust.NorthAcademyId, "staff:test");
        var messi = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Photos", "messi5.jpg"));
        var uploaded = Assert.IsType<UploadPhoto.Result.Uploaded>(await services.GetRequiredService<UploadPhoto>().HandleAsync(north, new UploadPhoto.Request(_trust.NorthAcademyId, messi)));
        _photoId = uploaded.PhotoId;
        var export = Assert.IsType<ExportSafePhoto.Result.Exported>(await services.GetRequiredService<ExportSafePhoto>().HandleAsync([north], _photoId, new PhotoUse(TestTrust.Social)));
        _exportId = export.ExportId;
        foreach (var (name, academy, region) in new[] { ("north", _trust.NorthAcademyId, _trust.NorthRegionId), ("south", _trust.SouthAcademyId, _trust.SouthRegionId) })
        {
            var user = await StaffAccounts.CreateAsync(services, StaffRoles.Teacher, academy, region);
            _clients[name] = await StaffAccounts.SignedInClientAsync(fixture.Factory, user);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var c in _clients.Values) c.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheAcademysTeacher_GetsThePhotoAndTheSafeCopy_NeverCached()
    {
        using var view = await _clients["north"].GetAsync($"/photos/{_photoId}/view.jpg");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal("no-store", view.Headers.CacheControl?.ToString());
        using (var image = SKBitmap.Decode(await view.Content.ReadAsByteArrayAsync())) Assert.Equal((548, 342), (image.Width, image.Height));

        using var export = await _clients["north"].GetAsync($"/photos/exports/{_exportId}.jpg");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("image/jpeg", export.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnotherAcademysTeacher_Gets404_LikeAnIdThatDoesNotExist()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _clients["south"].GetAsync($"/photos/{_photoId}/view.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clients["south"].GetAsync($"/photos/exports/{_exportId}.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clients["north"].GetAsync($"/photos/{Guid.NewGuid()}/view.jpg")).StatusCode);
    }
}
