using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent.Rules;
using ConsentHub.Photos;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Tests.Audit;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Photos;

/// <summary>
/// Trust-owned equipment (policy §6.4) on real PostgreSQL with real JPEGs whose EXIF names the camera: a photo from
/// a device not on the register is flagged to the uploader and in the post register report, until the trust adds it.
/// </summary>
[LongRunning(10)]
public sealed class PhotoDeviceTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime, IDisposable
{
    private readonly TimeProvider _clock = TimeProvider.System;
    private TestTrust _t = null!;
    private ConsentReferenceCache _reference = null!;
    private AuditTestSupport.ContextFactory _factory = null!;
    private ConsentHub.Audit.AuditLog _audit = null!;
    private ReviewPhoto _review = null!;

    public async Task InitializeAsync()
    {
        await using var db = database.CreateDbContext();
        _t = await TestTrust.CreateAsync(db);
        _factory = new AuditTestSupport.ContextFactory(database);
        _reference = new ConsentReferenceCache(database.DataSource, _clock);
        _audit = AuditTestSupport.Log(database, _clock);
        _review = new ReviewPhoto(_factory, new ConsentStatusReader(database.DataSource, _reference, _clock), _reference, _audit, _clock);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _reference?.Dispose();

    private AccessScope North => AccessScope.Academy(_t.NorthAcademyId, "staff:teacher@north.example");
    private UploadPhoto Upload() => new(_factory, new PostgresMediaStore(_factory), PhotoTestImages.Detector, _audit, Options.Create(new PhotoOptions()), _clock);
    private PhotoDeviceRegister Register() => new(_factory, _audit, _clock);

    private async Task<UploadPhoto.Result.Uploaded> UploadAsync(byte[] jpeg) =>
        Assert.IsType<UploadPhoto.Result.Uploaded>(await Upload().HandleAsync(North, new UploadPhoto.Request(_t.NorthAcademyId, jpeg)));

    private async Task<Guid> PostAsync(Guid photoId)
    {
        await using var db = database.CreateDbContext();
        var account = new AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Platform = SocialPlatform.Facebook,
            Handle = "@northdevices" + Guid.NewGuid().ToString("N")[..6],
            Scope = PauseScope.Academy,
            ScopeId = _t.NorthAcademyId,
            FirstAdminName = "Ada Head",
            FirstAdminEmail = "ada@trust.example.org",
            SecondAdminName = "Mureșan Ioana",
            SecondAdminEmail = "ioana@trust.example.org",
            RegisteredAt = _clock.GetUtcNow(),
            RegisteredBy = "test",
        };
        db.AffiliatedAccounts.Add(account);
        await db.SaveChangesAsync();
        var export = Assert.IsType<ExportSafePhoto.Result.Exported>(await new ExportSafePhoto(_factory, _review, new PostgresMediaStore(_factory), _audit, _clock)
            .HandleAsync([North], photoId, new PhotoUse(TestTrust.Social, account.Id)));
        var post = await new RecordPost(_factory, _review, _reference, _audit, _clock).HandleAsync([North],
            new RecordPost.Request(account.Id, $"https://www.facebook.com/north/posts/{Guid.NewGuid():N}", UkCalendar.DateOf(_clock.GetUtcNow()), [export.ExportId]));
        return Assert.IsType<RecordPost.Result.Recorded>(post).PostId;
    }

