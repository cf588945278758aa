using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Photos;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// Parents see what was published (issue 18 item 7), over HTTP on the real host and PostgreSQL: from the change
/// link, the recorded posts that show their child with the safe copy served only under the link, and a request to
/// take one post down that makes exactly one task, for that post alone, audited, without withdrawing anything.
/// </summary>
[Collection(SigningHost.Name)]
public sealed partial class FamilyPostsTests(SigningFixture fixture)
{
    [GeneratedRegex(@"https://localhost(/sign/change/[A-Za-z0-9_-]{43})")]
    private static partial Regex ChangeLink();

    [GeneratedRegex("<img[^>]*src=\"(?<src>[^\"]+\\.jpg)\"")]
    private static partial Regex ImageSource();

    private sealed record Setup(TestTrust Trust, ConsentHub.Pupils.Pupil Pupil, string ChangeLink, Guid AccountId, Guid PostId, Guid OtherPostId, Guid ExportId, string Url);

    /// <summary>A parent who said yes to social media online; two posts recorded that show the child on the academy's account.</summary>
    private async Task<Setup> ArrangeAsync(string first, string last)
    {
        TestTrust trust;
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await SigningTestData.TrustAsync(db);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 5, "5F", first, last);
            request = await TestRequests.IssueAsync(db, pupil, mum);
        }
        using (var browser = new SigningBrowser(fixture.Factory))
        {
            await browser.GetAsync("/s/" + request.Token);
            var dob = await browser.PostAsync("/s/" + request.Token + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
            await browser.GetAsync(dob.Location!);
            await using var db = fixture.Database.CreateDbContext();
            var answers = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social);
            Assert.Equal(HttpStatusCode.SeeOther, (await browser.PostAsync("/s/" + request.Token, [.. answers, ("responsibility", "yes"), ("signature-name", "Mum " + last)])).Status);
        }
        var changeLink = ChangeLink().Match(await WaitForMailAsync(mum.Email!)).Groups[1].Value;
        Assert.NotEmpty(changeLink);

        var services = fixture.Factory.Services;
        var north = AccessScope.Academy(trust.NorthAcademyId, "staff:comms@north.example");
        Guid accountId;
        await using (var db = fixture.Database.CreateDbContext())
            accountId = await db.AffiliatedAccounts.Where(a => a.ScopeId == trust.NorthAcademyId && a.ClosedAt == null).Select(a => a.Id).SingleAsync();
        var messi = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Photos", "messi5.jpg"));
        var photoId = Assert.IsType<UploadPhoto.Result.Uploaded>(await services.GetRequiredService<UploadPhoto>().HandleAsync(north, new UploadPhoto.Request(trust.NorthAcademyId, messi))).PhotoId;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var face = await db.PhotoFaces.Where(f => f.PhotoId == photoId).OrderByDescending(f => f.Score).FirstAsync();
            Assert.Equal(TagFace.Outcome.Tagged, await services.GetRequiredService<TagFace>().HandleAsync([north], new TagFace.Request(photoId, face.Id, FaceTag.Pupil, pupil.Id)));
        }
        var export = Assert.IsType<ExportSafePhoto.Result.Exported>(await services.GetRequiredService<ExportSafePhoto>().HandleAsync([north], photoId, new PhotoUse(TestTrust.Social, accountId)));
        Assert.Contains(pupil.Id, export.Review.ShownPupils);
        var today = UkCalendar.DateOf(fixture.Clock.GetUtcNow());
        var url = $"https://www.instagram.com/p/{Guid.NewGuid():N}/";
        var record = services.GetRequiredService<RecordPost>();
        var postId = Assert.IsType<RecordPost.Result.Recorded>(await record.HandleAsync([north], new RecordPost.Request(accountId, url, today, [export.ExportId]))).PostId;
        var otherPostId = Assert.IsType<RecordPost.Result.Recorded>(await record.HandleAsync([north], new RecordPost.Request(accountId, url + "other/", today.AddDays(-1), [export.ExportId]))).PostId;
        return new Setup(trust, pupil, changeLink, accountId, postId, otherPostId, export.ExportId, url);
    }

    private static async Task<SigningBrowser> ConfirmedAsync(SigningFixture fixture, Setup s)
    {
        var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync(s.ChangeLink);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.PostAsync(s.ChangeLink + "/dob", SigningTestData.Dob(s.Pupil.DateOfBirth))).Status);
        return browser;
    }

    [Fact]
    public async Task Parent_SeesThePostsThatShowTheirChild_WithTheSafeCopy_OnlyThroughTheirLink()
    {
        var s = await ArrangeAsync("Đặng", "Posts");
        using var browser = await ConfirmedAsync(fixture, s);

        var change = await browser.GetAsync(s.ChangeLink + "?lang=en");
        Assert.Contains("The school has recorded 2 posts on its social media accounts that show your child.", change.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{s.ChangeLink}/posts?lang=en\"", change.Html, StringComparison.Ordinal);

        var posts = await browser.GetAsync(s.ChangeLink + "/posts?lang=en");
        Assert.Equal(HttpStatusCode.OK, posts.Status);
        Assert.Contains("no-store", posts.CacheControl, StringComparison.Ordinal);
        Assert.Equal("no-referrer", posts.ReferrerPolicy);
        Assert.Contains("<html lang=\"en\"", posts.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", posts.Html, StringComparison.Ordinal);
        Assert.Contains("Posts that show your child", posts.Text, StringComparison.Ordinal);
        Assert.Contains(s.Url, posts.Text, StringComparison.Ordinal);
        Assert.Contains(s.Url + "other/", posts.Text, StringComparison.Ordinal);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var handle = await db.AffiliatedAccounts.Where(a => a.Id == s.AccountId).Select(a => a.Handle).SingleAsync();
            Assert.Contains(handle + " on Instagram", posts.Text, StringComparison.Ordinal);
        }
        Assert.Contains(UkCalendar.DateOf(fixture.Clock.GetUtcNow()).ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")), posts.Text, StringComparison.Ordinal);

        // The safe copy is under the link: the same bytes as the export, never cached, a real image.
        var src = ImageSource().Matches(posts.Html).Select(m => m.Groups["src"].Value).First(v => v.Contains(s.PostId.ToString(), StringComparison.Ordinal));
        Assert.StartsWith(s.ChangeLink + "/posts/", src, StringComparison.Ordinal);
        using (var image = await browser.Client.GetAsync(src))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
            Assert.Contains("no-store", image.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
            var bytes = await image.Content.ReadAsByteArrayAsync();
            using var bitmap = SKBitmap.Decode(bytes);
            Assert.Equal((548, 342), (bitmap.Width, bitmap.Height));
            await using var db = fixture.Database.CreateDbContext();
            Assert.Equal(await db.PhotoExports.Where(e => e.Id == s.ExportId).Select(e => e.Content).SingleAsync(), bytes);
        }

        // Without the confirmed date of birth in this browser: no list, no image. A guessed token: the same 404 as any bad link.
        using var stranger = new SigningBrowser(fixture.Factory);
        var unconfirmed = await stranger.GetAsync(s.ChangeLink + "/posts");
        Assert.Equal(HttpStatusCode.SeeOther, unconfirmed.Status);
        Assert.DoesNotContain(s.Url, unconfirmed.Html, StringComparison.Ordinal);
        using (var image = await stranger.Client.GetAsync(src)) Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/sign/change/" + ConsentHub.Requests.SigningSecrets.NewToken() + "/posts")).Status);
        // Another export id under the right link and post is not served.
        using (var other = await browser.Client.GetAsync($"{s.ChangeLink}/posts/{s.PostId}/{Guid.NewGuid()}.jpg")) Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);

        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        await using (var db = fixture.Database.CreateDbContext())
        {
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "photo.export-viewed-by-family" && e.PupilId == s.Pupil.Id));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "photo.posts-viewed-by-family" && e.PupilId == s.Pupil.Id));
        }
    }

    [Fact]
    public async Task Parent_AsksForOnePostToComeDownTwice_OneTaskForThatPostAlone_ConsentUnchanged_InPolish()
    {
        var s = await ArrangeAsync("Łukasz", "Takedown");
        using var browser = await ConfirmedAsync(fixture, s);
        var posts = await browser.GetAsync(s.ChangeLink + "/posts?lang=pl");
        Assert.Contains("<html lang=\"pl\"", posts.Html, StringComparison.Ordinal);
        Assert.Contains("Posty, na których jest Twoje dziecko", posts.Text, StringComparison.Ordinal);

        var action = $"{s.ChangeLink}/posts/{s.PostId}/takedown";
        var asked = await browser.PostAsync(action, Array.Empty<(string, string)>());
        Assert.Equal(HttpStatusCode.SeeOther, asked.Status);
        Assert.Equal($"{s.ChangeLink}/posts?lang=pl&asked=1", asked.Location);
        var after = await browser.GetAsync(asked.Location!);
        Assert.Contains("<html lang=\"pl\"", after.Html, StringComparison.Ordinal);
        Assert.Contains("Poprosiliśmy o usunięcie posta.", after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(action, after.Html, StringComparison.Ordinal); // no second button for that post
        Assert.Contains($"{s.ChangeLink}/posts/{s.OtherPostId}/takedown", after.Html, StringComparison.Ordinal);

        // Asking again (an old tab) makes no second task.
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.PostFromAsync(posts.Html, action, [])).Status);

        await using var db = fixture.Database.CreateDbContext();
        var task = Assert.Single(await db.TakedownTasks.Where(t => t.PupilId == s.Pupil.Id).ToListAsync());
        Assert.Equal(s.PostId, task.PostId);
        Assert.Equal(s.AccountId, task.AccountId);
        Assert.Equal(TakedownTask.PostRequestReason, task.Reason);
        Assert.Null(task.DoneAt);
        Assert.Single(await db.AuditEntries.Where(e => e.Action == "photo.post-takedown-requested" && e.PupilId == s.Pupil.Id).ToListAsync());
        // Nothing withdrawn: the social media answer is still a yes.
        Assert.DoesNotContain(await db.ConsentAnswers.Where(a => a.PupilId == s.Pupil.Id).Select(a => a.Kind).ToListAsync(), k => k == AnswerKind.Withdraw);

        // The takedown page's line names that post alone, not the other post of the same pupil on the account.
        var lines = await fixture.Factory.Services.GetRequiredService<ListTakedownTasks>().HandleAsync(
            new ListTakedownTasks.Caller([AccessScope.Academy(s.Trust.NorthAcademyId, "staff:comms@north.example")], null), TimeSpan.FromDays(2), fixture.Clock.GetUtcNow());
        var line = Assert.Single(lines, l => l.PupilId == s.Pupil.Id);
        Assert.Equal([s.Url], line.PostUrls);
    }

    [Fact]
    public async Task AskingToTakeDownAPostThatDoesNotShowTheChild_IsRefused_NoTask()
    {
        var s = await ArrangeAsync("Mureșan", "Elsewhere");
        var other = await ArrangeAsync("O'Brien", "Sibling");
        using var browser = await ConfirmedAsync(fixture, s);
        await browser.GetAsync(s.ChangeLink + "/posts");

        var refused = await browser.PostAsync($"{s.ChangeLink}/posts/{other.PostId}/takedown", Array.Empty<(string, string)>());
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        using var fresh = new SigningBrowser(fixture.Factory);
        var withoutToken = await fresh.PostAsync($"{s.ChangeLink}/posts/{s.PostId}/takedown", Array.Empty<(string, string)>());
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.Status);

        await using var db = fixture.Database.CreateDbContext();
        Assert.False(await db.TakedownTasks.AnyAsync(t => t.PostId == other.PostId || t.PostId == s.PostId));
    }

    private async Task<string> WaitForMailAsync(string to)
    {
        for (var i = 0; i < 300; i++)
        {
            var mine = fixture.Smtp.Messages.FirstOrDefault(m => m.Recipients.Contains(to, StringComparer.OrdinalIgnoreCase));
            if (mine is not null) return mine.Message.TextBody ?? "";
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Expected a message to {to}.");
    }
}
