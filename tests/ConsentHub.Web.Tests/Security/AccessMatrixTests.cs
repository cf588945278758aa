using System.Net;
using System.Text;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Ordering;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>
/// Every page and API endpoint the host maps, read from its endpoint data source, × every role and anonymous.
/// A page or endpoint added later without a row in <see cref="Expected"/> fails the test until someone decides
/// who may open it.
/// </summary>
[LongRunning(60)]
public sealed class AccessMatrixTests(AccessMatrixFixture fixture) : IClassFixture<AccessMatrixFixture>
{
    internal const string Anonymous = "(anonymous)";

    /// <summary>A TrustAdmin who must use two-factor sign-in and has not enrolled: sent to enrol from everything that needs sign-in.</summary>
    internal const string NotEnrolled = "(TrustAdmin, two-factor required, not enrolled)";

    /// <summary>Who gets in. Everyone else signed in gets 403; anonymous is sent to sign in (pages) or gets 401 (API).</summary>
    private sealed record Rule(bool Public = false, bool ApiKeyOnly = false, bool NotFoundOutsideDevelopment = false, bool SecondSignInStep = false,
        bool EnrolmentPage = false, bool PostOnly = false, bool SigningLink = false, params string[] Roles);

    private static readonly string[] AllRoles = [.. StaffRoles.All];

