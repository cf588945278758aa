using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>
/// "Forgot your password?": a one-use link by email, the same answer for any address at the same speed (the address is
/// looked up after the answer), audited.
/// </summary>
public sealed partial class ForgotPasswordTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>
{
    [GeneratedRegex(@"https://localhost/account/set-password\?\S+")]
    private static partial Regex Link();

    private const string Answer = "If that address belongs to a ConsentHub account";

    private static async Task<HttpResponseMessage> AskAsync(HttpClient client, string email)
    {
        var form = await StaffAccounts.FormFieldsAsync(client, "/account/forgot-password");
        form["Input.Email"] = email;
        // A guard, not a speed goal: an answer that waited for the lookup would hang on the locked table below.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await client.PostAsync("/account/forgot-password", new FormUrlEncodedContent(form), guard.Token);
    }

    /// <summary>The reset email is written after the answer, in the background: waits for its outbox row.</summary>
    private async Task<ConsentHub.Email.OutboxMessage> OutboxRowForAsync(string email)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = fixture.Database.CreateDbContext();
            var row = await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.ToAddress == email);
            if (row is not null) return row;
            Assert.True(DateTime.UtcNow < deadline, $"No reset email was queued for {email}.");
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// The delivered email's text: drains the outbox until it is in the pickup directory. A drain the page started
    /// may hold the message while this one runs, so one drain alone does not mean it has been written yet.
    /// </summary>
    private async Task<string> DeliveredTextToAsync(string email)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using (var scope = fixture.Factory.Services.CreateScope())
                await scope.ServiceProvider.GetRequiredService<ConsentHub.Email.DrainOutbox>().RunAsync(CancellationToken.None);
            if (Directory.Exists(fixture.Factory.MailDropDirectory))
            {
                foreach (var file in Directory.GetFiles(fixture.Factory.MailDropDirectory, "*.eml"))
                {
                    var mail = await MimeKit.MimeMessage.LoadAsync(file);
                    if (mail.To.Mailboxes.Any(m => string.Equals(m.Address, email, StringComparison.OrdinalIgnoreCase))) return mail.TextBody ?? "";
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"No reset email was delivered to {email}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task AMemberOfStaff_GetsALinkByEmail_ChoosesANewPassword_SignsIn_AndTheLinkWorksOnce()
    {
        var office = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.CommunicationsDirector);
        using var client = StaffAccounts.Client(fixture.Factory);
        Assert.Contains("account/forgot-password", await client.GetStringAsync("/account/sign-in"), StringComparison.Ordinal);

        using var asked = await AskAsync(client, office.Email!.ToUpperInvariant());
        Assert.Contains(Answer, await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var row = await OutboxRowForAsync(office.Email);
        await using (var db = fixture.Database.CreateDbContext())
        {
            // The outbox keeps the link sealed; the request is audited against the account.
            Assert.Contains("token=" + ConsentHub.Email.OutboxSecrets.Placeholder(0), row.TextBody, StringComparison.Ordinal);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "staff.password-reset-requested" && e.EntityId == office.Id.ToString()));
        }
        var delivered = await DeliveredTextToAsync(office.Email);
        var link = WebUtility.HtmlDecode(Link().Match(delivered).Value);
        Assert.NotEmpty(link);

        var setForm = await StaffAccounts.FormFieldsAsync(client, link);
        setForm["Input.Password"] = "lantern meadow copper nine";
        using var set = await client.PostAsync(link, new FormUrlEncodedContent(setForm));
        Assert.Contains("Your password is set", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signIn = await StaffAccounts.PostSignInAsync(StaffAccounts.Client(fixture.Factory), office.Email, "lantern meadow copper nine");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var again = StaffAccounts.Client(fixture.Factory);
        var againForm = await StaffAccounts.FormFieldsAsync(again, link);
        againForm["Input.Password"] = "a stranger's other phrase";
        using var reused = await again.PostAsync(link, new FormUrlEncodedContent(againForm));
        Assert.Contains("expired or has already been used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAddressWithNoAccount_GetsTheSameAnswer_AndNoEmail()
    {
        var nobody = $"nobody-{Guid.NewGuid():N}@trust.example.org";
        using var client = StaffAccounts.Client(fixture.Factory);

        using var asked = await AskAsync(client, nobody);

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains(Answer, await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Asks are worked through in order: once a later ask's email is queued, the stranger's has been handled.
        var later = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.CommunicationsDirector);
        using (await AskAsync(StaffAccounts.Client(fixture.Factory), later.Email!)) { }
        await OutboxRowForAsync(later.Email!);
        await using var db = fixture.Database.CreateDbContext();
        Assert.False(await db.OutboxMessages.AnyAsync(m => m.ToAddress == nobody));
    }

    [Fact]
    public async Task TheAnswer_DoesNotWaitForTheAccountLookup_SoItsTimingTellsAStrangerNothing()
    {
        // Hold the accounts table so no one can read it: an answer that looked the address up first could not come.
        var office = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.CommunicationsDirector);
        using var client = StaffAccounts.Client(fixture.Factory);
        await using var conn = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE consenthub.staff_users IN ACCESS EXCLUSIVE MODE", conn, tx))
            await lockTable.ExecuteNonQueryAsync();

        using var asked = await AskAsync(client, office.Email!);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains(Answer, await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = fixture.Database.CreateDbContext())
            Assert.False(await db.OutboxMessages.AnyAsync(m => m.ToAddress == office.Email), "the email cannot exist before the lookup");

        // Released, the lookup goes on and the email is queued.
        await tx.RollbackAsync();
        await OutboxRowForAsync(office.Email!);
    }
}
