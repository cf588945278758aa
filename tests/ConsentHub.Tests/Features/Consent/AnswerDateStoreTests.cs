using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace ConsentHub.Tests.Consent;

/// <summary>
/// The database refuses an answer with an impossible time whatever writes it, and the migration that added the
/// rule corrected the rows already stored: recorded in consent_answer_date_corrections, current answers and check
/// facts rebuilt, the audit chain untouched and still verifying.
/// </summary>
public sealed class AnswerDateStoreTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Migration = "HardenAnswerDatesAndOutboxSecrets";

    private static string Ago(TimeSpan span) => DateTimeOffset.UtcNow.Add(-span).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static Task<int> InsertRawAsync(ConsentHub.Data.ConsentHubDbContext db, TestTrust t, Guid pupilId, Guid contactId, string kind, string at, string? recordedAt = null) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO consenthub.consent_answers (pupil_id, academy_id, purpose_id, party_kind, contact_id, kind, method, form_version_id, at, recorded_at, recorded_by, attested)
            VALUES ({pupilId}, {t.NorthAcademyId}, {t.SocialPurposeId}, 'Contact', {contactId}, {kind}, 'Paper', {t.FormVersionId}, {at}::timestamptz, {recordedAt ?? Ago(TimeSpan.Zero)}::timestamptz, 'raw', true)
            """);

    [Theory]
    [InlineData("-infinity")]
    [InlineData("infinity")]
    [InlineData("0001-01-01 00:00:00+00")]
    [InlineData("1900-06-01 00:00:00+00")]
    [InlineData("in an hour")]
    public async Task TheDatabase_RefusesAnImpossibleAnswerTime_WhateverWritesIt(string at)
    {
        if (at == "in an hour") at = Ago(TimeSpan.FromHours(-1));
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4A");

        var e = await Assert.ThrowsAsync<PostgresException>(() => InsertRawAsync(db, t, pupil.Id, mum.Id, "Grant", at));

        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
        Assert.Equal("ck_consent_answers_dates", e.ConstraintName);
        await InsertRawAsync(db, t, pupil.Id, mum.Id, "Grant", Ago(TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task TheMigration_CorrectsStoredImpossibleTimes_RebuildsTheCheck_AndKeepsTheAuditChainValid()
    {
        await using var db = database.CreateDbContext();
        var migrations = db.Database.GetMigrations().ToList();
        var mine = migrations.FindIndex(m => m.EndsWith("_" + Migration, StringComparison.Ordinal));
        Assert.True(mine > 0, "the migration is missing");
        var migrator = db.GetService<IMigrator>();
        // The trust and pupils are written with today's model (later migrations add columns it writes), then the
        // database goes back to before the migration: no constraint, and rows like those the outside test left behind.
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4M", "Mia", "Migrated");
        var (other, otherMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4M", "Max", "Untouched");
        await migrator.MigrateAsync(migrations[mine - 1]);
        await InsertRawAsync(db, t, pupil.Id, mum.Id, "Refuse", Ago(TimeSpan.FromDays(10)), Ago(TimeSpan.FromDays(10)));
        // The grant dated -infinity is "older" than the refusal, so the check said not allowed, for the wrong reason.
        await InsertRawAsync(db, t, pupil.Id, mum.Id, "Grant", "-infinity", Ago(TimeSpan.FromDays(1)));
        await InsertRawAsync(db, t, other.Id, otherMum.Id, "Grant", Ago(TimeSpan.FromDays(3)), Ago(TimeSpan.FromDays(3)));
        var log = AuditTestSupport.Log(database);
        await AuditTestSupport.AppendAsync(database, log, AuditTestSupport.Change(t.NorthAcademyId, pupil.Id.ToString()));
        await AuditTestSupport.AppendAsync(database, log, AuditTestSupport.Change(t.NorthAcademyId, other.Id.ToString()));

        await migrator.MigrateAsync();

        await using var after = database.CreateDbContext();
        var answers = await after.ConsentAnswers.AsNoTracking().Where(a => a.PupilId == pupil.Id).OrderBy(a => a.Id).ToListAsync();
        Assert.All(answers, a => Assert.True(a.At >= AnswerDates.Earliest && a.At <= a.RecordedAt, $"answer {a.Id} at {a.At:O}"));
        var corrected = answers.Single(a => a.Kind == AnswerKind.Grant);
        Assert.Equal(corrected.RecordedAt, corrected.At);
        await using (var cmd = database.DataSource.CreateCommand("SELECT answer_id, original_at FROM consenthub.consent_answer_date_corrections"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(corrected.Id, reader.GetInt64(0));
            Assert.Equal("-infinity", reader.GetString(1));
            Assert.False(await reader.ReadAsync());
        }
        // The corrected grant is now the latest answer, and the check read model says so.
        var current = await after.CurrentAnswers.AsNoTracking().SingleAsync(c => c.PupilId == pupil.Id);
        Assert.Equal((corrected.Id, AnswerKind.Grant), (current.AnswerId, current.Kind));
        var facts = await after.PupilConsentFacts.AsNoTracking().SingleAsync(f => f.PupilId == pupil.Id);
        Assert.Contains($"\"id\" : {corrected.Id}", facts.Facts, StringComparison.Ordinal);
        Assert.DoesNotContain("infinity", facts.Facts, StringComparison.Ordinal);
        Assert.Equal(AnswerKind.Grant, (await after.CurrentAnswers.AsNoTracking().SingleAsync(c => c.PupilId == other.Id)).Kind);

        var chains = await new VerifyAuditChain(database.DataSource).HandleAsync(new VerifyAuditChain.Request());
        Assert.NotEmpty(chains);
        Assert.All(chains, c => Assert.True(c.IsValid, $"chain {c.ChainId}: {c.FirstBrokenLink}"));
        // Append-only again, and the rule holds from now on.
        await Assert.ThrowsAsync<PostgresException>(() =>
            after.Database.ExecuteSqlAsync($"UPDATE consenthub.consent_answers SET kind = 'Refuse' WHERE id = {corrected.Id}"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => InsertRawAsync(after, t, pupil.Id, mum.Id, "Grant", "-infinity"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }
}
