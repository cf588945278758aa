using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Photos;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Photos;
using ConsentHub.Trust.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace ConsentHub.Tests.Trust;

internal static class DemoPhotoSeeding
{
    public static SeedDemoPhotos Build(DatabaseFixture database, ConsentReferenceCache reference, string environment)
    {
        var clock = TimeProvider.System;
        var factory = new AuditTestSupport.ContextFactory(database);
        var audit = AuditTestSupport.Log(database, clock);
        var store = new PostgresMediaStore(factory);
        var reader = new ConsentStatusReader(database.DataSource, reference, clock);
        var review = new ReviewPhoto(factory, reader, reference, audit, clock);
        return new SeedDemoPhotos(factory,
            new UploadPhoto(factory, store, PhotoTestImages.Detector, audit, Options.Create(new PhotoOptions()), clock),
            new TagFace(factory, audit, clock),
            new ExportSafePhoto(factory, review, store, audit, clock),
            new RecordPost(factory, review, reference, audit, clock),
            reader, new TestHostEnvironment(environment), clock);
    }
}

/// <summary>The demo trust's photos: the photo journey can be clicked through on a fresh Development database.</summary>
public sealed class SeedDemoPhotosTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task TheDemoTrust_GetsPhotosWithFacesFound_OnePupilShownOneHidden_AndARecordedPost_OnlyOnce()
    {
        await using (var services = SeedingServices.Build(database, new RecordingAuditLog(), Environments.Development))
            Assert.True((await services.GetRequiredService<SeedDemoTrust>().HandleAsync()).Created);
        using var reference = new ConsentReferenceCache(database.DataSource, TimeProvider.System);
        var seed = DemoPhotoSeeding.Build(database, reference, Environments.Development);

        var first = await seed.HandleAsync();
        var second = await seed.HandleAsync();

        Assert.Equal(4, first.Photos);
        Assert.Equal(2, first.TaggedFaces);
        Assert.Equal(1, first.Posts);
        Assert.Equal(SeedDemoPhotos.Result.None, second);

        await using var db = database.CreateDbContext();
        var photos = await db.Photos.AsNoTracking().Include(p => p.Faces).ToListAsync();
        Assert.Equal(4, photos.Count);
        Assert.All(photos, p => Assert.Equal(first.AcademyId, p.AcademyId));
        Assert.Equal(first.Faces, photos.Sum(p => p.Faces.Count));
        // The detector found the real faces: at least one in each photo made from messi5.jpg, several in the class photo.
        Assert.Equal(3, photos.Count(p => p.Faces.Count > 0 && p.CameraMake is null));
        Assert.Contains(photos, p => p.Faces.Count >= 3);
        // The phone photo names a camera that is not on the (empty) device register.
        Assert.Contains(photos, p => string.Equals(p.CameraMake, "motorola", StringComparison.OrdinalIgnoreCase));

        var taggedFaces = photos.SelectMany(p => p.Faces).Where(f => f.Tag == FaceTag.Pupil).ToList();
        Assert.Equal(2, taggedFaces.Count);
        var export = await db.PhotoExports.AsNoTracking().SingleAsync();
        var shown = Assert.Single(export.ShownPupilIds);
        var hidden = Assert.Single(export.HiddenPupilIds);
        Assert.Equal(taggedFaces.Select(f => f.PupilId!.Value).Order(), new[] { shown, hidden }.Order());

        // On the pixels: the allowed pupil's face keeps its detail, the refused pupil's face is blurred beyond recognition.
        using var image = SKBitmap.Decode(export.Content);
        double Detail(Guid pupil)
        {
            var box = taggedFaces.Single(f => f.PupilId == pupil).Box;
            return PhotoTestImages.LaplacianVariance(image, new SKRectI((int)box.X + 4, (int)box.Y + 4, (int)box.Right - 4, (int)box.Bottom - 4));
        }
        Assert.True(Detail(hidden) < 5, $"The refused pupil's face still has detail {Detail(hidden):F1}.");
        Assert.True(Detail(shown) > 50, $"The allowed pupil's face lost its detail ({Detail(shown):F1}).");

        // The post ties the shown pupil, and only that pupil, to the post.
        var post = await db.PhotoPosts.AsNoTracking().Include(p => p.Pupils).Include(p => p.Images).SingleAsync();
        Assert.StartsWith("https://www.facebook.com/demo", post.Url, StringComparison.Ordinal);
        Assert.Equal(export.Id, Assert.Single(post.Images).ExportId);
        Assert.Equal(shown, Assert.Single(post.Pupils).PupilId);
    }
}

/// <summary>A real trust never gets demo photos: not outside Development, and not without the demo trust.</summary>
public sealed class SeedDemoPhotosOutsideTheDemoTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task ATrustThatIsNotTheDemo_GetsNoPhotos(string environment)
    {
        await using (var db = database.CreateDbContext())
        {
            if (!await db.Academies.AnyAsync()) await TestTrust.CreateAsync(db);
        }
        using var reference = new ConsentReferenceCache(database.DataSource, TimeProvider.System);

        var result = await DemoPhotoSeeding.Build(database, reference, environment).HandleAsync();

        Assert.Equal(SeedDemoPhotos.Result.None, result);
        await using var check = database.CreateDbContext();
        Assert.False(await check.Photos.AnyAsync());
    }
}
