using System.Threading.Channels;
using Bunit;
using ConsentHub.Access;
using ConsentHub.Data;
using ConsentHub.Photos;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhotoUploadPage = ConsentHub.Web.Components.Pages.Photos.PhotoUpload;

namespace ConsentHub.Web.Tests.Components.Photos;

/// <summary>
/// "Check a photo" with many files: the page stages them, one background job processes them, and the progress bar
/// follows the job photo by photo until the batch is finished. The real job runs against the real database; the
/// test holds each photo at the media store so it can watch the bar between photos.
/// </summary>
public sealed class PhotoUploadPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;
    private readonly GatedStore _store;

    public PhotoUploadPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        _store = new GatedStore(new PostgresMediaStore(new ContextFactory(database)));
        Services.AddSingleton<ListIssueChoices>();
        Services.AddSingleton(Options.Create(new PhotoOptions()));
        Services.AddSingleton(new FaceDetector(new FaceDetectorOptions()));
        Services.AddSingleton<IMediaStore>(_store);
        Services.AddSingleton<UploadPhoto>();
        Services.AddSingleton<UploadPhotoBatch>();
        Services.AddTransient<ProcessPhotoBatch>();
    }

    [Fact]
    public async Task SixPhotos_TheProgressBarAdvancesAsTheJobProcessesEachPhoto_AndEndsWithTheBatchFinished()
    {
        TestTrust t;
        await using (var db = _database.CreateDbContext())
            t = await TestTrust.CreateAsync(db);
        SignInStaff("staff:teacher@north.example", StaffRoles.Teacher, ScopeLevel.Academy, t.NorthAcademyId);
        var messi = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Photos", "messi5.jpg"));
        var page = Render<PhotoUploadPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#photo-files")));

        // The page's upload handler follows the batch until it finishes, so the files are chosen off the test's thread.
        var input = page.FindComponent<InputFile>();
        var choose = Task.Run(() => input.UploadFiles([.. Enumerable.Range(1, 6)
            .Select(i => InputFileContent.CreateFromBinary(messi, $"trip-{i}.jpg", contentType: "image/jpeg"))]));

        // Staged and handed to one background job; nothing is processed yet.
        page.WaitForState(() => Jobs.Jobs.Count == 1);
        var batchId = Assert.IsType<Guid>(Jobs.Jobs[0].Args[0]);
        page.WaitForAssertion(() => Assert.Equal(("0", "6", "width: 0%"), Bar(page)));
        Assert.Contains("Finding faces in the batch", page.Find("h2").TextContent, StringComparison.Ordinal);

        var job = Services.GetRequiredService<ProcessPhotoBatch>().RunAsync(batchId, CancellationToken.None);
        _store.Let(1);
        page.WaitForAssertion(() => Assert.Equal(("1", "6", "width: 16%"), Bar(page)));
        Assert.Contains("1 of 6 photos done", page.Find("#batch-progress").TextContent, StringComparison.Ordinal);

        _store.Let(2);
        page.WaitForAssertion(() => Assert.Equal(("3", "6", "width: 50%"), Bar(page)));

        _store.Let(3);
        await job;
        await choose;
        page.WaitForAssertion(() =>
        {
            Assert.Equal(("6", "6", "width: 100%"), Bar(page));
            Assert.Equal("Batch finished", page.Find("h2").TextContent.Trim());
            Assert.Equal("6 of 6 photos done (6 checked, 0 refused).", page.Find("#batch-progress").TextContent.Trim());
            Assert.Equal(6, page.FindAll(".photo-results li a").Count);
        });
        await using var check = _database.CreateDbContext();
        Assert.Equal(6, await check.Photos.CountAsync(p => p.AcademyId == t.NorthAcademyId));
    }

    private static (string? Now, string? Max, string? Width) Bar(IRenderedComponent<PhotoUploadPage> page)
    {
        var bar = page.Find("[role=progressbar]");
        return (bar.GetAttribute("aria-valuenow"), bar.GetAttribute("aria-valuemax"), bar.QuerySelector(".progress-bar")?.GetAttribute("style"));
    }

    /// <summary>The real store, but each photo waits to be let through, so the test sees the bar between photos.</summary>
    private sealed class GatedStore(IMediaStore inner) : IMediaStore
    {
        private readonly Channel<bool> _gate = Channel.CreateUnbounded<bool>();

        public void Let(int photos)
        {
            for (var i = 0; i < photos; i++) _gate.Writer.TryWrite(true);
        }

        public async Task SaveAsync(Guid photoId, Guid academyId, byte[] content, CancellationToken ct)
        {
            await _gate.Reader.ReadAsync(ct);
            await inner.SaveAsync(photoId, academyId, content, ct);
        }

        public Task<byte[]?> ReadAsync(Guid photoId, CancellationToken ct) => inner.ReadAsync(photoId, ct);

        public Task DeleteAsync(IReadOnlyCollection<Guid> photoIds, CancellationToken ct) => inner.DeleteAsync(photoIds, ct);
    }

    private sealed class ContextFactory(DatabaseFixture database) : IDbContextFactory<ConsentHubDbContext>
    {
        public ConsentHubDbContext CreateDbContext() => database.CreateDbContext();
    }
}
