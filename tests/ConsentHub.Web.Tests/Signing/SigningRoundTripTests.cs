using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// What a signing POST costs the database in round trips: every command Npgsql sends while the host handles the
/// POST (one per command or batch; the commit is not a command), counted from Npgsql's own activity source.
/// </summary>
[Collection(SigningHost.Name)]
public sealed class SigningRoundTripTests(SigningFixture fixture)
{
    [Fact]
    public async Task SigningPost_ParentWithEmail_RecordsEverythingInNineCommandsAndTheCommit()
    {
        ConsentHub.Pupils.Pupil pupil;
        IssuedRequest request;
        List<(string, string)> answers;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var trust = await TestTrust.CreateAsync(db);
            (pupil, var parent) = await TestTrust.AddPupilAsync(db, trust.NorthAcademyId, 3, "3R", "Rhys", "Roundtrip");
            request = await TestRequests.IssueAsync(db, pupil, parent);
            answers = await SigningTestData.AnswersAsync(db, trust.FormVersionId, Audience.Parent, TestTrust.Social);
        }
        using var browser = new SigningBrowser(fixture.Factory);
        await browser.GetAsync("/s/" + request.Token);
        var confirmed = await browser.PostAsync("/s/" + request.Token + "/dob", SigningTestData.Dob(pupil.DateOfBirth));
        await browser.GetAsync(confirmed.Location!);

        // The POST carries its own trace (a traceparent header with a fresh trace id) and only commands in that trace
        // are counted: the listener hears every host in this process, and other tests' requests (a staff sign-in,
        // say) run beside this one.
        var trace = ActivityTraceId.CreateRandom();
        var commands = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name != "Npgsql" || activity.TraceId != trace) return;
                for (var a = activity.Parent; a is not null; a = a.Parent)
                {
                    if (a.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn")
                    {
                        commands.Enqueue(activity.DisplayName + ": " + (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")));
                        return;
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        browser.Client.DefaultRequestHeaders.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var posted = await browser.PostAsync("/s/" + request.Token, [.. answers, ("responsibility", "yes"), ("signature-name", "Rhian Roundtrip")]);

        Assert.Equal(HttpStatusCode.SeeOther, posted.Status);
        await using (var check = fixture.Database.CreateDbContext())
        {
            Assert.Equal(1, await check.OnlineSubmissions.CountAsync(s => s.SignatureRequestId == request.Id));
            Assert.Equal(answers.Count, await check.ConsentAnswers.CountAsync(a => a.SignatureRequestId == request.Id));
            Assert.Equal(1, await check.SignerLinks.CountAsync(l => l.PupilId == pupil.Id && l.RevokedAt == null));
        }
        // The link's token to its request (the endpoint); the target locked with the people it names; the form, its
        // wording and the current answers; the request marked answered with the submission, its answers, earlier
        // change links revoked and the new link's lifetime; the new change link; the receipt email; the audit chain's
        // head (created too: this academy's first entry) and the entry. Was 20 commands and the commit.
        // At least the lock, the form and the writes: a count of nothing would mean the trace was not followed.
        Assert.True(commands.Count is >= 3 and <= 9, $"{commands.Count} commands:\n{string.Join("\n", commands)}");
    }
}
