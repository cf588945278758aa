using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.PaperReturns;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ConsentHub.Web.Api;

/// <summary>JSON API v1: consent checks for one pupil or a roster, academy summaries, staff-entered answers.</summary>
public static class ConsentApi
{
    public const string Policy = "api";

    public static IEndpointRouteBuilder MapConsentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policy).WithTags("Consent");

        api.MapGet("/pupils/{pupilId:guid}/consent", GetPupilConsent)
            .WithName("GetPupilConsent").WithSummary("Whether a pupil may be featured, per purpose, and why.");
        api.MapGet("/academies/{academyId:guid}/roster", GetRoster)
            .WithName("GetRoster").WithSummary("Consent for every pupil of a class or year group (or the academy) in one call.");
        api.MapGet("/academies/{academyId:guid}/changes", GetChanges)
            .WithName("GetChanges").WithSummary("Pupils whose decisions changed since a time, oldest change first, a page at a time (for tools that sync).");
        api.MapGet("/academies/{academyId:guid}/summary", GetSummary)
            .WithName("GetAcademySummary").WithSummary("Counts of pupils by purpose and status.");
        api.MapGet("/summary", GetScopeSummary)
            .WithName("GetSummaryByAcademy").WithSummary("Counts of pupils by academy, purpose and status for everything the key may see.");
        api.MapPost("/pupils/{pupilId:guid}/consent-answers", PostAnswer)
            .WithName("RecordConsentAnswer").WithSummary("Record a paper or spoken answer, attested by the member of staff.");
        return app;
    }

    private static async Task<Results<Ok<PupilConsentDto>, ProblemHttpResult, ValidationProblem>> GetPupilConsent(
        Guid pupilId, string? purpose, HttpContext http, ConsentStatusReader reader, IAuditLog audit, CancellationToken ct)
    {
        if (purpose is not null && !await reader.PurposeExistsAsync(purpose, ct))
            return TypedResults.ValidationProblem(Field("purpose", $"There is no purpose with the key '{purpose}'."));
        var scope = ApiKeyAuthenticationHandler.ScopeOf(http.User);
        var consent = await reader.ForPupilAsync(scope, pupilId, purpose, ct);
        if (consent is null) return NotFound("pupil", pupilId);
        AuditCheck(audit, scope.Actor, consent, "api");
        return TypedResults.Ok(PupilConsentDto.From(consent));
    }

    private static async Task<Results<Ok<RosterDto>, ProblemHttpResult, ValidationProblem>> GetRoster(
        Guid academyId, [FromQuery(Name = "class")] string? registrationGroup, string? year, string? purpose,
        HttpContext http, ConsentStatusReader reader, IAuditLog audit, CancellationToken ct)
    {
        YearGroup? yearGroup = null;
        if (year is not null)
        {
            if (!YearGroup.TryParse(year, out var y))
                return TypedResults.ValidationProblem(Field("year", $"'{year}' is not a year group: use N1, N2, R or 1–13."));
            yearGroup = y;
        }
        if (purpose is not null && !await reader.PurposeExistsAsync(purpose, ct))
            return TypedResults.ValidationProblem(Field("purpose", $"There is no purpose with the key '{purpose}'."));
        var scope = ApiKeyAuthenticationHandler.ScopeOf(http.User);
        if (!await reader.AcademyVisibleAsync(scope, academyId, ct)) return NotFound("academy", academyId);

        var pupils = await reader.ForRosterAsync(scope, new RosterFilter(academyId, string.IsNullOrWhiteSpace(registrationGroup) ? null : registrationGroup.Trim(), yearGroup), purpose, ct);
        foreach (var p in pupils) AuditCheck(audit, scope.Actor, p, "api-roster");
        return TypedResults.Ok(new RosterDto(academyId, registrationGroup, yearGroup?.Code, pupils.Count, [.. pupils.Select(PupilConsentDto.From)]));
    }

    public const int DefaultChangesPage = 200;
    public const int MaxChangesPage = 1000;

    private static async Task<Results<Ok<ChangesDto>, ProblemHttpResult, ValidationProblem>> GetChanges(
        Guid academyId, string? since, string? cursor, string? limit, HttpContext http, ConsentStatusReader reader, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var parsed)
                || !since.Contains('T', StringComparison.Ordinal))
                return TypedResults.ValidationProblem(Field("since", $"'{since}' is not a time: use ISO 8601 with an offset, e.g. 2026-09-03T09:15:00Z."));
            from = parsed;
        }
        var size = DefaultChangesPage;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxChangesPage))
            return TypedResults.ValidationProblem(Field("limit", $"Ask for between 1 and {MaxChangesPage} pupils a page."));
        ConsentStatusReader.ChangesCursor? after = null;
        if (cursor is not null)
        {
            after = ChangesCursorText.Parse(cursor);
            if (after is null)
                return TypedResults.ValidationProblem(Field("cursor", "This cursor was not given by this API: pass nextCursor from the previous page unchanged."));
        }

        var scope = ApiKeyAuthenticationHandler.ScopeOf(http.User);
        if (!await reader.AcademyVisibleAsync(scope, academyId, ct)) return NotFound("academy", academyId);
        var asOf = clock.GetUtcNow();
        var page = await reader.ChangesAsync(scope, academyId, from, after, size + 1, ct);
        var more = page.Count > size;
        var pupils = more ? page.Take(size).ToList() : page;
        foreach (var p in pupils) AuditCheck(audit, scope.Actor, p, "api-changes");
        var next = more ? ChangesCursorText.Format(new ConsentStatusReader.ChangesCursor(pupils[^1].FeedChangedAt!.Value, pupils[^1].PupilId)) : null;
        return TypedResults.Ok(new ChangesDto(academyId, from, asOf, pupils.Count,
            [.. pupils.Select(p => new ChangedPupilDto(p.FeedChangedAt!.Value, PupilConsentDto.From(p)))], next));
    }

    private static async Task<Results<Ok<SummaryDto>, ProblemHttpResult>> GetSummary(
        Guid academyId, HttpContext http, CountConsentByAcademy counts, IAuditLog audit, CancellationToken ct)
    {
        var scope = ApiKeyAuthenticationHandler.ScopeOf(http.User);
        if ((await counts.HandleAsync(scope, academyId, ct)).SingleOrDefault() is not { } academy) return NotFound("academy", academyId);
        audit.RecordRead(new AuditEvent(academyId, scope.Actor, "consent.summary-viewed", "Academy", academyId.ToString()));
        return TypedResults.Ok(new SummaryDto(academyId, academy.Pupils,
            [.. academy.Purposes.Select(p => new PurposeSummaryDto(p.PurposeKey, p.PurposeName, p.Counts))]));
    }

    private static async Task<Ok<IReadOnlyList<CountConsentByAcademy.AcademyCounts>>> GetScopeSummary(
        HttpContext http, CountConsentByAcademy counts, IAuditLog audit, CancellationToken ct)
    {
        var scope = ApiKeyAuthenticationHandler.ScopeOf(http.User);
        var result = await counts.HandleAsync(scope, null, ct);
        audit.RecordRead(new AuditEvent(scope.Level == Access.ScopeLevel.Academy ? scope.Id : null, scope.Actor, "consent.summary-viewed",
            Data: new Dictionary<string, object?> { ["academies"] = result.Count }));
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Created<RecordedAnswerDto>, ProblemHttpResult, ValidationProblem>> PostAnswer(
        Guid pupilId, RecordAnswerBody? body, HttpContext http, RecordConsentAnswer record, ConsentStatusReader reader, CancellationToken ct)
    {
        if (body is null) return TypedResults.ValidationProblem(Field("body", "Send the answer as a JSON object."));
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Purpose)) errors["purpose"] = ["Say which purpose the answer is for."];
        var party = ParseEnum<PartyKind>(body.Party, "party", "'pupil' or 'contact'", errors);
        var answer = ParseEnum<AnswerKind>(body.Answer, "answer", "'grant', 'refuse' or 'withdraw'", errors);
        var method = ParseEnum<AnswerMethod>(body.Method, "method", "'paper' or 'recordedByStaff'", errors);
        if (body.Attested is null) errors["attested"] = ["Say whether you have seen the signed form or heard the answer (attested: true)."];
        var key = IdempotencyKeyOf(http.Request, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var scope = ApiKeyAuthenticationHandler.ScopeOf(http.User);
        var idempotency = key is null ? null : new RecordConsentAnswer.Idempotency(scope.Actor, key, RequestHash(pupilId, body));
        var recordedBy = string.IsNullOrWhiteSpace(body.RecordedBy) ? "" : $"{body.RecordedBy!.Trim()} (via {scope.Actor})";
        var result = await record.HandleAsync(scope with { Actor = recordedBy.Length > 0 ? recordedBy : scope.Actor },
            new RecordConsentAnswer.Request(pupilId, body.Purpose!, party!.Value, body.ContactId, answer!.Value, method!.Value, body.Attested!.Value,
                body.RecordedBy ?? "", body.At, body.FormVersion, body.ScanReference, body.Note, idempotency), ct);
        switch (result)
        {
            case RecordConsentAnswer.Result.NotFound:
                return NotFound("pupil", pupilId);
            case RecordConsentAnswer.Result.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors);
            case RecordConsentAnswer.Result.KeyReused:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key already used",
                    detail: $"This Idempotency-Key was used for a different answer in the last {RecordConsentAnswer.IdempotencyWindow.TotalHours:0} hours: send a new key with each new answer.");
            case RecordConsentAnswer.Result.Replayed replayed:
                // The first request's answer: nothing new was recorded.
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return await CreatedAsync(replayed.AnswerId);
            case RecordConsentAnswer.Result.Recorded recorded:
                return await CreatedAsync(recorded.AnswerId);
            default:
                throw new InvalidOperationException("Unexpected result.");
        }

        async Task<Created<RecordedAnswerDto>> CreatedAsync(long answerId)
        {
            var consent = await reader.ForPupilAsync(scope, pupilId, body.Purpose, ct);
            var dto = PupilConsentDto.From(consent!).Purposes.Single();
            return TypedResults.Created($"/api/v1/pupils/{pupilId}/consent?purpose={Uri.EscapeDataString(body.Purpose!)}", new RecordedAnswerDto(answerId, dto));
        }
    }

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The optional Idempotency-Key header: 1–255 visible ASCII characters (a UUID is the usual choice).</summary>
    private static string? IdempotencyKeyOf(HttpRequest request, Dictionary<string, string[]> errors)
    {
        if (!request.Headers.TryGetValue(IdempotencyKeyHeader, out var values)) return null;
        var key = values.Count == 1 ? values[0] : null;
        if (key is { Length: >= 1 and <= 255 } && key.All(c => c is >= '!' and <= '~')) return key;
        errors[IdempotencyKeyHeader] = ["Send one Idempotency-Key of 1 to 255 visible ASCII characters (a new UUID for each answer), or none."];
        return null;
    }

    /// <summary>What the request asked, so a key sent again with a different answer is refused rather than replayed.</summary>
    private static string RequestHash(Guid pupilId, RecordAnswerBody body)
    {
        var fields = string.Join('\u001f', pupilId.ToString(), body.Purpose, body.Party?.Trim().ToLowerInvariant(), body.ContactId?.ToString(),
            body.Answer?.Trim().ToLowerInvariant(), body.Method?.Trim().ToLowerInvariant(), body.Attested?.ToString(), body.RecordedBy?.Trim(),
            body.At?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture), body.FormVersion, body.ScanReference, body.Note);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fields)));
    }

    private static void AuditCheck(IAuditLog audit, string actor, PupilConsent p, string via) =>
        audit.RecordRead(new AuditEvent(p.AcademyId, actor, "consent.checked", "Pupil", p.PupilId.ToString(), p.PupilId,
            new Dictionary<string, object?>
            {
                ["via"] = via,
                ["answers"] = p.Purposes.ToDictionary(d => d.Key, d => (object?)d.Decision.Status.ToString()),
            }));

    private static T? ParseEnum<T>(string? value, string field, string allowed, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (!string.IsNullOrWhiteSpace(value) && Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
            return parsed;
        errors[field] = [string.IsNullOrWhiteSpace(value) ? $"Missing: use {allowed}." : $"'{value}' is not allowed here: use {allowed}."];
        return null;
    }

    private static Dictionary<string, string[]> Field(string name, string message) => new() { [name] = [message] };

    private static ProblemHttpResult NotFound(string what, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}",
            detail: $"There is no {what} {id} that this key may see.");
}
