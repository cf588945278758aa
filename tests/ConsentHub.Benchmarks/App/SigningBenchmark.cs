using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Data;
using ConsentHub.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConsentHub.Benchmarks.App;

/// <summary>
/// <c>dotnet run -c Release --project tests/ConsentHub.Benchmarks -- signing [--signers 50] [--requests 2000] [--warmup 15s]</c>:
/// parents signing the consent form online through the real host (separate process, Production, Kestrel on
/// loopback) against the large demo trust. Every signer answers its own open request (one per pupil, a parent with
/// parental responsibility and an email address, so every POST records a real answer set and queues a receipt).
/// A signer opens the link, posts the date of birth, opens the form and then posts the answers: only that last
/// POST, "the signing POST", is what the figures are about; the other steps are timed separately. An in-process
/// client (SocketsHttpHandler) plays the signers, each keeping its own cookies, because every signer needs its own
/// token, cookie and antiforgery token, which a wrk script cannot carry from one response into the next request.
/// <para>
/// Phases: warm-up (journeys for <c>--warmup</c>, discarded), then <b>journey</b> (<c>--signers</c> signers at once,
/// each doing the whole journey, one request after another), then <b>posts</b> (the same number of sessions
/// prepared first, then the signing POSTs only, <c>--signers</c> at once). Afterwards the database must hold
/// exactly one submission and one answer per purpose for every POST that succeeded, and nothing for any that did
/// not; otherwise the run fails.
/// </para>
/// </summary>
public static partial class SigningBenchmark
{
    public const string Usage = "Usage: dotnet run -c Release --project tests/ConsentHub.Benchmarks -- signing [--signers 50] [--requests 2000] [--warmup 15s] [--profile]";

    /// <summary>At most this many requests are used up by the warm-up, however fast the host is.</summary>
    private const int WarmUpCap = 4000;

    /// <summary>Bursts of --signers POSTs at one academy.</summary>
    private const int BurstRounds = 4;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        if (!TryParse(args, out var signers, out var perPhase, out var warmUp, out var profile, out var error))
        {
            await Console.Error.WriteLineAsync(error + "\n" + Usage);
            return 2;
        }

        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start(statementStatistics: profile);
        await using var release = new AsyncCallbackDisposable(LargeTrust.ReleaseAsync);
        var large = await LargeTrust.GetAsync(new BenchmarkContext(cluster.Cluster, new BenchmarkOptions()), ct);

        var watch = Stopwatch.StartNew();
        var prepared = await PrepareRequestsAsync(large, WarmUpCap + 2 * perPhase, ct);
        Console.WriteLine($"  {prepared.Count:N0} open requests prepared in {watch.Elapsed.TotalSeconds:F1} s (one per pupil, {prepared.Select(p => p.AcademyId).Distinct().Count()} academies)");
        // The burst at one academy: every signer on the same audit chain, as when an academy has just sent its forms.
        var oneAcademy = await PrepareRequestsAsync(large, BurstRounds * signers, ct, academy: await LargestAcademyAsync(large, ct));
        Console.WriteLine($"  {oneAcademy.Count:N0} more at one academy for the burst");
        await PrepareBaselineAsync(large.ConnectionString, ct);
        Console.WriteLine($"  host process id {large.App.ProcessId}");

        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = signers,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        using var http = new HttpClient(handler) { BaseAddress = large.App.Url, Timeout = TimeSpan.FromSeconds(60) };
        var queue = new RequestQueue(prepared);

        // Warm-up: whole journeys for a while, so tiered JIT, pools and caches settle. Its figures are discarded.
        Console.WriteLine($"[signing] warm-up {warmUp.TotalSeconds:F0} s: {signers} signers, whole journeys");
        var warm = new PhaseResult("warm-up");
        await JourneysAsync(http, queue, signers, warm, until: Stopwatch.StartNew(), warmUp, maxCount: WarmUpCap, ct);
        Console.WriteLine($"  warm-up: {warm.Post.Count:N0} signings, {warm.Errors.Count} errors{FirstErrors(warm)}");

