using ConsentHub.Access;
using ConsentHub.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ConsentHub.Forms;

/// <summary>
/// The background job behind a form pack: loads the forms, lays them out as one PDF and stores it, writing its
/// progress as it goes so the page can show a bar. Safe to run twice: a pack already built is left alone, and a
/// run that died part-way is simply built again. Also deletes packs past their lifetime.
/// </summary>
public sealed partial class BuildFormPack(
    IDbContextFactory<ConsentHubDbContext> factory, LoadConsentForms load, RenderConsentForms render, TimeProvider clock, ILogger<BuildFormPack> logger)
{
    /// <summary>Progress is written at most this often, so a big pack costs a few dozen small updates.</summary>
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(400);

    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(Guid packId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        await db.FormPacks.Where(p => p.ExpiresAt < now).ExecuteDeleteAsync(ct);

        var pack = await db.FormPacks.AsNoTracking().FirstOrDefaultAsync(p => p.Id == packId, ct);
        if (pack is null || pack.Status is FormPackStatus.Ready or FormPackStatus.Failed) return;

        var scope = AccessScope.Academy(pack.AcademyId, "job:form-pack");
        var forms = await load.HandleAsync(scope, new FormSelection(pack.AcademyId, pack.YearGroup, pack.RegistrationGroup, pack.OnlyWithoutEmail), ct);
        await db.FormPacks.Where(p => p.Id == packId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, FormPackStatus.Running).SetProperty(p => p.Total, forms.Count).SetProperty(p => p.Done, 0), ct);

        try
        {
            var lastReport = clock.GetTimestamp();
            var reported = 0;
            var rendered = render.Handle(forms, $"Consent forms: {pack.Description}", done =>
            {
                if (clock.GetElapsedTime(lastReport) < ProgressEvery) return;
                lastReport = clock.GetTimestamp();
                reported = done;
                // The job runs on one thread; a short synchronous update keeps the layout code free of async.
                using var progress = factory.CreateDbContext();
                progress.FormPacks.Where(p => p.Id == packId).ExecuteUpdate(s => s.SetProperty(p => p.Done, done));
            });
            ct.ThrowIfCancellationRequested();
            await db.FormPacks.Where(p => p.Id == packId).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, FormPackStatus.Ready)
                .SetProperty(p => p.Done, forms.Count)
                .SetProperty(p => p.Pages, rendered.Pages)
                .SetProperty(p => p.Content, rendered.Pdf)
                .SetProperty(p => p.CompletedAt, clock.GetUtcNow()), ct);
            LogBuilt(logger, packId, forms.Count, rendered.Pages, rendered.Pdf.Length, reported);
            if (rendered.ReplacedCharacters > 0) LogReplaced(logger, packId, rendered.ReplacedCharacters);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, packId);
            await db.FormPacks.Where(p => p.Id == packId).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, FormPackStatus.Failed)
                .SetProperty(p => p.Error, "The pack could not be made. Try again; if it fails again, tell the trust's administrator."), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Form pack {PackId}: {Forms} forms, {Pages} pages, {Bytes} bytes (progress last written at {Reported}).")]
    private static partial void LogBuilt(ILogger logger, Guid packId, int forms, int pages, int bytes, int reported);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Form pack {PackId}: {Count} characters had no glyph and print as U+FFFD.")]
    private static partial void LogReplaced(ILogger logger, Guid packId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Form pack {PackId} failed.")]
    private static partial void LogFailed(ILogger logger, Exception ex, Guid packId);
}