    private static readonly Dictionary<string, Rule> Expected = new(StringComparer.Ordinal)
    {
        ["GET /"] = new(Public: true),
        ["GET /not-found"] = new(Public: true),
        ["GET /Error"] = new(Public: true),
        ["GET /account/sign-in"] = new(Public: true),
        ["GET /account/set-password"] = new(Public: true),
        ["GET /account/forgot-password"] = new(Public: true),
        ["POST /account/sign-out"] = new(Public: true),
        ["GET /dev/mail"] = new(NotFoundOutsideDevelopment: true),
        ["GET /account/sign-in/two-factor"] = new(SecondSignInStep: true),
        ["GET /account"] = new(Roles: AllRoles),
        ["GET /account/two-factor"] = new(EnrolmentPage: true, Roles: AllRoles),
        ["GET /checks"] = new(Roles: AllRoles),
        ["GET /checks/pupils/{PupilId:guid}"] = new(Roles: AllRoles),
        ["GET /staff"] = new(Roles: [StaffRoles.TrustAdmin]),
        ["GET /staff/invite"] = new(Roles: [StaffRoles.TrustAdmin]),
        ["GET /staff/{UserId:guid}"] = new(Roles: [StaffRoles.TrustAdmin]),
        ["GET /forms/packs"] = new(Roles: [StaffRoles.OfficeStaff, StaffRoles.TrustAdmin]),
        ["GET /requests/paper"] = new(Roles: [StaffRoles.OfficeStaff, StaffRoles.TrustAdmin]),
        ["GET /hangfire/{**path}"] = new(Roles: [StaffRoles.TrustAdmin]),
        // Hangfire fetches its figures by POST; a GET is a clean 405 for those allowed in.
        ["GET /hangfire/stats"] = new(PostOnly: true, Roles: [StaffRoles.TrustAdmin]),
        ["GET /trust/api-keys"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.Headteacher]),
        ["GET /pupils"] = new(Roles: AllRoles),
        ["GET /pupils/{PupilId:guid}"] = new(Roles: AllRoles),
        ["GET /pupils/import"] = new(Roles: [StaffRoles.OfficeStaff, StaffRoles.TrustAdmin]),
        ["GET /requests"] = new(Roles: [StaffRoles.OfficeStaff, StaffRoles.TrustAdmin]),
        ["GET /requests/issue"] = new(Roles: [StaffRoles.OfficeStaff, StaffRoles.TrustAdmin]),
        ["GET /requests/follow-up"] = new(Roles: [StaffRoles.OfficeStaff, StaffRoles.TrustAdmin]),
        ["GET /overview/export.csv"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff]),
        ["GET /overview"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff]),
        ["GET /monitoring"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff]),
        ["GET /monitoring/export.csv"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff]),
        ["GET /photos/new"] = new(Roles: AllRoles),
        ["GET /photos/{PhotoId:guid}"] = new(Roles: AllRoles),
        ["GET /photos/posts"] = new(Roles: AllRoles),
        ["GET /trust/devices"] = new(Roles: [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin]),
        ["GET /monitoring/detail"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff]),
        ["GET /monitoring/reports"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff]),
        ["GET /checks/do-not-feature"] = new(Roles: AllRoles),
        ["GET /forms/do-not-feature.pdf"] = new(Roles: AllRoles),
        ["GET /forms/requests.pdf"] = new(Roles: [StaffRoles.OfficeStaff, StaffRoles.TrustAdmin]),
        // A scan of a signed paper form shows a parent's name and signature: those who see contact details.
        ["GET /pupils/{pupilId:guid}/scans/{scanId:guid}"] = new(Roles: [StaffRoles.OfficeStaff, StaffRoles.Headteacher, StaffRoles.Dsl]),
        ["GET /forms/academy-summary.pdf"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff]),
        ["GET /trust/accounts"] = new(Roles: [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin]),
        ["GET /pauses"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher]),
        ["GET /takedowns"] = new(Roles: AllRoles),
        ["GET /rollover"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff]),
        ["GET /retention"] = new(Roles: [StaffRoles.TrustAdmin, StaffRoles.Dsl]),
        ["GET /trust/forms"] = new(Roles: [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin]),
        ["GET /trust/purposes"] = new(Roles: [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin]),
        ["GET /trust/consent-rules"] = new(Roles: [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin]),
        ["GET /trust/chasing"] = new(Roles: [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin]),
        ["GET /trust/structure"] = new(Roles: [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin]),
        ["POST /api/v1/academies/{academyId:guid}/pupil-imports"] = new(ApiKeyOnly: true),
        ["GET /api/v1/pupils/{pupilId:guid}/consent"] = new(ApiKeyOnly: true),
        ["GET /api/v1/academies/{academyId:guid}/roster"] = new(ApiKeyOnly: true),
        ["GET /api/v1/academies/{academyId:guid}/summary"] = new(ApiKeyOnly: true),
        ["GET /api/v1/academies/{academyId:guid}/changes"] = new(ApiKeyOnly: true),
        ["GET /api/v1/summary"] = new(ApiKeyOnly: true),
        ["POST /api/v1/pupils/{pupilId:guid}/consent-answers"] = new(ApiKeyOnly: true),
        // A family's published posts: only under a change link whose date of birth this browser confirmed; no staff role opens them.
        ["GET /sign/change/{token}/posts"] = new(SigningLink: true),
        ["GET /sign/change/{token}/posts/{postId:guid}/{exportId:guid}.jpg"] = new(SigningLink: true),
        ["POST /sign/change/{token}/posts/{postId:guid}/takedown"] = new(SigningLink: true),
    };

    /// <summary>Pages (Razor components with a route), everything under /api, /hangfire and /account, the printed lists under /forms and CSV exports, as "METHOD /pattern".</summary>
    private List<string> MappedEndpoints()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in fixture.Factory.Services.GetServices<EndpointDataSource>())
        {
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
                var isPage = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
                var isApp = pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern.StartsWith("/hangfire", StringComparison.Ordinal) || pattern.StartsWith("/account", StringComparison.Ordinal)
                    || (pattern.StartsWith("/forms/", StringComparison.Ordinal) && pattern.EndsWith(".pdf", StringComparison.Ordinal))
                    || pattern.EndsWith(".csv", StringComparison.Ordinal)
                    || pattern.Contains("/scans/", StringComparison.Ordinal)
                    || pattern.StartsWith("/sign/change/{token}/posts", StringComparison.Ordinal);
                if (!isPage && !isApp) continue;
                // A page also takes POSTs for its forms; those are covered by the page's own GET row.
                var methods = isPage ? ["GET"] : endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                foreach (var method in methods.Where(m => m is "GET" or "POST"))
                    result.Add($"{method} {pattern}");
            }
        }
        return [.. result.Order(StringComparer.Ordinal)];
    }

    private string Fill(string pattern) => pattern
        .Replace("/forms/do-not-feature.pdf", $"/forms/do-not-feature.pdf?academy={fixture.Trust.NorthAcademyId}&group=4N&purpose={TestTrust.Social}", StringComparison.Ordinal)
        .Replace("/forms/requests.pdf", $"/forms/requests.pdf?ids={fixture.NorthRequestId}", StringComparison.Ordinal)
        .Replace("/forms/academy-summary.pdf", $"/forms/academy-summary.pdf?academy={fixture.Trust.NorthAcademyId}", StringComparison.Ordinal)
        .Replace("{PupilId:guid}", fixture.North.Id.ToString(), StringComparison.Ordinal)
        .Replace("{UserId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{PhotoId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{pupilId:guid}", fixture.North.Id.ToString(), StringComparison.Ordinal)
        .Replace("{scanId:guid}", fixture.NorthScanId.ToString(), StringComparison.Ordinal)
        .Replace("{academyId:guid}", fixture.Trust.NorthAcademyId.ToString(), StringComparison.Ordinal)
        .Replace("{**path}", "", StringComparison.Ordinal)
        .Replace("{token}", ConsentHub.Requests.SigningSecrets.NewToken(), StringComparison.Ordinal)
        .Replace("{postId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{exportId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

    [Fact]
    public void EveryMappedPageAndEndpoint_HasARowInTheMatrix()
    {
        var missing = MappedEndpoints().Where(e => !Expected.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, "Decide who may open these, then add them to AccessMatrixTests.Expected: " + string.Join(", ", missing));
        Assert.Contains("GET /staff", MappedEndpoints());
    }

    [Fact]
    public async Task EveryRole_GetsExactlyWhatTheMatrixAllows()
    {
        var failures = new StringBuilder();
        foreach (var endpoint in MappedEndpoints().Where(Expected.ContainsKey))
        {
            var rule = Expected[endpoint];
            var method = endpoint.Split(' ')[0];
            var url = Fill(endpoint.Split(' ')[1]);
            foreach (var (who, client) in fixture.Clients)
            {
                HttpResponseMessage response;
                if (method == "GET")
                {
                    response = await client.GetAsync(url);
                }
                else
                {
                    if (rule.Public) continue; // sign-out: exercised in SignInTests
                    response = await client.PostAsync(url, new StringContent("{}", Encoding.UTF8, "application/json"));
                }
                using (response)
                {
                    // The home page is open to all, but sends a teacher on to Check consent and a user who must enrol to enrol.
                    if (endpoint == "GET /" && (who == StaffRoles.Teacher || who == NotEnrolled))
                    {
                        var to = response.Headers.Location?.OriginalString.TrimStart('/');
                        var wanted = who == NotEnrolled ? "account/two-factor" : "checks";
                        if (response.StatusCode != HttpStatusCode.Redirect || to?.EndsWith(wanted, StringComparison.Ordinal) != true)
                            failures.AppendLine($"{endpoint} as {who}: {(int)response.StatusCode} to {to}, expected a redirect to {wanted}");
                        continue;
                    }
                    var expected = rule switch
                    {
                        { Public: true } => HttpStatusCode.OK,
                        // A link that does not exist: the same 404 for everyone; a post without the page's form token: 400.
                        { SigningLink: true } => method == "GET" ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest,
                        // Only between password and code; anyone else is sent (back) to sign in.
                        { SecondSignInStep: true } => HttpStatusCode.Redirect,
                        { NotFoundOutsideDevelopment: true } => HttpStatusCode.NotFound,
                        { ApiKeyOnly: true } => HttpStatusCode.Unauthorized,
                        _ when who == Anonymous => HttpStatusCode.Redirect,
                        { EnrolmentPage: true } when who == NotEnrolled => HttpStatusCode.OK,
                        _ when who == NotEnrolled => HttpStatusCode.Redirect,
                        { PostOnly: true } when rule.Roles.Contains(who) => HttpStatusCode.MethodNotAllowed,
                        _ when rule.Roles.Contains(who) => HttpStatusCode.OK,
                        _ => HttpStatusCode.Forbidden,
                    };
                    if (response.StatusCode != expected)
                        failures.AppendLine($"{endpoint} as {who}: {(int)response.StatusCode}, expected {(int)expected}");
                    else if (expected == HttpStatusCode.Redirect && who == NotEnrolled && !rule.SecondSignInStep)
                    {
                        if (response.Headers.Location?.OriginalString != "/account/two-factor")
                            failures.AppendLine($"{endpoint} as {who}: redirected to {response.Headers.Location}, not to enrol");
                    }
                    else if (expected == HttpStatusCode.Redirect && response.Headers.Location?.AbsolutePath is not ("/account/sign-in" or "account/sign-in"))
                        failures.AppendLine($"{endpoint} as {who}: redirected to {response.Headers.Location}, not to sign in");
                }
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Theory]
    [InlineData(StaffRoles.Teacher)]
    [InlineData(StaffRoles.OfficeStaff)]
    [InlineData(StaffRoles.RegionalDirector)]
    public async Task GuessingAnotherAcademysPupil_Is404(string role)
    {
        foreach (var page in new[] { "/checks/pupils/", "/pupils/" })
        {
            using var own = await fixture.Clients[role].GetAsync(page + fixture.North.Id);
            using var other = await fixture.Clients[role].GetAsync(page + fixture.South.Id);

            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Contains("Nora North", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            // The full name in either order: a bare "Sid" can turn up inside a random anti-forgery token.
            var otherBody = await other.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Sid South", otherBody, StringComparison.Ordinal);
            Assert.DoesNotContain("South, Sid", otherBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ATrustWideRole_SeesEveryAcademysPupil()
    {
        using var south = await fixture.Clients[StaffRoles.CommunicationsDirector].GetAsync($"/checks/pupils/{fixture.South.Id}");

        Assert.Equal(HttpStatusCode.OK, south.StatusCode);
        Assert.Contains("Sid South", await south.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATrustAdminWhoHasNotEnrolled_GetsNoDownload_NorThePupilPage_AndIsSentToEnrol()
    {
        foreach (var url in new[]
        {
            "/overview/export.csv",
            $"/forms/academy-summary.pdf?academy={fixture.Trust.NorthAcademyId}",
            $"/forms/do-not-feature.pdf?academy={fixture.Trust.NorthAcademyId}&group=4N&purpose={TestTrust.Social}",
            $"/pupils/{fixture.North.Id}",
        })
        {
            using var response = await fixture.Clients[NotEnrolled].GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("/account/two-factor", response.Headers.Location?.OriginalString);
            Assert.DoesNotContain("Nora", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HangfireStats_ForATrustAdmin_IsMethodNotAllowed_NotAnError()
    {
        using var response = await fixture.Clients[StaffRoles.TrustAdmin].GetAsync("/hangfire/stats");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task ADeniedPage_IsAudited()
    {
        using var response = await fixture.Clients[StaffRoles.Teacher].GetAsync("/staff");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        await using var db = fixture.Database.CreateDbContext();
        var actor = $"staff:{fixture.UserIds[StaffRoles.Teacher]}";
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "access.denied" && e.Actor == actor && e.EntityId == "/staff"));
    }
}

/// <summary>
/// One host for the class with a trust, two pupils in two academies, a member of staff of every role (and a trust
/// admin who has not enrolled a second factor) each with a client signed in once. The tests only read through them:
/// GETs, and POSTs that are refused before they do anything.
/// </summary>
public sealed class AccessMatrixFixture : IAsyncLifetime
{
    private readonly WebTestFixture _web = new();
    private readonly Dictionary<string, HttpClient> _clients = [];
    private readonly Dictionary<string, Guid> _userIds = [];

    public ConsentHub.Testing.Database.DatabaseFixture Database => _web.Database;
    public ConsentHubWebFactory Factory => _web.Factory;
    public TestTrust Trust { get; private set; } = null!;
    public Pupil North { get; private set; } = null!;
    public Guid NorthRequestId { get; private set; }
    public Guid NorthScanId { get; private set; }
    public Pupil South { get; private set; } = null!;
    public IReadOnlyDictionary<string, HttpClient> Clients => _clients;
    public IReadOnlyDictionary<string, Guid> UserIds => _userIds;

    public async Task InitializeAsync()
    {
        await _web.InitializeAsync();
        _ = Factory.Services;
        await using (var db = Database.CreateDbContext())
        {
            Trust = await TestTrust.CreateAsync(db);
            (North, var northMum) = await TestTrust.AddPupilAsync(db, Trust.NorthAcademyId, 4, "4N", "Nora", "North");
            NorthRequestId = (await TestRequests.IssueAsync(db, North, northMum)).Id;
            (South, _) = await TestTrust.AddPupilAsync(db, Trust.SouthAcademyId, 4, "4S", "Sid", "South");
            byte[] pdf = [.. "%PDF-1.4\n%%EOF\n"u8];
            NorthScanId = Guid.NewGuid();
            db.PaperScans.Add(new ConsentHub.PaperReturns.PaperScan
            {
                Id = NorthScanId,
                PupilId = North.Id,
                AcademyId = Trust.NorthAcademyId,
                ContentType = "application/pdf",
                Sha256 = System.Security.Cryptography.SHA256.HashData(pdf),
                Size = pdf.Length,
                Content = pdf,
                UploadedBy = "staff:office",
                UploadedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        foreach (var role in StaffRoles.All)
        {
            var user = await StaffAccounts.CreateAsync(Factory.Services, role, Trust.NorthAcademyId, Trust.NorthRegionId);
            _userIds[role] = user.Id;
            _clients[role] = await StaffAccounts.SignedInClientAsync(Factory, user);
        }
        _clients[AccessMatrixTests.Anonymous] = StaffAccounts.Client(Factory);
        var notEnrolled = await StaffAccounts.CreateAsync(Factory.Services, StaffRoles.TrustAdmin, enrolTwoFactor: false);
        _clients[AccessMatrixTests.NotEnrolled] = await StaffAccounts.SignedInClientAsync(Factory, notEnrolled);
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _clients.Values) c.Dispose();
        await _web.DisposeAsync();
    }
}
