using ConsentHub.Access;
using ConsentHub.Photos;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Tests.Audit;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Photos;

/// <summary>
/// A many-photo upload as one background job on real PostgreSQL: staged file by file, one job enqueued, processed one
/// photo at a time with progress kept, refused files reported, and a rerun (or a run after a crash) storing nothing twice.
/// </summary>
[LongRunning(8)]
public sealed class PhotoBatchTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly Jobs _jobs = new();
    private TestTrust _t = null!;
    private AuditTestSupport.ContextFactory _factory = null!;
    private ConsentHub.Audit.AuditLog _audit = null!;

    public async Task InitializeAsync()
    {
        await using var db = database.CreateDbContext();
        _t = await TestTrust.CreateAsync(db);
        _factory = new AuditTestSupport.ContextFactory(database);
        _audit = AuditTestSupport.Log(database, _clock);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private AccessScope North => AccessScope.Academy(_t.NorthAcademyId, "staff:teacher@north.example");
    private UploadPhoto Upload() => new(_factory, new PostgresMediaStore(_factory), PhotoTestImages.Detector, _audit, Options.Create(new PhotoOptions()), _clock);
    private UploadPhotoBatch Batch() => new(_factory, _jobs, _audit, _clock);
    private ProcessPhotoBatch Job() => new(_factory, Upload(), _clock);

    private async Task<Guid> StageAsync(params byte[][] files)
    {
        var batchId = await Batch().BeginAsync(North, _t.NorthAcademyId, files.Length) ?? throw new InvalidOperationException("not in scope");
        for (var i = 0; i < files.Length; i++) await Batch().AddAsync(North, batchId, i, files[i]);
        return batchId;
    }

    private async Task<int> PhotosAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.Photos.CountAsync(p => p.AcademyId == _t.NorthAcademyId);
    }

    [Fact]
    public async Task FourFiles_OneJob_ThreePhotosAndOneRefusal_ProgressKept_ARerunStoresNothingTwice()
    {
        var messi = PhotoTestImages.Bytes("messi5.jpg");
        var before = await PhotosAsync();
        var batchId = await StageAsync(messi, PhotoTestImages.RotatedJpeg(), messi[..6000], PhotoTestImages.JpegFromCamera("Canon", "Canon EOS 250D", "55501"));
        await Batch().StartAsync(North, batchId);

        var job = Assert.Single(_jobs.Created);
        Assert.Equal(typeof(ProcessPhotoBatch), job.Type);
        Assert.Equal(batchId, job.Args[0]);
        var waiting = await Batch().GetProgressAsync(North, batchId);
        Assert.Equal((4, 0, false), (waiting!.Total, waiting.Done, waiting.Finished));

        await Job().RunAsync(batchId, CancellationToken.None);

        var done = await Batch().GetProgressAsync(North, batchId);
        Assert.Equal((4, 3, 1, true, 100), (done!.Total, done.Processed, done.Refused, done.Finished, done.Percent));
        Assert.Equal(PhotoBatchItemState.Refused, done.Items[2].State);
        Assert.Contains("incomplete", done.Items[2].Message, StringComparison.Ordinal);
        Assert.Contains("not on the trust's device register", done.Items[3].Message, StringComparison.Ordinal);
        Assert.True(done.Items[0].Faces >= 1);
        Assert.Equal(before + 3, await PhotosAsync());
        await using (var db = database.CreateDbContext())
            Assert.False(await db.PhotoBatchItems.AnyAsync(i => i.BatchId == batchId && i.Content != null)); // staged bytes dropped

        await Job().RunAsync(batchId, CancellationToken.None);
        Assert.Equal(before + 3, await PhotosAsync());
        Assert.Equal(3, (await Batch().GetProgressAsync(North, batchId))!.Processed);

        // Only the uploader sees the batch.
        Assert.Null(await Batch().GetProgressAsync(AccessScope.Academy(_t.NorthAcademyId, "staff:someone-else@north.example"), batchId));
    }

    [Fact]
    public async Task AJobThatStoppedAfterStoringAPhoto_IsRetried_ThatPhotoIsNotStoredAgain()
    {
        var messi = PhotoTestImages.Bytes("messi5.jpg");
        var batchId = await StageAsync(messi, messi);
        await Batch().StartAsync(North, batchId);
        Guid firstPhoto;
        await using (var db = database.CreateDbContext())
            firstPhoto = await db.PhotoBatchItems.Where(i => i.BatchId == batchId && i.Position == 0).Select(i => i.PhotoId).SingleAsync();
        // The crash: the first photo was stored under its staged id, then the job died before marking the file.
        Assert.IsType<UploadPhoto.Result.Uploaded>(await Upload().HandleAsync(North, new UploadPhoto.Request(_t.NorthAcademyId, messi, firstPhoto)));
        var before = await PhotosAsync();

        await Job().RunAsync(batchId, CancellationToken.None);

        Assert.Equal(before + 1, await PhotosAsync());
        var progress = await Batch().GetProgressAsync(North, batchId);
        Assert.Equal((2, 0, true), (progress!.Processed, progress.Refused, progress.Finished));
        Assert.Equal(firstPhoto, progress.Items[0].PhotoId);
    }

    [Fact]
    public async Task AFinishedBatchPastTheSetPeriod_AndAnAbandonedOneWithStagedFiles_AreDeleted_ItsPhotosStay_ARecentOneStays()
    {
        var messi = PhotoTestImages.Bytes("messi5.jpg");
        var finished = await StageAsync(messi);
        await Batch().StartAsync(North, finished);
        await Job().RunAsync(finished, CancellationToken.None);
        var abandoned = await StageAsync(messi, messi); // staged, never started: its bytes are still held
        var recent = await StageAsync(messi);
        await Batch().StartAsync(North, recent);
        await Job().RunAsync(recent, CancellationToken.None);
        Guid photo;
        await using (var db = database.CreateDbContext())
        {
            photo = await db.PhotoBatchItems.Where(i => i.BatchId == finished).Select(i => i.PhotoId).SingleAsync();
            var tenDaysAgo = _clock.GetUtcNow().AddDays(-10);
            await db.PhotoBatches.Where(b => b.Id == finished).ExecuteUpdateAsync(s => s.SetProperty(b => b.FinishedAt, tenDaysAgo).SetProperty(b => b.CreatedAt, tenDaysAgo));
            await db.PhotoBatches.Where(b => b.Id == abandoned).ExecuteUpdateAsync(s => s.SetProperty(b => b.CreatedAt, tenDaysAgo));
            Assert.Equal(2, await db.PhotoBatchItems.CountAsync(i => i.BatchId == abandoned && i.Content != null));
        }
        var purge = new DeleteFinishedPhotoBatches(_factory, _audit, Options.Create(new PhotoOptions { KeepFinishedBatchDays = 7 }), _clock);

        var deleted = await purge.HandleAsync();
        var again = await purge.HandleAsync();

        Assert.Equal((2, 0), (deleted, again));
        Assert.Null(await Batch().GetProgressAsync(North, finished));
        Assert.Null(await Batch().GetProgressAsync(North, abandoned));
        Assert.True((await Batch().GetProgressAsync(North, recent))!.Finished);
        await using (var db = database.CreateDbContext())
        {
            Assert.False(await db.PhotoBatchItems.AnyAsync(i => i.BatchId == finished || i.BatchId == abandoned));
            Assert.True(await db.Photos.AnyAsync(p => p.Id == photo)); // the photo keeps its own retention
            var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "photo.batches-deleted").SingleAsync();
            Assert.Equal(DeleteFinishedPhotoBatches.SystemActor, entry.Actor);
        }
    }

    [Fact]
    public async Task ABatchForAnAcademyOutOfScope_IsNotStarted()
    {
        Assert.Null(await Batch().BeginAsync(North, _t.SouthAcademyId, 3));
        Assert.Empty(_jobs.Created);
    }

    private sealed class Jobs : IBackgroundJobClient
    {
        public List<Job> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Created.Add(job);
            return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
