using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>A trust administrator invites a member of staff by email; they choose a password from the link and sign in.</summary>
public sealed partial class InviteStaffTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [GeneratedRegex(@"https://localhost/account/set-password\?\S+")]
    private static partial Regex Link();

    [Fact]
    public async Task AnInvitedTeacher_SetsAPasswordFromTheEmail_SignsIn_AndTheLinkWorksOnce()
    {
        var admin = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.TrustAdmin);
        using var adminClient = await StaffAccounts.SignedInClientAsync(fixture.Factory, admin);
        var form = await StaffAccounts.FormFieldsAsync(adminClient, "/staff/invite");
        var email = $"new-teacher-{Guid.NewGuid():N}@trust.example.org";
        form["Input.Email"] = email;
        form["Input.DisplayName"] = "Nia Newcomer";
        form["Input.Role"] = StaffRoles.Teacher;
        form["Input.ScopeId"] = _trust.NorthAcademyId.ToString();

        using var invited = await adminClient.PostAsync("/staff/invite", new FormUrlEncodedContent(form));
        Assert.Contains("Invitation sent", await invited.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using (var db = fixture.Database.CreateDbContext())
        {
            // The outbox row keeps the link sealed: the token is not in it.
            var row = await db.OutboxMessages.SingleAsync(m => m.ToAddress == email);
            Assert.Contains("token=" + ConsentHub.Email.OutboxSecrets.Placeholder(0), row.TextBody, StringComparison.Ordinal);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "staff.invited" && e.Actor == $"staff:{admin.Id}"));
        }
        // The invitation as it arrives in the newcomer's mailbox (the mail drop stands for it). The drain job the
        // invitation enqueued may hold the row already: drain here too, and wait for the message, not for a drain.
        using (var scope = fixture.Factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ConsentHub.Email.DrainOutbox>().RunAsync(CancellationToken.None);
        var delivered = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (delivered.Length == 0 && DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.Exists(fixture.Factory.MailDropDirectory) ? Directory.GetFiles(fixture.Factory.MailDropDirectory, "*.eml") : [])
            {
                var mail = await MimeKit.MimeMessage.LoadAsync(file);
                if (mail.To.Mailboxes.Any(m => string.Equals(m.Address, email, StringComparison.OrdinalIgnoreCase))) delivered = mail.TextBody ?? "";
            }
            if (delivered.Length == 0) await Task.Delay(100);
        }
        var link = WebUtility.HtmlDecode(Link().Match(delivered).Value);
        Assert.NotEmpty(link);

        using var newcomer = StaffAccounts.Client(fixture.Factory);
        var setForm = await StaffAccounts.FormFieldsAsync(newcomer, link);
        setForm["Input.Password"] = "copper violin harbour seven";
        using var set = await newcomer.PostAsync(link, new FormUrlEncodedContent(setForm));
        Assert.Contains("Your password is set", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signIn = await StaffAccounts.PostSignInAsync(newcomer, email, "copper violin harbour seven", returnUrl: "/account");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("Nia Newcomer", await newcomer.GetStringAsync("/account"), StringComparison.Ordinal);

        using var again = StaffAccounts.Client(fixture.Factory);
        var againForm = await StaffAccounts.FormFieldsAsync(again, link);
        againForm["Input.Password"] = "someone else's new phrase";
        using var reused = await again.PostAsync(link, new FormUrlEncodedContent(againForm));
        Assert.Contains("expired or has already been used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvitationWithoutTheAcademy_IsRefusedAndCreatesNoAccount()
    {
        var admin = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.TrustAdmin);
        using var adminClient = await StaffAccounts.SignedInClientAsync(fixture.Factory, admin);
        var form = await StaffAccounts.FormFieldsAsync(adminClient, "/staff/invite");
        var email = $"office-{Guid.NewGuid():N}@trust.example.org";
        form["Input.Email"] = email;
        form["Input.DisplayName"] = "Olu Office";
        form["Input.Role"] = StaffRoles.OfficeStaff;
        form["Input.ScopeId"] = "";

        using var response = await adminClient.PostAsync("/staff/invite", new FormUrlEncodedContent(form));

        Assert.Contains("Choose the academy this role covers", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = fixture.Database.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
    }
}
