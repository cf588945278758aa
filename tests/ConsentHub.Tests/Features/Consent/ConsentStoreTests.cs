using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConsentHub.Tests.Consent;

/// <summary>What the database itself guarantees about answers and published wording, whatever code writes.</summary>
public sealed class ConsentStoreTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static ConsentAnswer Answer(TestTrust t, Guid pupilId, Guid contactId, AnswerKind kind, DateTimeOffset at) => new()
    {
        PupilId = pupilId,
        AcademyId = t.NorthAcademyId,
        PurposeId = t.SocialPurposeId,
        PartyKind = PartyKind.Contact,
        ContactId = contactId,
        Kind = kind,
        Method = AnswerMethod.Paper,
        FormVersionId = t.FormVersionId,
        At = at,
        RecordedAt = DateTimeOffset.UtcNow,
        RecordedBy = "test",
        Attested = true,
    };

    [Fact]
    public async Task AnAnswer_CanNeverBeEditedOrDeleted()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4A");
        db.ConsentAnswers.Add(Answer(t, pupil.Id, mum.Id, AnswerKind.Grant, DateTimeOffset.UtcNow.AddDays(-1)));
        await db.SaveChangesAsync();

        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"UPDATE consenthub.consent_answers SET kind = 'Refuse' WHERE pupil_id = {pupil.Id}"));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"DELETE FROM consenthub.consent_answers WHERE pupil_id = {pupil.Id}"));
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await db.ConsentAnswers.CountAsync(a => a.PupilId == pupil.Id));
    }

    [Fact]
    public async Task TheCurrentAnswer_IsTheLatestByTime_EvenWhenAnOlderOneIsRecordedLater()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4B");
        var now = DateTimeOffset.UtcNow;
        db.ConsentAnswers.Add(Answer(t, pupil.Id, mum.Id, AnswerKind.Withdraw, now.AddDays(-1)));
        await db.SaveChangesAsync();
        // A paper form dated last month arrives today: it is history, not the current answer.
        db.ConsentAnswers.Add(Answer(t, pupil.Id, mum.Id, AnswerKind.Grant, now.AddDays(-30)));
        await db.SaveChangesAsync();

        var current = await db.CurrentAnswers.AsNoTracking().SingleAsync(c => c.PupilId == pupil.Id);
        Assert.Equal(AnswerKind.Withdraw, current.Kind);
        Assert.Equal(mum.Id, current.PartyId);
    }

    [Fact]
    public async Task PublishedWording_IsFrozen_ButADraftCanBeEdited()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var draft = new FormVersion { Id = Guid.NewGuid(), Label = "draft-" + Guid.NewGuid().ToString("N")[..6] };
        draft.Wordings.Add(new FormWording { Id = Guid.NewGuid(), PurposeId = t.SocialPurposeId, Audience = Audience.Parent, Language = "en", Text = "First draft" });
        db.FormVersions.Add(draft);
        await db.SaveChangesAsync();

        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.form_wordings SET text = 'Second draft' WHERE form_version_id = {draft.Id}");
        await db.Database.ExecuteSqlAsync($"UPDATE consenthub.form_versions SET published_at = now() WHERE id = {draft.Id}");

        var edit = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"UPDATE consenthub.form_wordings SET text = 'Sneaky edit' WHERE form_version_id = {draft.Id}"));
        Assert.Contains("is published", edit.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"UPDATE consenthub.form_versions SET published_at = NULL WHERE id = {draft.Id}"));
        Assert.Equal("Second draft", await db.FormWordings.Where(w => w.FormVersionId == draft.Id).Select(w => w.Text).SingleAsync());
    }
}
