using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Tests.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace ConsentHub.Tests.Requests;

/// <summary>The request email as a parent or pupil receives it (real SMTP to the sink), and a new link for a lost email.</summary>
public sealed class RequestEmailTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = SmtpSink.Start();
    private readonly RequestsTestSupport _support = new(database);

    public Task InitializeAsync() => EmailTestSupport.ClearOutboxAsync(database);

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private Task<DrainOutboxResult> DrainAsync() =>
        new DrainOutbox(database.DataSource, EmailTestSupport.SmtpSender(_sink), EmailTestSupport.Options(_sink), _support.Clock, NullLogger<DrainOutbox>.Instance)
            .RunAsync(CancellationToken.None);

    private sealed record Family(TestTrust Trust, Pupil Pupil, Contact Mum, Contact Tata, IssueConsentRequests.Request Request);

    /// <summary>A Year 8 pupil (Zoë, school email) with an English-speaking mother and a Polish-speaking father.</summary>
    private async Task<Family> FamilyAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 8, "8K", "Zoë", "Nowak");
        await RequestsTestSupport.UpdatePupilAsync(database, pupil.Id, p => p.SchoolEmail = "zoe.nowak@pupils.north.example");
        var tata = await RequestsTestSupport.AddContactAsync(database, pupil.Id, "Piotr", responsibility: true, language: "pl");
        return new Family(t, pupil, mum, tata,
            new(t.NorthAcademyId, t.FormVersionId, IssueAudience.Chosen(pupil.Id), _support.Today.AddDays(10), IssueDelivery.EmailWherePossible));
    }

    private MimeMessage MessageTo(string address) => Assert.Single(_sink.Messages, m => m.Recipients.Contains(address, StringComparer.OrdinalIgnoreCase)).Message;

    [Fact]
    public async Task EachParty_GetsAnEmail_WhoseLinkTokenHashesToTheirRequest_WithTheShortCode_InTheirLanguage()
    {
        var f = await FamilyAsync();
        Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(RequestsTestSupport.Office(f.Trust.NorthAcademyId), f.Request));

        var sent = await DrainAsync();

        Assert.Equal(3, sent.Sent);
        var requests = await _support.RequestsAsync(f.Trust.NorthAcademyId);
        foreach (var (address, request) in new[]
        {
            (f.Mum.Email!, requests.Single(r => r.ContactId == f.Mum.Id)),
            (f.Tata.Email!, requests.Single(r => r.ContactId == f.Tata.Id)),
            ("zoe.nowak@pupils.north.example", requests.Single(r => r.PartyKind == PartyKind.Pupil)),
        })
        {
            var message = MessageTo(address);
            var token = RequestsTestSupport.TokenIn(message.TextBody);
            Assert.Equal(request.TokenHash, SigningSecrets.HashToken(token));
            Assert.Contains(SigningSecrets.FormatShortCode(request.ShortCode), message.TextBody, StringComparison.Ordinal);
            Assert.Contains($"href=\"{RequestsTestSupport.PublicBaseUrl}s/{token}\"", message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("North Academy", message.TextBody, StringComparison.Ordinal);
        }

        var mum = MessageTo(f.Mum.Email!);
        var deadline = RequestEmails.FormatDeadline(_support.Today.AddDays(10), "en");
        Assert.Equal($"Photos and videos of Zoë: please answer by {deadline}", mum.Subject);
        Assert.StartsWith("Dear Mrs Nowak,", mum.TextBody, StringComparison.Ordinal);

        var tata = MessageTo(f.Tata.Email!);
        Assert.StartsWith("Zdjęcia i filmy z udziałem Zoë", tata.Subject, StringComparison.Ordinal);
        Assert.Contains(RequestEmails.FormatDeadline(_support.Today.AddDays(10), "pl"), tata.TextBody, StringComparison.Ordinal);
        Assert.Contains("lang=\"pl\"", tata.HtmlBody, StringComparison.Ordinal);

        var pupil = MessageTo("zoe.nowak@pupils.north.example");
        Assert.StartsWith("Hi Zoë,", pupil.TextBody, StringComparison.Ordinal);
        Assert.Contains("It is your choice.", pupil.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FamiliesWritingUrduArabicRomanianAndPunjabi_GetTheRequestInTheirLanguage_WithTheDeadlineOnTheUkCalendar_AndUrduAndArabicRightToLeft()
    {
        // Friday 18 June 2027: every language must name that Friday, on the Gregorian calendar, in its own words.
        _support.Clock.SetUtcNow(new DateTimeOffset(2027, 6, 8, 9, 0, 0, TimeSpan.Zero));
        var f = await FamilyAsync();
        var urdu = await RequestsTestSupport.AddContactAsync(database, f.Pupil.Id, "Amina", responsibility: true, language: "ur");
        var arabic = await RequestsTestSupport.AddContactAsync(database, f.Pupil.Id, "Layla", responsibility: true, language: "ar-EG");
        var romanian = await RequestsTestSupport.AddContactAsync(database, f.Pupil.Id, "Ioana", responsibility: true, language: "ro");
        var punjabi = await RequestsTestSupport.AddContactAsync(database, f.Pupil.Id, "Harpreet", responsibility: true, language: "pa");
        var request = f.Request with { Deadline = new DateOnly(2027, 6, 18) };
        Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(RequestsTestSupport.Office(f.Trust.NorthAcademyId), request));

        await DrainAsync();

        var cases = new[]
        {
            (Contact: urdu, Lang: "ur", Rtl: true, Subject: "Zoë کی تصاویر اور ویڈیوز: براہ کرم جمعہ، 18 جون، 2027 تک جواب دیں",
                Greeting: "محترم Amina Contact،", Body: "North Academy جاننا چاہتا ہے کہ کیا ہم Zoë کی تصاویر اور ویڈیوز لے اور استعمال کر سکتے ہیں"),
            (Contact: arabic, Lang: "ar", Rtl: true, Subject: "صور ومقاطع فيديو Zoë: يُرجى الرد بحلول الجمعة، 18 يونيو 2027",
                Greeting: "مرحبًا Layla Contact،", Body: "تودّ North Academy أن تعرف ما إذا كان بإمكاننا التقاط صور ومقاطع فيديو"),
            (Contact: romanian, Lang: "ro", Rtl: false, Subject: "Fotografii și videoclipuri cu Zoë: vă rugăm să răspundeți până vineri, 18 iunie 2027",
                Greeting: "Bună ziua, Ioana Contact,", Body: "North Academy ar dori să știe dacă putem face și folosi fotografii și videoclipuri cu Zoë"),
            (Contact: punjabi, Lang: "pa", Rtl: false, Subject: "Zoë ਦੀਆਂ ਫੋਟੋਆਂ ਅਤੇ ਵੀਡੀਓ: ਕਿਰਪਾ ਕਰਕੇ ਸ਼ੁੱਕਰਵਾਰ, 18 ਜੂਨ 2027 ਤੱਕ ਜਵਾਬ ਦਿਓ",
                Greeting: "ਪਿਆਰੇ Harpreet Contact ਜੀ,", Body: "North Academy ਜਾਣਨਾ ਚਾਹੁੰਦਾ ਹੈ ਕਿ ਕੀ ਅਸੀਂ Zoë ਦੀਆਂ ਫੋਟੋਆਂ ਅਤੇ ਵੀਡੀਓ"),
        };
        var requests = await _support.RequestsAsync(f.Trust.NorthAcademyId);
        foreach (var c in cases)
        {
            var message = MessageTo(c.Contact.Email!);
            Assert.Equal(c.Subject, message.Subject);
            Assert.StartsWith(c.Greeting, message.TextBody, StringComparison.Ordinal);
            Assert.Contains(c.Body, message.TextBody, StringComparison.Ordinal);
            Assert.Contains(c.Body, message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("This translation is to be reviewed by the trust.", message.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Photos and videos", message.TextBody, StringComparison.Ordinal);
            var own = requests.Single(r => r.ContactId == c.Contact.Id);
            Assert.Contains(SigningSecrets.FormatShortCode(own.ShortCode), message.TextBody, StringComparison.Ordinal);
            Assert.Equal(own.TokenHash, SigningSecrets.HashToken(RequestsTestSupport.TokenIn(message.TextBody)));
            Assert.Contains(c.Rtl ? $"<html lang=\"{c.Lang}\" dir=\"rtl\">" : $"<html lang=\"{c.Lang}\">", message.HtmlBody, StringComparison.Ordinal);
            Assert.Equal(c.Rtl, message.HtmlBody!.Contains("<body dir=\"rtl\"", StringComparison.Ordinal));
        }
        // The link and the code stay left to right inside right-to-left text.
        Assert.Contains("<strong dir=\"ltr\">", MessageTo(urdu.Email!).HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Friday 18 June 2027")]
    [InlineData("pl", "piątek, 18 czerwca 2027")]
    [InlineData("ur", "جمعہ، 18 جون، 2027")]
    [InlineData("ar", "الجمعة، 18 يونيو 2027")]
    [InlineData("ro", "vineri, 18 iunie 2027")]
    [InlineData("pa", "ਸ਼ੁੱਕਰਵਾਰ, 18 ਜੂਨ 2027")]
    [InlineData("cy", "Friday 18 June 2027")]
    public void TheDeadline_IsWrittenInTheFamilysLanguage_OnTheUkCalendar(string language, string expected) =>
        Assert.Equal(expected, RequestEmails.FormatDeadline(new DateOnly(2027, 6, 18), language));

    [Fact]
    public async Task AContactWhoseMailBounced_OrWithAnUnusableAddress_IsOnPaper_AndAnUnknownLanguageGetsEnglish()
    {
        var f = await FamilyAsync();
        var welsh = await RequestsTestSupport.AddContactAsync(database, f.Pupil.Id, "Cerys", responsibility: true, language: "cy");
        var broken = await RequestsTestSupport.AddContactAsync(database, f.Pupil.Id, "Bad", responsibility: true, email: "not an address");
        await using (var db = database.CreateDbContext())
        {
            (await db.Contacts.SingleAsync(c => c.Id == f.Mum.Id)).EmailFailingSince = _support.Clock.GetUtcNow().AddDays(-2);
            await db.SaveChangesAsync();
        }

        var issued = Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(RequestsTestSupport.Office(f.Trust.NorthAcademyId), f.Request)).Summary;
        await DrainAsync();

        Assert.Equal((5, 3, 2), (issued.RequestsCreated, issued.EmailsQueued, issued.OnPaper));
        var requests = await _support.RequestsAsync(f.Trust.NorthAcademyId);
        Assert.Equal(RequestDelivery.Paper, requests.Single(r => r.ContactId == f.Mum.Id).Delivery);
        Assert.Equal(RequestDelivery.Paper, requests.Single(r => r.ContactId == broken.Id).Delivery);
        Assert.DoesNotContain(_sink.Messages, m => m.Recipients.Contains(f.Mum.Email!, StringComparer.OrdinalIgnoreCase));
        Assert.StartsWith("Photos and videos of Zoë", MessageTo(welsh.Email!).Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEmail_GreetsDearMsĐặng_ByTitleAndSurname_AndByFullNameWhenThereIsNoTitle()
    {
        TestTrust t;
        Pupil pupil;
        Contact mum;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3D", "Thảo", "Đặng");
            var stored = await db.Contacts.SingleAsync(c => c.Id == mum.Id);
            (stored.Title, stored.FirstName) = ("Ms", "Lan");
            await db.SaveChangesAsync();
        }
        var dad = await RequestsTestSupport.AddContactAsync(database, pupil.Id, "Minh", responsibility: true);
        await using (var db = database.CreateDbContext())
        {
            var stored = await db.Contacts.SingleAsync(c => c.Id == dad.Id);
            (stored.Title, stored.LastName) = (null, "Nguyễn");
            await db.SaveChangesAsync();
        }
        var request = new IssueConsentRequests.Request(t.NorthAcademyId, t.FormVersionId, IssueAudience.Chosen(pupil.Id), _support.Today.AddDays(10), IssueDelivery.EmailWherePossible);
        Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(RequestsTestSupport.Office(t.NorthAcademyId), request));

        await DrainAsync();

        var toMum = MessageTo(mum.Email!);
        Assert.StartsWith("Dear Ms Đặng,", toMum.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>Dear Ms Đặng,</p>", toMum.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Dear Minh Nguyễn,", MessageTo(dad.Email!).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewSigningLink_ReplacesTheOldToken_AndIsEmailed_AndAudited()
    {
        var f = await FamilyAsync();
        var office = RequestsTestSupport.Office(f.Trust.NorthAcademyId);
        await _support.Issue().HandleAsync(office, f.Request);
        await DrainAsync();
        var before = (await _support.RequestsAsync(f.Trust.NorthAcademyId)).Single(r => r.ContactId == f.Mum.Id);
        var oldToken = RequestsTestSupport.TokenIn(MessageTo(f.Mum.Email!).TextBody);

        var result = await _support.NewLink().HandleAsync(office, before.Id);

        Assert.Equal(new SendNewSigningLink.Result.Sent("Mrs Jane Nowak"), result);
        await DrainAsync();
        var after = (await _support.RequestsAsync(f.Trust.NorthAcademyId)).Single(r => r.Id == before.Id);
        await using var db = database.CreateDbContext();
        Assert.False(await db.SignatureRequests.AnyAsync(r => r.TokenHash == SigningSecrets.HashToken(oldToken)));
        Assert.NotEqual(before.TokenHash, after.TokenHash);
        Assert.Equal((before.ShortCode, before.ExpiresAt, RequestStatus.Open), (after.ShortCode, after.ExpiresAt, after.Status));
        var mails = _sink.Messages.Where(m => m.Recipients.Contains(f.Mum.Email!, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, mails.Count);
        Assert.Equal(after.TokenHash, SigningSecrets.HashToken(RequestsTestSupport.TokenIn(mails[1].Message.TextBody)));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "request.link-resent" && e.EntityId == before.Id.ToString() && e.Actor == office.Actor));

        // Someone at another academy cannot find it; an answered request has nothing to send.
        Assert.IsType<SendNewSigningLink.Result.NotFound>(await _support.NewLink().HandleAsync(RequestsTestSupport.Office(f.Trust.SouthAcademyId), before.Id));
        (await db.SignatureRequests.SingleAsync(r => r.Id == before.Id)).Status = RequestStatus.Answered;
        await db.SaveChangesAsync();
        Assert.IsType<SendNewSigningLink.Result.NotOpen>(await _support.NewLink().HandleAsync(office, before.Id));
    }

    [Fact]
    public async Task ANewLink_ForAPartyWithNoWorkingEmail_SaysSo_AndKeepsTheOldLink()
    {
        var f = await FamilyAsync();
        var office = RequestsTestSupport.Office(f.Trust.NorthAcademyId);
        await _support.Issue().HandleAsync(office, f.Request with { Delivery = IssueDelivery.PaperForEveryone });
        await RequestsTestSupport.UpdatePupilAsync(database, f.Pupil.Id, p => p.SchoolEmail = null);
        var request = (await _support.RequestsAsync(f.Trust.NorthAcademyId)).Single(r => r.PartyKind == PartyKind.Pupil);

        var result = Assert.IsType<SendNewSigningLink.Result.NoEmail>(await _support.NewLink().HandleAsync(office, request.Id));

        Assert.Contains("no working email address for the pupil", result.Problem, StringComparison.Ordinal);
        Assert.Equal(request.TokenHash, (await _support.RequestsAsync(f.Trust.NorthAcademyId)).Single(r => r.Id == request.Id).TokenHash);
        Assert.Empty(await _support.OutboxAsync(f.Trust.NorthAcademyId));
    }
}
