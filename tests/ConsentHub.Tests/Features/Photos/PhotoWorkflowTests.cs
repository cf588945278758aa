using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Photos;
using ConsentHub.Signing;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Tests.Audit;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace ConsentHub.Tests.Photos;

/// <summary>
/// The photo journey on real PostgreSQL: upload, tag from the roster, decide per face through the teacher's check,
/// export with every face that is not Allowed hidden, record the post, and take it down when consent goes.
/// </summary>
[LongRunning(28)]
public sealed class PhotoWorkflowTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime, IDisposable
{
    private readonly TimeProvider _clock = TimeProvider.System;
    private TestTrust _t = null!;
    private ConsentReferenceCache _reference = null!;
    private AuditTestSupport.ContextFactory _factory = null!;
    private PostgresMediaStore _store = null!;
    private ReviewPhoto _review = null!;
    private ConsentHub.Audit.AuditLog _audit = null!;

    public async Task InitializeAsync()
    {
        await using var db = database.CreateDbContext();
        _t = await TestTrust.CreateAsync(db);
        _factory = new AuditTestSupport.ContextFactory(database);
        _reference = new ConsentReferenceCache(database.DataSource, _clock);
        _audit = AuditTestSupport.Log(database, _clock);
        _store = new PostgresMediaStore(_factory);
        _review = new ReviewPhoto(_factory, new ConsentStatusReader(database.DataSource, _reference, _clock), _reference, _audit, _clock);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _reference?.Dispose();

    private AccessScope North => AccessScope.Academy(_t.NorthAcademyId, "staff:teacher@north.example");
    private AccessScope South => AccessScope.Academy(_t.SouthAcademyId, "staff:teacher@south.example");

    private UploadPhoto Upload(int keepDays = 30) => new(_factory, _store, PhotoTestImages.Detector, _audit, Options.Create(new PhotoOptions { KeepUnpublishedDays = keepDays }), _clock);
    private ExportSafePhoto Export() => new(_factory, _review, _store, _audit, _clock);
    private RecordPost Post() => new(_factory, _review, _reference, _audit, _clock);
    private TagFace Tag() => new(_factory, _audit, _clock);

    private async Task<(Guid PhotoId, Guid FaceId)> UploadMessiAsync()
    {
        var uploaded = Assert.IsType<UploadPhoto.Result.Uploaded>(await Upload().HandleAsync(North, new UploadPhoto.Request(_t.NorthAcademyId, PhotoTestImages.Bytes("messi5.jpg"))));
        await using var db = database.CreateDbContext();
        var faces = await db.PhotoFaces.AsNoTracking().Where(f => f.PhotoId == uploaded.PhotoId).ToListAsync();
        // Remove anything that is not Messi's face, as a member of staff would after looking.
        var messi = faces.Single(f => PhotoTestImages.Iou(PhotoTestImages.MessiFace, f.Box) > 0.5f);
        foreach (var other in faces.Where(f => f.Id != messi.Id))
            Assert.True(await new RemoveFaceBox(_factory, _audit).HandleAsync([North], uploaded.PhotoId, other.Id));
        return (uploaded.PhotoId, messi.Id);
    }

    private async Task<(Guid PupilId, Guid ParentId)> PupilWithAnswerAsync(string first, string last, AnswerKind? kind)
    {
        await using var db = database.CreateDbContext();
        var (pupil, parent) = await TestTrust.AddPupilAsync(db, _t.NorthAcademyId, 4, "4P", first, last);
        if (kind is { } k) await AnswerAsync(db, pupil.Id, parent.Id, k);
        return (pupil.Id, parent.Id);
    }

    private async Task<ConsentAnswer> AnswerAsync(ConsentHub.Data.ConsentHubDbContext db, Guid pupilId, Guid parentId, AnswerKind kind)
    {
        var answer = new ConsentAnswer
        {
            PupilId = pupilId,
            AcademyId = _t.NorthAcademyId,
            PurposeId = _t.SocialPurposeId,
            PartyKind = PartyKind.Contact,
            ContactId = parentId,
            Kind = kind,
            Method = AnswerMethod.Paper,
            FormVersionId = _t.FormVersionId,
            At = _clock.GetUtcNow().AddSeconds(-1),
            RecordedAt = _clock.GetUtcNow(),
            RecordedBy = "test",
            Attested = true,
        };
        db.ConsentAnswers.Add(answer);
        await db.SaveChangesAsync();
        return answer;
    }

    private static double FaceDetail(byte[] jpeg)
    {
        using var image = SKBitmap.Decode(jpeg);
        var box = PhotoTestImages.MessiFace;
        return PhotoTestImages.LaplacianVariance(image, new SKRectI((int)box.Left + 4, (int)box.Top + 4, (int)box.Right - 4, (int)box.Bottom - 4));
    }

    private async Task<Guid> AccountAsync()
    {
        await using var db = database.CreateDbContext();
        var account = new AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Platform = SocialPlatform.Instagram,
            Handle = "@north" + Guid.NewGuid().ToString("N")[..6],
            Scope = PauseScope.Academy,
            ScopeId = _t.NorthAcademyId,
            FirstAdminName = "Ada Head",
            FirstAdminEmail = "ada@trust.example.org",
            SecondAdminName = "Łukasz Nowak",
            SecondAdminEmail = "lukasz@trust.example.org",
            RegisteredAt = _clock.GetUtcNow(),
            RegisteredBy = "test",
        };
        db.AffiliatedAccounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    }

