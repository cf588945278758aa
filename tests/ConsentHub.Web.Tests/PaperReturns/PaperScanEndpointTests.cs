using System.Net;
using System.Security.Cryptography;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.PaperReturns;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.PaperReturns;

/// <summary>
/// A scan of a signed paper form over HTTP: the office, headteacher and DSL of the pupil's academy open it in the
/// browser (type from the content, never cached, audited); another academy's office gets 404; a teacher 403.
/// </summary>
public sealed class PaperScanEndpointTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    /// <summary>A 1×1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==");

    private TestTrust _trust = null!;
    private Pupil _pupil = null!;
    private Guid _scanId;
    private readonly Dictionary<string, HttpClient> _clients = [];

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using (var db = fixture.Database.CreateDbContext())
        {
            _trust = await TestTrust.CreateAsync(db);
            (_pupil, _) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4N", "Thảo", "Đặng");
            _scanId = Guid.NewGuid();
            db.PaperScans.Add(new PaperScan
            {
                Id = _scanId,
                PupilId = _pupil.Id,
                AcademyId = _trust.NorthAcademyId,
                // Stored as the upload said; served as what the bytes are.
                ContentType = "image/png",
                Sha256 = SHA256.HashData(Png),
                Size = Png.Length,
                Content = Png,
                UploadedBy = "staff:office",
                UploadedAt = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero),
            });
            await db.SaveChangesAsync();
        }
        foreach (var (name, role, academy) in new[]
        {
            ("north-office", StaffRoles.OfficeStaff, _trust.NorthAcademyId), ("north-dsl", StaffRoles.Dsl, _trust.NorthAcademyId),
            ("north-head", StaffRoles.Headteacher, _trust.NorthAcademyId), ("north-teacher", StaffRoles.Teacher, _trust.NorthAcademyId),
            ("south-office", StaffRoles.OfficeStaff, _trust.SouthAcademyId),
        })
        {
            var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, role, academy, academy == _trust.NorthAcademyId ? _trust.NorthRegionId : _trust.SouthRegionId);
            _clients[name] = await StaffAccounts.SignedInClientAsync(fixture.Factory, user);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var c in _clients.Values) c.Dispose();
        return Task.CompletedTask;
    }

    private string Url(Guid? pupil = null, Guid? scan = null) => $"/pupils/{pupil ?? _pupil.Id}/scans/{scan ?? _scanId}";

    private async Task<int> ViewsAsync()
    {
        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        await using var db = fixture.Database.CreateDbContext();
        return await db.AuditEntries.CountAsync(e => e.Action == "paper-scan.viewed" && e.EntityId == _scanId.ToString() && e.PupilId == _pupil.Id);
    }

    [Theory]
    [InlineData("north-office")]
    [InlineData("north-dsl")]
    [InlineData("north-head")]
    public async Task StaffWhoSeeContactDetails_AtThePupilsAcademy_OpenTheScanInline_NeverCached_Audited(string who)
    {
        var before = await ViewsAsync();

        using var response = await _clients[who].GetAsync(Url());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("paper-form-scan-2026-11-30.png", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(before + 1, await ViewsAsync());
    }

    [Fact]
    public async Task AnotherAcademysOffice_GetsNotFound_ATeacherForbidden_AndAWrongPupilOrScanNotFound_NothingViewed()
    {
        var before = await ViewsAsync();

        using var south = await _clients["south-office"].GetAsync(Url());
        using var teacher = await _clients["north-teacher"].GetAsync(Url());
        using var otherPupil = await _clients["north-office"].GetAsync(Url(pupil: Guid.NewGuid()));
        using var unknown = await _clients["north-office"].GetAsync(Url(scan: Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.NotFound, south.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, teacher.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherPupil.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, await ViewsAsync());
    }
}