    [Fact]
    public async Task ACameraNotOnTheRegister_IsFlaggedAtUploadAndInThePostRegister_UntilTheTrustAddsItsSerial()
    {
        var serial = "0" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var jpeg = PhotoTestImages.JpegFromCamera("Canon", "Canon EOS 250D", serial);

        var uploaded = await UploadAsync(jpeg);
        Assert.Equal(new PhotoCamera("Canon", "Canon EOS 250D", serial), uploaded.UnregisteredCamera);
        Assert.Equal(uploaded.UnregisteredCamera, await Register().UnregisteredCameraAsync([North], uploaded.PhotoId));
        var postId = await PostAsync(uploaded.PhotoId);
        var report = new ListPostRegister(_factory, _audit);
        var row = Assert.Single(await report.HandleAsync([North]), r => r.PostId == postId);
        Assert.Equal([$"Canon Canon EOS 250D (serial {serial})"], row.UnregisteredCameras);

        // The same model with another serial is another camera: still flagged.
        Assert.IsType<PhotoDeviceRegister.Result.Added>(await Register().AddAsync("staff:comms@trust.example", new("Canon", "Canon EOS 250D", "999", "Trust comms camera")));
        Assert.NotEmpty(Assert.Single(await report.HandleAsync([North]), r => r.PostId == postId).UnregisteredCameras);

        // The trust's own camera, typed as the label on it reads (case and spaces differ): no longer flagged anywhere.
        Assert.IsType<PhotoDeviceRegister.Result.Added>(await Register().AddAsync("staff:comms@trust.example", new(" canon ", "CANON EOS 250D", serial, null)));
        Assert.Empty(Assert.Single(await report.HandleAsync([North]), r => r.PostId == postId).UnregisteredCameras);
        Assert.Null(await Register().UnregisteredCameraAsync([North], uploaded.PhotoId));
        Assert.Null((await UploadAsync(jpeg)).UnregisteredCamera);

        await using var db = database.CreateDbContext();
        var stored = await db.Photos.AsNoTracking().SingleAsync(p => p.Id == uploaded.PhotoId);
        Assert.Equal(("Canon", "Canon EOS 250D", serial), (stored.CameraMake, stored.CameraModel, stored.CameraSerial));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "photo-device.added" && e.Actor == "staff:comms@trust.example"));
    }

    [Fact]
    public async Task APhoneRegisteredByWhoHoldsIt_MatchesThatModel_ARemovedOneNoLonger_AndAPhotoNamingNoCameraIsNotFlagged()
    {
        var model = "iPhone " + Guid.NewGuid().ToString("N")[..4];
        var added = Assert.IsType<PhotoDeviceRegister.Result.Added>(await Register().AddAsync("staff:admin@trust.example", new("Apple", model, null, "North office phone")));
        Assert.Null((await UploadAsync(PhotoTestImages.JpegFromCamera("Apple", model, null))).UnregisteredCamera);
        Assert.Null((await UploadAsync(PhotoTestImages.Bytes("messi5.jpg"))).UnregisteredCamera);

        Assert.True(await Register().RemoveAsync("staff:admin@trust.example", added.DeviceId));
        Assert.False(await Register().RemoveAsync("staff:admin@trust.example", added.DeviceId));
        Assert.Equal(new PhotoCamera("Apple", model, null), (await UploadAsync(PhotoTestImages.JpegFromCamera("Apple", model, null))).UnregisteredCamera);
        Assert.DoesNotContain(await Register().ListAsync(), d => d.Id == added.DeviceId);
    }

    [Fact]
    public async Task ADeviceWithNeitherSerialNorHolder_IsRefusedWithAMessage_AndTheDatabaseRefusesItToo()
    {
        var refused = Assert.IsType<PhotoDeviceRegister.Result.Invalid>(await Register().AddAsync("staff:admin@trust.example", new("Nikon", "D3500", " ", null)));
        Assert.Equal(nameof(PhotoDeviceRegister.Request.Serial), refused.Field);
        Assert.IsType<PhotoDeviceRegister.Result.Invalid>(await Register().AddAsync("staff:admin@trust.example", new("", "D3500", "1", null)));

        await using var db = database.CreateDbContext();
        db.PhotoDevices.Add(new PhotoDevice { Id = Guid.NewGuid(), Make = "Nikon", Model = "D3500", AddedBy = "test", AddedAt = _clock.GetUtcNow() });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public void TheCameraIsReadFromRealExif_AndAFileWithoutExifNamesNone()
    {
        Assert.Equal(new PhotoCamera("Canon", "Canon EOS 250D", "012345678901"), PhotoCamera.Read(PhotoTestImages.JpegFromCamera("Canon", "Canon EOS 250D", "012345678901")));
        Assert.False(PhotoCamera.Read(PhotoTestImages.Bytes("messi5.jpg")).Named);
        Assert.False(PhotoCamera.Read([0xFF, 0xD8, 0xFF, 0x00]).Named);
    }
}