    [Fact]
    public async Task AnUntaggedFace_IsAlwaysHidden_InTheExport()
    {
        var (photoId, _) = await UploadMessiAsync();

        var export = Assert.IsType<ExportSafePhoto.Result.Exported>(await Export().HandleAsync([North], photoId, new PhotoUse(TestTrust.Social)));

        Assert.Equal(1, export.Review.Faces.Count(f => !f.Shown));
        Assert.True(FaceDetail(export.Jpeg) < 5);
    }

    [Fact]
    public async Task APupilAllowed_IsShown_ThenWithdrawnAfterTagging_IsHiddenOnTheNextExport()
    {
        var (photoId, faceId) = await UploadMessiAsync();
        var (pupilId, parentId) = await PupilWithAnswerAsync("Đặng", "Mureșan", AnswerKind.Grant);
        Assert.Equal(TagFace.Outcome.Tagged, await Tag().HandleAsync([North], new TagFace.Request(photoId, faceId, FaceTag.Pupil, pupilId)));

        var shown = Assert.IsType<ExportSafePhoto.Result.Exported>(await Export().HandleAsync([North], photoId, new PhotoUse(TestTrust.Social)));
        Assert.Equal([pupilId], shown.Review.ShownPupils);
        Assert.True(FaceDetail(shown.Jpeg) > 50, "an allowed pupil's face is shown as taken");

        await using (var db = database.CreateDbContext()) await AnswerAsync(db, pupilId, parentId, AnswerKind.Withdraw);
        var hidden = Assert.IsType<ExportSafePhoto.Result.Exported>(await Export().HandleAsync([North], photoId, new PhotoUse(TestTrust.Social)));

        Assert.Equal([pupilId], hidden.Review.HiddenPupils);
        Assert.True(FaceDetail(hidden.Jpeg) < 5, "a withdrawn pupil's face is hidden");
        await using var check = database.CreateDbContext();
        var audited = await check.AuditEntries.AsNoTracking().Where(e => e.Action == "photo.exported" && e.EntityId == photoId.ToString()).CountAsync();
        Assert.Equal(2, audited);
        var last = await check.PhotoExports.AsNoTracking().Where(e => e.PhotoId == photoId).OrderBy(e => e.ExportedAt).LastAsync();
        Assert.Equal([pupilId], last.HiddenPupilIds);
        Assert.Equal("staff:teacher@north.example", last.ExportedBy);
    }

    [Theory]
    [InlineData(null, "Hidden: ")]
    [InlineData(AnswerKind.Refuse, "Hidden: ")]
    public async Task APupilPendingOrRefused_IsHidden_WithTheTeachersReason(AnswerKind? answer, string prefix)
    {
        var (photoId, faceId) = await UploadMessiAsync();
        var (pupilId, _) = await PupilWithAnswerAsync("Zoë", "O'Brien", answer);
        await Tag().HandleAsync([North], new TagFace.Request(photoId, faceId, FaceTag.Pupil, pupilId));

        var review = Assert.IsType<ReviewPhoto.Result.Reviewed>(await _review.HandleAsync([North], photoId, new PhotoUse(TestTrust.Social))).Review;

        var face = Assert.Single(review.Faces);
        Assert.False(face.Shown);
        Assert.StartsWith(prefix, face.Reason, StringComparison.Ordinal);
        Assert.Equal("Zoë O'Brien", face.PupilName);
    }

