using System.Net;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>/sign/lost: new change links by email, without telling anyone whether an address is known.</summary>
[Collection(SigningHost.Name)]
public sealed class LostLinkTests(SigningFixture fixture)
{
    [Fact]
    public async Task AKnownAndAnUnknownAddress_GetTheSamePage_AndOnlyTheKnownOneGetsLinksForEachChild()
    {
        ConsentHub.Pupils.Contact mum;
        ConsentHub.Pupils.Pupil older;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            (older, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 5, "5S", "Olly", "Sibling");
            var (younger, _) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 2, "2S", "Yasmin", "Sibling");
            db.PupilContacts.Add(new ConsentHub.Pupils.PupilContact { PupilId = younger.Id, ContactId = mum.Id, Relationship = "Mother", HasParentalResponsibility = true });
            await db.SaveChangesAsync();
        }
        using var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync("/sign/lost");
        var known = await browser.PostAsync("/sign/lost", ("email", "  " + mum.Email!.ToUpperInvariant() + " "));
        await browser.GetAsync("/sign/lost");
        var unknown = await browser.PostAsync("/sign/lost", ("email", "nobody." + Guid.NewGuid().ToString("N") + "@example.org"));
        Assert.Equal(HttpStatusCode.OK, known.Status);
        Assert.Equal(known.Html, unknown.Html);
        Assert.Contains("If that address is one we hold", known.Text, StringComparison.Ordinal);

        ConsentHub.Testing.Smtp.ReceivedMessage? mail = null;
        for (var i = 0; i < 300 && mail is null; i++)
        {
            mail = fixture.Smtp.Messages.FirstOrDefault(m => m.Recipients.Contains(mum.Email!, StringComparer.OrdinalIgnoreCase));
            if (mail is null) await Task.Delay(100);
        }
        Assert.NotNull(mail);
        var text = mail.Message.TextBody!;
        Assert.Contains("For Olly: https://localhost/sign/change/", text, StringComparison.Ordinal);
        Assert.Contains("For Yasmin: https://localhost/sign/change/", text, StringComparison.Ordinal);

        // The link works: date of birth, then the change page.
        var link = System.Text.RegularExpressions.Regex.Match(text, @"For Olly: https://localhost(/sign/change/[A-Za-z0-9_-]{43})").Groups[1].Value;
        using var phone = new SigningBrowser(fixture.Factory);
        await phone.GetAsync(link);
        var confirmed = await phone.PostAsync(link + "/dob", SigningTestData.Dob(older.DateOfBirth));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.Status);
        Assert.Contains("Your current answers are selected", (await phone.GetAsync(confirmed.Location!)).Text, StringComparison.Ordinal);

        // Asking again at once sends nothing more (and keeps no new links).
        await using var db2 = fixture.Database.CreateDbContext();
        var links = await db2.SignerLinks.CountAsync(l => l.ContactId == mum.Id);
        await browser.GetAsync("/sign/lost");
        Assert.Equal(known.Html, (await browser.PostAsync("/sign/lost", ("email", mum.Email!))).Html);
        Assert.Equal(links, await db2.SignerLinks.CountAsync(l => l.ContactId == mum.Id));
        Assert.Equal(1, await db2.OutboxMessages.CountAsync(m => m.ToAddress == mum.Email));
    }

    [Fact]
    public async Task NotAnEmailAddress_IsToldSo()
    {
        using var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync("/sign/lost?lang=pl");
        var page = await browser.PostAsync("/sign/lost", ("email", "not an address"));
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("Wpisz poprawny adres e-mail", page.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"#email\"", page.Html, StringComparison.Ordinal);
    }
}