        // Journey: every signer does the whole journey; only the final POST is "the signing POST".
        CpuReading Cpu() => CpuReading.Take(large.App.ProcessId, cluster.Cluster.DataDirectory);
        var journey = new PhaseResult("journey");
        var load1 = Load();
        var cpu1 = Cpu();
        var journeyWatch = Stopwatch.StartNew();
        await JourneysAsync(http, queue, signers, journey, until: null, TimeSpan.Zero, maxCount: perPhase, ct);
        journey.Elapsed = journeyWatch.Elapsed;
        journey.Cpu = Cpu() - cpu1;
        journey.LoadBefore = load1;
        journey.LoadAfter = Load();

        // Posts: sessions prepared first (link, date of birth, form), then only the signing POSTs, all at once.
        var posts = new PhaseResult("posts");
        var sessions = new ConcurrentBag<Session>();
        await Parallel.ForAsync(0, perPhase, new ParallelOptions { MaxDegreeOfParallelism = signers, CancellationToken = ct }, async (_, token) =>
        {
            if (!queue.TryTake(out var request)) return;
            try
            {
                sessions.Add(await OpenAsync(http, request, posts, token));
            }
            catch (SigningStepException e)
            {
                posts.Errors.Add(e.Message);
            }
        });
        if (profile) await ResetStatementStatisticsAsync(large.ConnectionString, ct);
        var load2 = Load();
        var cpu2 = Cpu();
        var postsWatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = signers, CancellationToken = ct }, async (session, token) =>
        {
            try
            {
                await SubmitAsync(http, session, posts, token);
            }
            catch (SigningStepException e)
            {
                posts.Errors.Add(e.Message);
            }
        });
        posts.Elapsed = postsWatch.Elapsed;
        posts.Cpu = Cpu() - cpu2;
        posts.LoadBefore = load2;
        posts.LoadAfter = Load();
        if (profile) await PrintStatementStatisticsAsync(large.ConnectionString, posts.Post.Count, ct);

        // One academy: bursts of --signers POSTs at once, all on that academy's audit chain.
        var burst = new PhaseResult("one academy");
        var burstQueue = new RequestQueue(oneAcademy);
        burst.LoadBefore = Load();
        for (var round = 0; round < BurstRounds; round++)
        {
            var ready = new ConcurrentBag<Session>();
            await Parallel.ForAsync(0, signers, new ParallelOptions { MaxDegreeOfParallelism = signers, CancellationToken = ct }, async (_, token) =>
            {
                if (!burstQueue.TryTake(out var request)) return;
                try
                {
                    ready.Add(await OpenAsync(http, request, burst, token));
                }
                catch (SigningStepException e)
                {
                    burst.Errors.Add(e.Message);
                }
            });
            var before = Cpu();
            var roundWatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(ready, new ParallelOptions { MaxDegreeOfParallelism = signers, CancellationToken = ct }, async (session, token) =>
            {
                try
                {
                    await SubmitAsync(http, session, burst, token);
                }
                catch (SigningStepException e)
                {
                    burst.Errors.Add(e.Message);
                }
            });
            burst.Elapsed += roundWatch.Elapsed;
            burst.Cpu += Cpu() - before;
        }
        burst.LoadAfter = Load();

        // The floor: raw Npgsql writing the same rows in one transaction, at the same concurrency, in the same run.
        var baseline = new PhaseResult("raw baseline");
        var shape = await ReceiptShapeAsync(large.ConnectionString, ct);
        await using (var rawSource = new NpgsqlDataSourceBuilder(large.ConnectionString + ";Maximum Pool Size=" + (signers + 5).ToString(CultureInfo.InvariantCulture) + ";No Reset On Close=true").Build())
        {
            var baselineRequests = prepared.Take(perPhase).ToList();
            // Its own short warm-up on other requests would change the copies; the harness's code is small and JITs within the first hundred writes.
            baseline.LoadBefore = Load();
            var cpu3 = Cpu();
            var baselineWatch = Stopwatch.StartNew();
            await RunBaselineAsync(rawSource, baselineRequests, signers, shape, baseline, ct);
            baseline.Elapsed = baselineWatch.Elapsed;
            baseline.Cpu = Cpu() - cpu3;
            baseline.LoadAfter = Load();
        }
        var baselineVerified = await VerifyBaselineAsync(large.ConnectionString, baseline, ct);

        var verified = await VerifyAsync(large, [warm, journey, posts, burst], ct);
        verified &= await VerifyChainsAsync(large, ct);

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"Signing POST, {signers} concurrent signers, large demo trust ({prepared.Count:N0} requests prepared):"));
        Console.WriteLine("| phase | signing POSTs | POST/s | p50 ms | p95 ms | p99 ms | max ms | errors | load (1-min) before → after |");
        Console.WriteLine("|:---|---:|---:|---:|---:|---:|---:|---:|:---|");
        foreach (var phase in new[] { journey, posts, burst, baseline })
            Console.WriteLine(phase.Row());
        Console.WriteLine();
        Console.WriteLine("CPU time per signing (journey: all four requests; posts, one academy: the signing POST alone; raw baseline: one transaction), ms:");
        Console.WriteLine("| phase | host | PostgreSQL | harness (the signers) | host + PostgreSQL busy, % of 2 cores |");
        Console.WriteLine("|:---|---:|---:|---:|---:|");
        foreach (var phase in new[] { journey, posts, burst, baseline })
            Console.WriteLine(phase.CpuRow());
        var perPost = posts.Cpu.Postgres.TotalMilliseconds / Math.Max(1, posts.Post.Count);
        var perRaw = baseline.Cpu.Postgres.TotalMilliseconds / Math.Max(1, baseline.Post.Count);
        Console.WriteLine(FormattableString.Invariant($"PostgreSQL CPU per signing POST / raw baseline's per transaction: {perPost / Math.Max(0.001, perRaw):F2}x"));
        Console.WriteLine();
        Console.WriteLine("Other steps of the journey phase (not the signing POST), ms:");
        Console.WriteLine("| step | count | p50 | p95 | p99 | max |");
        Console.WriteLine("|:---|---:|---:|---:|---:|---:|");
        foreach (var (name, times) in new[] { ("GET link", journey.OpenLink), ("POST date of birth", journey.Dob), ("GET form", journey.Form) })
            Console.WriteLine(Stats.Row(name, times));
        Console.WriteLine();
        Console.WriteLine(verified ? "OK: every successful signing POST recorded exactly one submission with one answer per purpose, and no failed one recorded anything."
                                   : "FAILED: the database does not match what the signers were told.");
        return verified && baselineVerified && journey.Errors.IsEmpty && posts.Errors.IsEmpty && burst.Errors.IsEmpty && baseline.Errors.IsEmpty ? 0 : 1;
    }

    // ---- the requests ----

    /// <summary>One open request: the parent's link, the pupil's date of birth.</summary>
    public sealed record PreparedRequest(Guid Id, string Token, Guid AcademyId, DateOnly DateOfBirth);

    /// <summary>
    /// One open request per pupil, each to a parent with parental responsibility, no no-contact order and an
    /// email address (so a receipt is queued, as for most parents), for a pupil on roll, on the newest published
    /// form version: written straight to the table as issuing would leave them, with tokens the harness keeps.
    /// Pupils are chosen at random (fixed seed) across the whole trust, skipping any parent who has an open request.
    /// </summary>
    private static async Task<List<PreparedRequest>> PrepareRequestsAsync(LargeTrust large, int count, CancellationToken ct, Guid? academy = null)
    {
        var candidates = new List<(Guid Pupil, Guid Academy, DateOnly Dob, Guid Contact)>();
        await using (var conn = new NpgsqlConnection(large.ConnectionString))
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("""
                SELECT DISTINCT ON (p.id) p.id, p.academy_id, p.date_of_birth, c.id
                FROM consenthub.pupils p
                JOIN consenthub.pupil_contacts pc ON pc.pupil_id = p.id AND pc.has_parental_responsibility AND NOT pc.no_contact_order
                JOIN consenthub.contacts c ON c.id = pc.contact_id AND c.email IS NOT NULL
                WHERE (p.left_on IS NULL OR p.left_on > current_date) AND ($1::uuid IS NULL OR p.academy_id = $1)
                  AND NOT EXISTS (SELECT 1 FROM consenthub.signature_requests r
                                  WHERE r.pupil_id = p.id AND r.party_kind = 'Contact' AND r.contact_id = c.id AND r.status = 'Open')
                ORDER BY p.id, pc.priority, c.id
                """, conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)academy ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                candidates.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateOnly>(2), reader.GetGuid(3)));
        }
        if (candidates.Count < count)
            throw new InvalidOperationException($"Only {candidates.Count} pupils have a parent who can be asked; {count} are needed.");
        var random = new Random(20261201);
        var chosen = candidates.OrderBy(_ => random.Next()).Take(count).ToList();

        var factory = large.Services.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var formVersionId = await db.FormVersions.Where(f => f.PublishedAt != null).OrderByDescending(f => f.PublishedAt).Select(f => f.Id).FirstAsync(ct);
        var codes = (await db.SignatureRequests.Select(r => r.ShortCode).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        var prepared = new List<PreparedRequest>(count);
        foreach (var c in chosen)
        {
            var token = SigningSecrets.NewToken();
            string code;
            do code = SigningSecrets.NewShortCode();
            while (!codes.Add(code));
            var request = new SignatureRequest
            {
                Id = Guid.CreateVersion7(),
                PupilId = c.Pupil,
                AcademyId = c.Academy,
                FormVersionId = formVersionId,
                PartyKind = Consent.PartyKind.Contact,
                ContactId = c.Contact,
                IssuedAt = now.AddDays(-1),
                IssuedBy = "benchmark",
                Deadline = DateOnly.FromDateTime(now.UtcDateTime.AddDays(14)),
                Status = RequestStatus.Open,
                TokenHash = SigningSecrets.HashToken(token),
                ShortCode = code,
                ExpiresAt = now.AddDays(28),
            };
            db.SignatureRequests.Add(request);
            prepared.Add(new PreparedRequest(request.Id, token, c.Academy, c.Dob));
        }
        await db.SaveChangesAsync(ct);
        await using (var conn = new NpgsqlConnection(large.ConnectionString))
        {
            await conn.OpenAsync(ct);
            await using var settle = new NpgsqlCommand("VACUUM (ANALYZE) consenthub.signature_requests; CHECKPOINT;", conn) { CommandTimeout = 600 };
            await settle.ExecuteNonQueryAsync(ct);
        }
        return prepared;
    }

    private static async Task<Guid> LargestAcademyAsync(LargeTrust large, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(large.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT academy_id FROM consenthub.pupils WHERE left_on IS NULL GROUP BY academy_id ORDER BY count(*) DESC LIMIT 1", conn);
        return (Guid)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every academy's audit chain still proves every entry, the burst's included.</summary>
    private static async Task<bool> VerifyChainsAsync(LargeTrust large, CancellationToken ct)
    {
        var verify = large.Services.GetRequiredService<Audit.VerifyAuditChain>();
        var chains = await verify.HandleAsync(new Audit.VerifyAuditChain.Request(), ct);
        var broken = chains.Where(c => !c.IsValid).ToList();
        Console.WriteLine($"  audit chains: {chains.Count} verified, {chains.Sum(c => c.EntriesChecked):N0} entries, {broken.Count} broken"
            + string.Concat(broken.Take(3).Select(b => $"; {b.ChainId}: {b.FirstBrokenLink}")));
        return broken.Count == 0;
    }

    private sealed class RequestQueue(IReadOnlyList<PreparedRequest> requests)
    {
        private int _next = -1;

        public bool TryTake(out PreparedRequest request)
        {
            var i = Interlocked.Increment(ref _next);
            request = i < requests.Count ? requests[i] : null!;
            return i < requests.Count;
        }
    }

    // ---- one signer ----

    /// <summary>A signer who has confirmed the date of birth and has the form in front of them.</summary>
    private sealed record Session(PreparedRequest Request, Dictionary<string, string> Cookies, Dictionary<string, string> Hidden, List<string> PurposeFields);

    private sealed class SigningStepException(string message) : Exception(message);

    private static async Task JourneysAsync(HttpClient http, RequestQueue queue, int signers, PhaseResult result, Stopwatch? until, TimeSpan duration, int maxCount, CancellationToken ct)
    {
        var started = 0;
        await Parallel.ForAsync(0, signers, new ParallelOptions { MaxDegreeOfParallelism = signers, CancellationToken = ct }, async (_, token) =>
        {
            while ((until is null || until.Elapsed < duration) && Interlocked.Increment(ref started) <= maxCount && queue.TryTake(out var request))
            {
                try
                {
                    var session = await OpenAsync(http, request, result, token);
                    await SubmitAsync(http, session, result, token);
                }
                catch (SigningStepException e)
                {
                    result.Errors.Add(e.Message);
                }
            }
        });
    }

    /// <summary>The link (GET), the date of birth (POST, 303 with the signing cookie), the form (GET).</summary>
    private static async Task<Session> OpenAsync(HttpClient http, PreparedRequest request, PhaseResult result, CancellationToken ct)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = "/s/" + request.Token;

        var (status, html, _, ms) = await SendAsync(http, HttpMethod.Get, path, cookies, null, ct);
        if (status != HttpStatusCode.OK || !html.Contains("name=\"day\"", StringComparison.Ordinal))
            throw new SigningStepException($"GET link: {(int)status} {Title(html)}");
        result.OpenLink.Add(ms);

        var fields = HiddenFields(html);
        fields["day"] = request.DateOfBirth.Day.ToString(CultureInfo.InvariantCulture);
        fields["month"] = request.DateOfBirth.Month.ToString(CultureInfo.InvariantCulture);
        fields["year"] = request.DateOfBirth.Year.ToString(CultureInfo.InvariantCulture);
        (status, html, var location, ms) = await SendAsync(http, HttpMethod.Post, path + "/dob", cookies, fields, ct);
        if (status != HttpStatusCode.SeeOther || location is null || !location.StartsWith(path + "?", StringComparison.Ordinal) || !cookies.ContainsKey("ConsentHub.Signing"))
            throw new SigningStepException($"POST date of birth: {(int)status} {Title(html)}");
        result.Dob.Add(ms);

        (status, html, _, ms) = await SendAsync(http, HttpMethod.Get, location, cookies, null, ct);
        var purposes = PurposeField().Matches(html).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        if (status != HttpStatusCode.OK || purposes.Count == 0)
            throw new SigningStepException($"GET form: {(int)status} {Title(html)}");
        result.Form.Add(ms);
        return new Session(request, cookies, HiddenFields(html), purposes);
    }

    /// <summary>The signing POST: a yes or no for every purpose, the parental-responsibility tick, the typed name; 303 to the receipt.</summary>
    private static async Task SubmitAsync(HttpClient http, Session session, PhaseResult result, CancellationToken ct)
    {
        var path = "/s/" + session.Request.Token;
        var fields = new Dictionary<string, string>(session.Hidden, StringComparer.Ordinal);
        // Answers vary by request (fixed by its id): some yes, some no, as parents answer.
        var random = new Random(session.Request.Id.GetHashCode());
        foreach (var field in session.PurposeFields) fields[field] = random.Next(4) == 0 ? "no" : "yes";
        fields["responsibility"] = "yes";
        fields["signature-name"] = "Benchmark Parent";
        fields["action"] = "save";

        var (status, html, location, ms) = await SendAsync(http, HttpMethod.Post, path, session.Cookies, fields, ct);
        if (status != HttpStatusCode.SeeOther || location is null || !location.StartsWith(path + "/done", StringComparison.Ordinal))
            throw new SigningStepException($"signing POST: {(int)status} {Title(html)}");
        result.Post.Add(ms);
        result.Answered.Add((session.Request.Id, session.PurposeFields.Count));
    }

    /// <summary>One request, timed from sending to the last byte of the response; cookies kept per signer by hand.</summary>
    private static async Task<(HttpStatusCode Status, string Html, string? Location, double Ms)> SendAsync(
        HttpClient http, HttpMethod method, string path, Dictionary<string, string> cookies, Dictionary<string, string>? form, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(method, path);
        if (cookies.Count > 0) message.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Key + "=" + c.Value)));
        message.Headers.UserAgent.ParseAdd("ConsentHub-Benchmark/1.0");
        if (form is not null) message.Content = new FormUrlEncodedContent(form);
        var start = Stopwatch.GetTimestamp();
        string html;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, ct);
            html = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException e)
        {
            throw new SigningStepException($"{method} {(path.Contains("/dob", StringComparison.Ordinal) ? "date of birth" : "page")}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SigningStepException($"{method}: timed out");
        }
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        using (response)
        {
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                foreach (var header in set)
                {
                    var pair = header.Split(';', 2)[0];
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0) cookies[pair[..eq]] = pair[(eq + 1)..];
                }
            }
            return (response.StatusCode, html, response.Headers.Location?.OriginalString, ms);
        }
    }

    private static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in HiddenInput().Matches(html))
            fields[WebUtility.HtmlDecode(m.Groups["name"].Value)] = WebUtility.HtmlDecode(m.Groups["value"].Value);
        return fields;
    }

    private static string Title(string html) => TitleTag().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : "";

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("name=\"(answer-[^\"]+)\"")]
    private static partial Regex PurposeField();

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitleTag();

    // ---- checking the database ----

    /// <summary>
    /// Every request a signer was told was recorded (303 to the receipt) must be Answered with exactly one
    /// submission holding one answer per purpose of its form and one receipt email in the outbox; every other
    /// prepared request must still be open with nothing recorded.
    /// </summary>
    private static async Task<bool> VerifyAsync(LargeTrust large, IReadOnlyList<PhaseResult> phases, CancellationToken ct)
    {
        var answered = phases.SelectMany(p => p.Answered).ToList();
        await using var conn = new NpgsqlConnection(large.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT r.id, r.status,
                   (SELECT count(*) FROM consenthub.online_submissions s WHERE s.signature_request_id = r.id),
                   (SELECT count(*) FROM consenthub.consent_answers a WHERE a.signature_request_id = r.id),
                   (SELECT count(*) FROM consenthub.consent_answers a JOIN consenthub.online_submissions s ON s.id = a.online_submission_id
                    WHERE s.signature_request_id = r.id),
                   (SELECT count(*) FROM consenthub.online_submissions s JOIN consenthub.outbox_messages o ON o.business_key = 'signing-receipt:' || s.id::text
                    WHERE s.signature_request_id = r.id)
            FROM consenthub.signature_requests r WHERE r.issued_by = 'benchmark'
            """, conn) { CommandTimeout = 600 };
        var expected = answered.ToDictionary(a => a.RequestId, a => a.Purposes);
        int ok = 0, wrong = 0, untouched = 0, recordedWithoutSuccess = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var (id, status, submissions, answers, viaSubmission, receipts) =
                    (reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
                if (expected.TryGetValue(id, out var purposes))
                {
                    if (status == nameof(RequestStatus.Answered) && submissions == 1 && answers == purposes && viaSubmission == purposes && receipts == 1) ok++;
                    else
                    {
                        wrong++;
                        if (wrong <= 5) Console.WriteLine($"  request {id}: status {status}, {submissions} submissions, {answers} answers ({purposes} expected), {receipts} receipts");
                    }
                }
                else if (status == nameof(RequestStatus.Open) && submissions == 0 && answers == 0) untouched++;
                else recordedWithoutSuccess++;
            }
        }
        var perPurpose = answered.Sum(a => a.Purposes);
        Console.WriteLine($"  database: {ok:N0} of {answered.Count:N0} successful signing POSTs recorded exactly one submission and {perPurpose:N0} answers in all;"
            + $" {wrong} recorded wrongly; {untouched:N0} unused or failed requests untouched; {recordedWithoutSuccess} recorded without the signer being told");
        return ok == answered.Count && wrong == 0 && recordedWithoutSuccess == 0;
    }

    // ---- results ----

    private sealed class PhaseResult(string name)
    {
        public string Name { get; } = name;
        public ConcurrentBag<double> OpenLink { get; } = [];
        public ConcurrentBag<double> Dob { get; } = [];
        public ConcurrentBag<double> Form { get; } = [];
        public ConcurrentBag<double> Post { get; } = [];
        public ConcurrentBag<(Guid RequestId, int Purposes)> Answered { get; } = [];
        public ConcurrentBag<string> Errors { get; } = [];
        public TimeSpan Elapsed { get; set; }
        public string LoadBefore { get; set; } = "";
        public string LoadAfter { get; set; } = "";
        public CpuReading Cpu { get; set; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

        public string CpuRow()
        {
            var n = Math.Max(1, Post.Count);
            return string.Create(CultureInfo.InvariantCulture,
                $"| {Name} | {Cpu.Host.TotalMilliseconds / n:F2} | {Cpu.Postgres.TotalMilliseconds / n:F2} | {Cpu.Harness.TotalMilliseconds / n:F2} | {100 * (Cpu.Host + Cpu.Postgres) / (2 * Elapsed):F0} |");
        }

        public string Row()
        {
            var t = Post.ToArray();
            Array.Sort(t);
            return string.Create(CultureInfo.InvariantCulture,
                $"| {Name} | {t.Length:N0} | {t.Length / Elapsed.TotalSeconds:F0} | {Stats.P(t, 0.50):F1} | {Stats.P(t, 0.95):F1} | {Stats.P(t, 0.99):F1} | {(t.Length == 0 ? 0 : t[^1]):F1} | {Errors.Count}{FirstErrors(this)} | {LoadBefore} → {LoadAfter} |");
        }
    }

    private static string FirstErrors(PhaseResult r) =>
        r.Errors.IsEmpty ? "" : " (" + string.Join("; ", r.Errors.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}× {g.Key}")) + ")";

    private static class Stats
    {
        /// <summary>Nearest-rank percentile of sorted times.</summary>
        public static double P(double[] sorted, double q) =>
            sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(q * sorted.Length) - 1)];

        public static string Row(string name, ConcurrentBag<double> times)
        {
            var t = times.ToArray();
            Array.Sort(t);
            return string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {t.Length:N0} | {P(t, 0.50):F1} | {P(t, 0.95):F1} | {P(t, 0.99):F1} | {(t.Length == 0 ? 0 : t[^1]):F1} |");
        }
    }

    /// <summary>The machine's 1-minute load average (the box is shared; figures are read next to it).</summary>
    private static string Load()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static bool TryParse(IReadOnlyList<string> args, out int signers, out int perPhase, out TimeSpan warmUp, out bool profile, out string? error)
    {
        (signers, perPhase, warmUp, profile, error) = (50, 2000, TimeSpan.FromSeconds(15), false, null);
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "--profile")
            {
                profile = true;
                continue;
            }
            if (i + 1 >= args.Count)
            {
                error = $"{args[i]} needs a value.";
                return false;
            }
            var value = args[++i];
            switch (args[i - 1])
            {
                case "--signers" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0:
                    signers = s;
                    break;
                case "--requests" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0:
                    perPhase = r;
                    break;
                case "--warmup" when int.TryParse(value.TrimEnd('s'), NumberStyles.None, CultureInfo.InvariantCulture, out var w):
                    warmUp = TimeSpan.FromSeconds(w);
                    break;
                default:
                    error = $"{args[i - 1]} {value}: not a known option or not a valid value.";
                    return false;
            }
        }
        return true;
    }
}
