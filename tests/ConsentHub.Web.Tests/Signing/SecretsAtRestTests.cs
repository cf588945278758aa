using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Requests;
using ConsentHub.Staff;
using ConsentHub.Testing.Builders;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// No usable secret rests in the database: after request, receipt, lost-link and invitation emails have gone, the
/// tokens that open pages are only in the delivered mail. Every text, JSON and binary column of every table of the
/// database (the app's and Hangfire's) is searched for each of them.
/// </summary>
[Collection(SigningHost.Name)]
public sealed partial class SecretsAtRestTests(SigningFixture fixture)
{
    [GeneratedRegex(@"https://localhost(/s/[A-Za-z0-9_-]{43}|/sign/change/[A-Za-z0-9_-]{43})")]
    private static partial Regex SigningLink();

    [GeneratedRegex(@"https://localhost/account/set-password\?user=[^&\s]+&token=(?<token>[^\s""<]+)")]
    private static partial Regex SetPasswordLink();

    [Fact]
    public async Task AfterTheEmailsAreSent_NoTableHoldsATokenThatOpensAPage()
    {
        ConsentHub.Pupils.Pupil pupil;
        ConsentHub.Pupils.Contact mum;
        IssuedRequest answered, resent;
        TestTrust trust;
        await using (var db = fixture.Database.CreateDbContext())
        {
            trust = await TestTrust.CreateAsync(db);
            (pupil, mum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 4, "4S", "Sami", "Secret");
            answered = await TestRequests.IssueAsync(db, pupil, mum);
            var (sibling, siblingMum) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 5, "5S", "Sol", "Secret");
            resent = await TestRequests.IssueAsync(db, sibling, siblingMum);
            mum.Email = mum.Email;
        }
        var services = fixture.Factory.Services;
        var office = AccessScope.Academy(trust.NorthAcademyId, "staff:test-office");

        // A request link sent by email (the office's "send a new link").
        Assert.IsType<SendNewSigningLink.Result.Sent>(await services.GetRequiredService<SendNewSigningLink>().HandleAsync(office, resent.Id));
        services.GetRequiredService<ConsentHub.Email.RequestOutboxDrain>().Now();

        // An answer: its receipt carries a change link.
        using var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync("/s/" + answered.Token);
        var dob = await browser.PostAsync("/s/" + answered.Token + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        Assert.Equal(HttpStatusCode.SeeOther, dob.Status);
        await browser.GetAsync(dob.Location!);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var answers = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social);
            var sent = await browser.PostAsync("/s/" + answered.Token, [.. answers, ("responsibility", "yes"), ("signature-name", "Jo Secret")]);
            Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        }

        // An invitation with a set-password link.
        var email = $"new-{Guid.NewGuid():N}@trust.example.org";
        await using (var scope = services.CreateAsyncScope())
        {
            var invited = await scope.ServiceProvider.GetRequiredService<InviteStaff>().HandleAsync(AccessScope.Trust("staff:test-admin"),
                new InviteStaff.Request(email, "Nia Newcomer", StaffRoles.Teacher, trust.NorthAcademyId),
                (id, token) => $"https://localhost/account/set-password?user={id}&token={Uri.EscapeDataString(token)}");
            Assert.IsType<InviteStaff.Result.Invited>(invited);
        }
        services.GetRequiredService<ConsentHub.Email.RequestOutboxDrain>().Now();

        var requestMail = await WaitForMailAsync(m => m.Contains(resent.ShortCode[..4], StringComparison.Ordinal) && m.Contains("/s/", StringComparison.Ordinal));
        var receiptMail = await WaitForMailAsync(m => m.Contains("/sign/change/", StringComparison.Ordinal) && m.Contains("Sami", StringComparison.Ordinal));
        var inviteMail = await WaitForMailAsync(m => m.Contains("set-password", StringComparison.Ordinal) && m.Contains(email, StringComparison.Ordinal) is false && m.Contains("Nia Newcomer", StringComparison.Ordinal));

        var links = SigningLink().Matches(requestMail + receiptMail).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(2, links.Count);
        var secrets = new List<string>();
        foreach (var link in links)
        {
            // Each token really opens a page: it is a live secret, not a stale one.
            using var phone = new SigningBrowser(fixture.Factory);
            Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(link)).Status);
            secrets.Add(link[(link.LastIndexOf('/') + 1)..]);
        }
        var resetToken = SetPasswordLink().Match(inviteMail).Groups["token"].Value;
        Assert.NotEmpty(resetToken);
        secrets.Add(resetToken);
        secrets.Add(Uri.UnescapeDataString(resetToken));

        await WaitUntilOutboxSentAsync();
        var found = await FindInDatabaseAsync(secrets);
        Assert.True(found.Count == 0, "Secrets found at rest: " + string.Join("; ", found));
    }

    private async Task<string> WaitForMailAsync(Func<string, bool> match)
    {
        for (var i = 0; i < 300; i++)
        {
            foreach (var m in fixture.Smtp.Messages)
            {
                var text = (m.Message.TextBody ?? "") + (m.Message.HtmlBody ?? "");
                if (match(text)) return text;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No such message among {fixture.Smtp.Messages.Count}.");
    }

    private async Task WaitUntilOutboxSentAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            await using var cmd = fixture.Database.DataSource.CreateCommand("SELECT count(*) FROM consenthub.outbox_messages WHERE status IN ('Pending', 'Sending')");
            if ((long)(await cmd.ExecuteScalarAsync())! == 0) return;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("The outbox did not drain.");
    }

    /// <summary>Every column of every table whose type can hold text, searched for each secret (as text and as UTF-8 bytes).</summary>
    private async Task<List<string>> FindInDatabaseAsync(IReadOnlyList<string> secrets)
    {
        var columns = new List<(string Schema, string Table, string Column, string Type)>();
        await using (var cmd = fixture.Database.DataSource.CreateCommand("""
            SELECT c.table_schema, c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
              AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        Assert.Contains(columns, c => c.Table == "outbox_messages" && c.Column == "text_body");
        var found = new List<string>();
        foreach (var (schema, table, column, type) in columns)
        {
            var value = type == "bytea" ? $"encode(\"{column}\", 'escape')" : $"\"{column}\"::text";
            await using var cmd = fixture.Database.DataSource.CreateCommand(
                $"SELECT count(*) FROM \"{schema}\".\"{table}\" WHERE strpos({value}, $1) > 0");
            foreach (var secret in secrets)
            {
                cmd.Parameters.Clear();
                cmd.Parameters.AddWithValue(secret);
                if ((long)(await cmd.ExecuteScalarAsync())! > 0) found.Add($"{schema}.{table}.{column}");
            }
        }
        return found;
    }
}
