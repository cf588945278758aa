using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Tests.Consent;

/// <summary>
/// Rules the database states again for its queries must say what the rule engine says: who may answer
/// (<c>consenthub.may_answer</c> against <see cref="ConsentRules.MayAnswer"/>) and which answer is a party's latest
/// (the current-answer projection against <see cref="ConsentRules.LatestByParty"/>), over one table of cases each.
/// </summary>
public sealed class RuleParityTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly DateOnly Today = new(2026, 11, 24);

    /// <summary>Party, year group, left (days from today), linked to the pupil, parental responsibility, no-contact order, may answer.</summary>
    public static TheoryData<PartyKind, int, int?, bool, bool, bool, bool> WhoMayAnswerCases => new()
    {
        { PartyKind.Contact, 4, null, true, true, false, true },
        { PartyKind.Contact, 4, null, true, false, false, false },
        { PartyKind.Contact, 4, null, true, true, true, false },
        { PartyKind.Contact, 4, null, true, false, true, false },
        { PartyKind.Contact, 4, null, false, false, false, false },
        { PartyKind.Contact, 12, null, true, true, false, true },
        { PartyKind.Contact, -2, null, true, true, false, true },
        { PartyKind.Contact, 9, 0, true, true, false, false },
        { PartyKind.Contact, 9, -30, true, true, false, false },
        { PartyKind.Contact, 9, 1, true, true, false, true },
        { PartyKind.Pupil, 6, null, false, false, false, false },
        { PartyKind.Pupil, 7, null, false, false, false, true },
        { PartyKind.Pupil, 13, null, false, false, false, true },
        { PartyKind.Pupil, 0, null, false, false, false, false },
        { PartyKind.Pupil, 11, 0, false, false, false, false },
        { PartyKind.Pupil, 11, -1, false, false, false, false },
        { PartyKind.Pupil, 11, 30, false, false, false, true },
    };

    [Theory]
    [MemberData(nameof(WhoMayAnswerCases))]
    public async Task WhoMayAnswer_TheDatabaseAndTheRuleEngineAgree(PartyKind party, int year, int? leftInDays, bool linked, bool parentalResponsibility, bool noContactOrder, bool expected)
    {
        DateOnly? leftOn = leftInDays is { } d ? Today.AddDays(d) : null;
        var contact = linked ? new ContactFacts(Guid.NewGuid(), "Mrs Jane Smith", parentalResponsibility, noContactOrder) : null;

        var engine = ConsentRules.MayAnswer(party, YearGroup.Year(year), leftOn, contact, Today);

        await using var conn = new NpgsqlConnection(database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT consenthub.may_answer(@party, @year, @left, @pr, @nco, @today)", conn);
        cmd.Parameters.AddWithValue("party", party.ToString());
        cmd.Parameters.AddWithValue("year", year);
        cmd.Parameters.Add(new NpgsqlParameter("left", NpgsqlTypes.NpgsqlDbType.Date) { Value = leftOn is { } l ? l : DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("pr", NpgsqlTypes.NpgsqlDbType.Boolean) { Value = linked ? parentalResponsibility : DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("nco", NpgsqlTypes.NpgsqlDbType.Boolean) { Value = linked ? noContactOrder : DBNull.Value });
        cmd.Parameters.AddWithValue("today", Today);
        var database_ = (bool)(await cmd.ExecuteScalarAsync())!;

        Assert.Equal(expected, engine);
        Assert.Equal(expected, database_);
    }

    /// <summary>Answers of one parent in the order they are recorded: kind and how many minutes before now each was given.</summary>
    public static TheoryData<string, (AnswerKind Kind, int MinutesAgo)[]> LatestAnswerCases => new()
    {
        { "in order", [(AnswerKind.Grant, 60), (AnswerKind.Withdraw, 30)] },
        { "an older paper form recorded later", [(AnswerKind.Withdraw, 30), (AnswerKind.Grant, 600)] },
        { "two at the same instant: the later recorded", [(AnswerKind.Grant, 10), (AnswerKind.Refuse, 10)] },
        { "the same instant the other way round", [(AnswerKind.Refuse, 10), (AnswerKind.Grant, 10)] },
        { "a change of mind and back", [(AnswerKind.Grant, 90), (AnswerKind.Withdraw, 60), (AnswerKind.Grant, 30)] },
        { "late arrivals around a tie", [(AnswerKind.Grant, 5), (AnswerKind.Withdraw, 50), (AnswerKind.Refuse, 5), (AnswerKind.Grant, 500)] },
    };

    [Theory]
    [MemberData(nameof(LatestAnswerCases))]
    public async Task LatestAnswer_TheProjectionAndTheRuleEngineAgree(string scenario, (AnswerKind Kind, int MinutesAgo)[] answers)
    {
        Assert.False(string.IsNullOrEmpty(scenario));
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4L");
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        foreach (var (kind, minutesAgo) in answers)
        {
            // One at a time, each in its own statement: the order they are recorded in is the append order.
            db.ConsentAnswers.Add(new ConsentAnswer
            {
                PupilId = pupil.Id,
                AcademyId = t.NorthAcademyId,
                PurposeId = t.SocialPurposeId,
                PartyKind = PartyKind.Contact,
                ContactId = mum.Id,
                Kind = kind,
                Method = AnswerMethod.Paper,
                FormVersionId = t.FormVersionId,
                At = now.AddMinutes(-minutesAgo),
                RecordedAt = now,
                RecordedBy = "test",
                Attested = true,
            });
            await db.SaveChangesAsync();
        }

        var history = await db.ConsentAnswers.AsNoTracking().Where(a => a.PupilId == pupil.Id).ToListAsync();
        var facts = history.Select(a => new AnswerFacts(a.PartyKind, a.ContactId, a.Kind, a.At, a.Id)).ToList();
        var engine = ConsentRules.LatestByParty(facts).Single().Value;
        var projected = await db.CurrentAnswers.AsNoTracking().SingleAsync(c => c.PupilId == pupil.Id);

        Assert.Equal(engine.Sequence, projected.AnswerId);
        Assert.Equal(engine.Kind, projected.Kind);
    }
}