    [Fact]
    public async Task AFaceTaggedNotAPupil_IsShown_AndDontKnow_IsHidden()
    {
        var (photoId, faceId) = await UploadMessiAsync();
        await Tag().HandleAsync([North], new TagFace.Request(photoId, faceId, FaceTag.NotAPupil, null));
        Assert.True(Assert.Single(Assert.IsType<ReviewPhoto.Result.Reviewed>(await _review.HandleAsync([North], photoId, new PhotoUse(TestTrust.Social))).Review.Faces).Shown);

        await Tag().HandleAsync([North], new TagFace.Request(photoId, faceId, FaceTag.DontKnow, null));
        Assert.False(Assert.Single(Assert.IsType<ReviewPhoto.Result.Reviewed>(await _review.HandleAsync([North], photoId, new PhotoUse(TestTrust.Social))).Review.Faces).Shown);
    }

    [Fact]
    public async Task AnotherAcademysPhoto_IsNotFound_ForReviewExportTaggingOrUpload()
    {
        var (photoId, faceId) = await UploadMessiAsync();

        Assert.IsType<ReviewPhoto.Result.NotFound>(await _review.HandleAsync([South], photoId, new PhotoUse(TestTrust.Social)));
        Assert.IsType<ExportSafePhoto.Result.NotFound>(await Export().HandleAsync([South], photoId, new PhotoUse(TestTrust.Social)));
        Assert.Equal(TagFace.Outcome.NotFound, await Tag().HandleAsync([South], new TagFace.Request(photoId, faceId, FaceTag.NotAPupil, null)));
        Assert.False(await new RemoveFaceBox(_factory, _audit).HandleAsync([South], photoId, faceId));
        Assert.IsType<UploadPhoto.Result.NotFound>(await Upload().HandleAsync(South, new UploadPhoto.Request(_t.NorthAcademyId, PhotoTestImages.Bytes("messi5.jpg"))));
    }

    [Fact]
    public async Task APupilOfAnotherAcademy_CannotBeTagged()
    {
        var (photoId, faceId) = await UploadMessiAsync();
        await using var db = database.CreateDbContext();
        var (southPupil, _) = await TestTrust.AddPupilAsync(db, _t.SouthAcademyId, 3, "3S", "محمد", "Khan");

        Assert.Equal(TagFace.Outcome.PupilNotInAcademy, await Tag().HandleAsync([North], new TagFace.Request(photoId, faceId, FaceTag.Pupil, southPupil.Id)));
    }

    [Fact]
    public async Task AFaceTheDetectorMissed_CanBeDrawn_AndIsHiddenUntilTagged()
    {
        var (photoId, _) = await UploadMessiAsync();
        var drawn = await new AddFaceBox(_factory, _audit).HandleAsync([North], new AddFaceBox.Request(photoId, 400, 40, 60, 60));
        Assert.NotNull(drawn);

        var review = Assert.IsType<ReviewPhoto.Result.Reviewed>(await _review.HandleAsync([North], photoId, new PhotoUse(TestTrust.Social))).Review;

        var face = Assert.Single(review.Faces, f => f.FaceId == drawn);
        Assert.Equal(FaceSource.Drawn, face.Source);
        Assert.False(face.Shown);
    }

    [Theory]
    [InlineData("truncated-jpeg")]
    [InlineData("png-bomb")]
    [InlineData("svg")]
    [InlineData("pdf-named-jpg")]
    public async Task ABadFile_StoresNothing_AndSaysWhy(string kind)
    {
        var messi = PhotoTestImages.Bytes("messi5.jpg");
        byte[] content = kind switch
        {
            "truncated-jpeg" => messi[..(messi.Length / 2)],
            "png-bomb" => PhotoTestImages.PngBomb(),
            "svg" => "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>"u8.ToArray(),
            _ => "%PDF-1.4\n%%EOF"u8.ToArray(),
        };
        await using var db = database.CreateDbContext();
        var photosBefore = await db.Photos.CountAsync();
        var originalsBefore = await db.PhotoOriginals.CountAsync();

        var refused = Assert.IsType<UploadPhoto.Result.Refused>(await Upload().HandleAsync(North, new UploadPhoto.Request(_t.NorthAcademyId, content)));

        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        Assert.Equal(photosBefore, await db.Photos.CountAsync());
        Assert.Equal(originalsBefore, await db.PhotoOriginals.CountAsync());
    }

