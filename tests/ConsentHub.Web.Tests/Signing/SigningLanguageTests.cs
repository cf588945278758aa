using System.Net;
using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>Polish for a contact who prefers it, a switch either way, and plain wording when the pupil signs.</summary>
[Collection(SigningHost.Name)]
public sealed class SigningLanguageTests(SigningFixture fixture)
{
    [Fact]
    public async Task AContactWhoPrefersPolish_GetsThePagesTheFormWordingAndTheReceiptInPolish()
    {
        TestTrust trust;
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact tata;
        IssuedRequest request;
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await TestTrust.CreateAsync(db);
            var version = await TestRequests.PublishBilingualVersionAsync(db, "pl-test-" + Guid.NewGuid().ToString("N")[..6]);
            (pupil, _) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 2, "2P", "Zofia", "Nowak");
            tata = await TestRequests.AddParentAsync(db, pupil, "Piotr", language: "pl");
            request = await TestRequests.IssueAsync(db, pupil, tata, formVersionId: version);
            answers = await SigningTestData.AnswersAsync(db, version, Audience.Parent, TestTrust.Social);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;

        var dob = await browser.GetAsync(link);
        Assert.Contains("<html lang=\"pl\"", dob.Html, StringComparison.Ordinal);
        Assert.Contains("Potwierdź datę urodzenia dziecka", dob.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}?lang=en\"", dob.Html, StringComparison.Ordinal);

        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.Status);
        var form = await browser.GetAsync(confirmed.Location!);
        Assert.Contains("Zdjęcia i nagrania dziecka: Zofia", form.Text, StringComparison.Ordinal);
        Assert.Contains("[Parent pl] Academy social media: czy możemy używać zdjęć?", form.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("[Parent en]", form.Text, StringComparison.Ordinal);
        Assert.Contains("Mam władzę rodzicielską", form.Text, StringComparison.Ordinal);

        var missing = await browser.PostAsync(link, [("signature-name", "Piotr Nowak")]);
        Assert.Contains("Wystąpił problem", missing.Text, StringComparison.Ordinal);
        Assert.Contains("<title>Błąd: ", missing.Text, StringComparison.Ordinal);

        var sent = await browser.PostAsync(link, [.. answers, ("responsibility", "yes"), ("signature-name", "Piotr Nowak")]);
        var done = await browser.GetAsync(sent.Location!);
        Assert.Contains("Twoje odpowiedzi zostały zapisane", done.Text, StringComparison.Ordinal);
        Assert.Contains(">Tak<", done.Text, StringComparison.Ordinal);

        ConsentHub.Testing.Smtp.ReceivedMessage? receipt = null;
        for (var i = 0; i < 300 && receipt is null; i++)
        {
            receipt = fixture.Smtp.Messages.FirstOrDefault(m => m.Recipients.Contains(tata.Email!, StringComparer.OrdinalIgnoreCase));
            if (receipt is null) await Task.Delay(100);
        }
        Assert.NotNull(receipt);
        Assert.StartsWith("Potwierdzenie odpowiedzi", receipt.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("Academy social media: Tak", receipt.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEnglishContact_CanSwitchToPolish_WithOnlyTheLanguageInTheAddress()
    {
        IssuedRequest request;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            var (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 2, "2E", "Ella", "English");
            request = await TestRequests.IssueAsync(db, pupil, mum);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var english = await browser.GetAsync("/s/" + request.Token);
        Assert.Contains("<html lang=\"en\"", english.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/s/{request.Token}?lang=pl\"", english.Html, StringComparison.Ordinal);
        var polish = await browser.GetAsync($"/s/{request.Token}?lang=pl");
        Assert.Contains("<html lang=\"pl\"", polish.Html, StringComparison.Ordinal);
        Assert.Contains("Potwierdź datę urodzenia dziecka", polish.Text, StringComparison.Ordinal);
        // The forms carry the choice on, so the next page stays in Polish.
        Assert.Contains("name=\"lang\" value=\"pl\"", polish.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolishChosenOnTheFirstPage_LastsThroughEveryStep_TheWithdrawalConfirmation_AndTheEmails()
    {
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest request;
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            var version = await TestRequests.PublishBilingualVersionAsync(db, "pl-carry-" + Guid.NewGuid().ToString("N")[..6]);
            (pupil, _) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 3, "3C", "Ola", "Carried");
            // The MIS says English; the parent picks Polish on the first page.
            mum = await TestRequests.AddParentAsync(db, pupil, "Anna", language: "en");
            request = await TestRequests.IssueAsync(db, pupil, mum, formVersionId: version);
            answers = await SigningTestData.AnswersAsync(db, version, Audience.Parent, TestTrust.Social);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;
        Assert.Contains("<html lang=\"en\"", (await browser.GetAsync(link)).Html, StringComparison.Ordinal);
        await browser.GetAsync(link + "?lang=pl");

        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.Status);
        Assert.Equal(link + "?lang=pl", confirmed.Location);
        var form = await browser.GetAsync(confirmed.Location!);
        Assert.Contains("<html lang=\"pl\"", form.Html, StringComparison.Ordinal);
        // A wrong date, from another phone that also chose Polish, is told so in Polish.
        using (var other = new SigningBrowser(fixture.Factory))
        {
            await other.GetAsync(link + "?lang=pl");
            var wrong = await other.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth.AddDays(1)));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
            Assert.Contains("<html lang=\"pl\"", wrong.Html, StringComparison.Ordinal);
        }

        var sent = await browser.PostAsync(link, [.. answers, ("responsibility", "yes"), ("signature-name", "Anna Carried")]);
        Assert.Equal(link + "/done?lang=pl", sent.Location);
        Assert.Contains("Twoje odpowiedzi zostały zapisane", (await browser.GetAsync(sent.Location!)).Text, StringComparison.Ordinal);
        var receipt = await MailAsync(mum.Email!, 1);
        Assert.StartsWith("Potwierdzenie odpowiedzi", receipt[0].Message.Subject, StringComparison.Ordinal);

        // Later, from the change link, in Polish again: the withdrawal confirmation and its receipt stay Polish.
        var changeLink = System.Text.RegularExpressions.Regex.Match(receipt[0].Message.TextBody ?? "", @"https?://[^/\s]+(/sign/change/[A-Za-z0-9_-]{43})").Groups[1].Value;
        Assert.NotEmpty(changeLink);
        using var later = new SigningBrowser(fixture.Factory);
        await later.GetAsync(changeLink + "?lang=pl");
        var again = await later.PostAsync(changeLink + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.Equal(changeLink + "?lang=pl", again.Location);
        await later.GetAsync(again.Location!);
        var confirm = await later.PostAsync(changeLink, ("action", "withdraw-all"));
        Assert.Contains("<html lang=\"pl\"", confirm.Html, StringComparison.Ordinal);
        Assert.Contains("Tak, wycofaj wszystkie zgody", confirm.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{changeLink}?lang=pl\"", confirm.Html, StringComparison.Ordinal);
        var withdrawn = await later.PostAsync(changeLink, ("action", "withdraw-all-confirmed"));
        Assert.Equal(changeLink + "/done?lang=pl", withdrawn.Location);
        Assert.Contains("<html lang=\"pl\"", (await later.GetAsync(withdrawn.Location!)).Html, StringComparison.Ordinal);
        var second = await MailAsync(mum.Email!, 2);
        Assert.All(second, m => Assert.StartsWith("Potwierdzenie", m.Message.Subject, StringComparison.Ordinal));
    }

    private async Task<List<ConsentHub.Testing.Smtp.ReceivedMessage>> MailAsync(string to, int count)
    {
        for (var i = 0; i < 300; i++)
        {
            var messages = fixture.Smtp.Messages.Where(m => m.Recipients.Contains(to, StringComparer.OrdinalIgnoreCase)).ToList();
            if (messages.Count >= count) return messages;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Fewer than {count} messages reached {to}.");
    }

    [Fact]
    public async Task APupilSigning_SeesThePupilWording_AndNoParentalResponsibilityTick()
    {
        TestTrust trust;
        ConsentHub.Pupils.Pupil pupil;
        IssuedRequest request;
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await TestTrust.CreateAsync(db);
            (pupil, _) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 9, "9P", "Sam", "Pupil");
            pupil = await SigningTestData.WithSchoolEmailAsync(db, pupil);
            request = await TestRequests.IssueAsync(db, pupil, contact: null);
            answers = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Pupil, TestTrust.Social);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        var link = "/s/" + request.Token;
        var dob = await browser.GetAsync(link);
        Assert.Contains("Confirm your date of birth", dob.Text, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"bday-day\"", dob.Html, StringComparison.Ordinal);

        var confirmed = await browser.PostAsync(link + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        var form = await browser.GetAsync(confirmed.Location!);
        Assert.Contains("Photos and videos of you", form.Text, StringComparison.Ordinal);
        Assert.Contains("Can we post photos and videos of you on the academy's social media?", form.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("I agree that the academy may post photos", form.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("parental responsibility", form.Text, StringComparison.Ordinal);

        var sent = await browser.PostAsync(link, [.. answers, ("signature-name", "Sam Pupil")]);
        Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        Assert.Contains("Thanks! This is what you told us", (await browser.GetAsync(sent.Location!)).Text, StringComparison.Ordinal);
        await using var check = fixture.Database.CreateDbContext();
        Assert.All(await check.ConsentAnswers.Where(a => a.PupilId == pupil.Id).ToListAsync(), a =>
        {
            Assert.Equal(PartyKind.Pupil, a.PartyKind);
            Assert.Null(a.ContactId);
        });
    }
}