    [Fact]
    public async Task APostingPause_BlocksRecordingThePost()
    {
        var (photoId, faceId) = await UploadMessiAsync();
        var (pupilId, _) = await PupilWithAnswerAsync("Amelia", "Pause", AnswerKind.Grant);
        await Tag().HandleAsync([North], new TagFace.Request(photoId, faceId, FaceTag.Pupil, pupilId));
        var account = await AccountAsync();
        var export = Assert.IsType<ExportSafePhoto.Result.Exported>(await Export().HandleAsync([North], photoId, new PhotoUse(TestTrust.Social, account)));
        await using (var db = database.CreateDbContext())
        {
            db.PostingPauses.Add(new PostingPause { Id = Guid.NewGuid(), Scope = PauseScope.Academy, ScopeId = _t.NorthAcademyId, From = _clock.GetUtcNow().AddMinutes(-1), Reason = "Incident", SetBy = "test", SetAt = _clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        _reference.Invalidate();

        var refused = Assert.IsType<RecordPost.Result.Refused>(await Post().HandleAsync([North], new RecordPost.Request(account, "https://instagram.example/p/1", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)), [export.ExportId])));

        Assert.Contains("paused", refused.Message, StringComparison.Ordinal);
        await using var check = database.CreateDbContext();
        Assert.False(await check.PhotoPosts.AnyAsync(p => p.AccountId == account));
        var review = Assert.IsType<ReviewPhoto.Result.Reviewed>(await _review.HandleAsync([North], photoId, new PhotoUse(TestTrust.Social, account))).Review;
        Assert.True(review.Paused);
        Assert.All(review.Faces, f => Assert.False(f.Shown));
    }

    [Fact]
    public async Task AWithdrawalAfterThePost_MakesATakedownTaskThatNamesThePostUrl_AndAnOldExportCannotBePostedAgain()
    {
        var (photoId, faceId) = await UploadMessiAsync();
        var (pupilId, parentId) = await PupilWithAnswerAsync("Siobhán", "Đặng", AnswerKind.Grant);
        await Tag().HandleAsync([North], new TagFace.Request(photoId, faceId, FaceTag.Pupil, pupilId));
        var account = await AccountAsync();
        var export = Assert.IsType<ExportSafePhoto.Result.Exported>(await Export().HandleAsync([North], photoId, new PhotoUse(TestTrust.Social, account)));
        var url = "https://instagram.example/p/sports-day-" + Guid.NewGuid().ToString("N")[..6];
        Assert.IsType<RecordPost.Result.Recorded>(await Post().HandleAsync([North], new RecordPost.Request(account, url, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)), [export.ExportId])));

        await using (var db = database.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var withdrawal = await AnswerAsync(db, pupilId, parentId, AnswerKind.Withdraw);
            await CreateTakedownTasks.HandleAsync(db, pupilId, _t.NorthAcademyId, [withdrawal], _clock.GetUtcNow(), default);
            await tx.CommitAsync();
        }

        var rows = await new ListTakedownTasks(_factory).HandleAsync(new ListTakedownTasks.Caller([North], null), TimeSpan.FromDays(2), _clock.GetUtcNow());
        var row = Assert.Single(rows, r => r.PupilId == pupilId && r.AccountId == account);
        Assert.Equal([url], row.PostUrls);

        var again = Assert.IsType<RecordPost.Result.Refused>(await Post().HandleAsync([North], new RecordPost.Request(account, url + "-2", DateOnly.FromDateTime(DateTime.UtcNow), [export.ExportId])));
        Assert.Contains("Siobhán Đặng", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_DeletesUnpublishedPhotosAfterTheirTime_AndKeepsPublishedOnes()
    {
        var (unpublished, _) = await UploadMessiAsync();
        var (published, faceId) = await UploadMessiAsync();
        await Tag().HandleAsync([North], new TagFace.Request(published, faceId, FaceTag.NotAPupil, null));
        var account = await AccountAsync();
        var export = Assert.IsType<ExportSafePhoto.Result.Exported>(await Export().HandleAsync([North], published, new PhotoUse(TestTrust.Social, account)));
        Assert.IsType<RecordPost.Result.Recorded>(await Post().HandleAsync([North], new RecordPost.Request(account, "https://instagram.example/p/kept", DateOnly.FromDateTime(DateTime.UtcNow), [export.ExportId])));
        await using (var db = database.CreateDbContext())
        {
            await db.Photos.Where(p => p.Id == unpublished || p.Id == published).ExecuteUpdateAsync(s => s.SetProperty(p => p.UploadedAt, _clock.GetUtcNow().AddDays(-31)));
        }

        var deleted = await new DeleteExpiredPhotos(_factory, _store, _audit, Options.Create(new PhotoOptions()), _clock).HandleAsync();

        Assert.True(deleted >= 1);
        await using var check = database.CreateDbContext();
        Assert.False(await check.Photos.AnyAsync(p => p.Id == unpublished));
        Assert.Null(await _store.ReadAsync(unpublished, default));
        Assert.True(await check.Photos.AnyAsync(p => p.Id == published));
        Assert.NotNull(await _store.ReadAsync(published, default));
    }
}
