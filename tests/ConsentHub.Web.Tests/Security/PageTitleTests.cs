using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>
/// Every staff page the host maps (read from its endpoint data source), opened by a member of staff who may: the
/// browser tab names the page, the school and the app ("Open requests · North Academy · ConsentHub"), so a tab
/// among many, a bookmark and the history say where they lead.
/// </summary>
public sealed partial class PageTitleTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    /// <summary>Pages no signed-in member of staff opens as a page of their own (only between password and code; only in development).</summary>
    private static readonly HashSet<string> NotOpened = new(StringComparer.Ordinal) { "/account/sign-in/two-factor", "/dev/mail" };

    private TestTrust _trust = null!;
    private Pupil _pupil = null!;
    private string _academyName = "";
    private string _trustName = "";
    private readonly List<(string Who, string School, HttpClient Client)> _clients = [];

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using (var db = fixture.Database.CreateDbContext())
        {
            _trust = await TestTrust.CreateAsync(db);
            (_pupil, _) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4N", "Thảo", "Đặng");
            _academyName = await db.Academies.Where(a => a.Id == _trust.NorthAcademyId).Select(a => a.Name).SingleAsync();
            _trustName = await db.Trusts.OrderBy(t => t.Name).Select(t => t.Name).FirstAsync();
        }
        // The trust administrator first (most pages), then the academy roles for the pages only they open.
        foreach (var role in new[] { StaffRoles.TrustAdmin, StaffRoles.OfficeStaff, StaffRoles.Dsl, StaffRoles.Headteacher, StaffRoles.Teacher })
        {
            var user = await StaffAccounts.CreateAsync(fixture.Factory.Services, role, role == StaffRoles.TrustAdmin ? null : _trust.NorthAcademyId,
                role == StaffRoles.TrustAdmin ? null : _trust.NorthRegionId);
            _clients.Add((role, role == StaffRoles.TrustAdmin ? _trustName : _academyName, await StaffAccounts.SignedInClientAsync(fixture.Factory, user)));
        }
    }

    public Task DisposeAsync()
    {
        foreach (var c in _clients) c.Client.Dispose();
        return Task.CompletedTask;
    }

    private List<string> Pages()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in fixture.Factory.Services.GetServices<EndpointDataSource>())
        {
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is null) continue;
                result.Add("/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/'));
            }
        }
        return [.. result.Order(StringComparer.Ordinal)];
    }

    private string Fill(string pattern) => pattern
        .Replace("{PupilId:guid}", _pupil.Id.ToString(), StringComparison.Ordinal)
        .Replace("{**path}", "", StringComparison.Ordinal);

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.Singleline)]
    private static partial Regex Title();

    [Fact]
    public async Task EveryStaffPage_TitleNamesThePage_TheSchool_AndTheApp()
    {
        var failures = new List<string>();
        var checkedPages = 0;
        foreach (var page in Pages().Where(p => !NotOpened.Contains(p) && !p.Contains('{', StringComparison.Ordinal) || p.Contains("{PupilId:guid}", StringComparison.Ordinal)))
        {
            string? title = null;
            string? school = null;
            foreach (var (_, expectedSchool, client) in _clients)
            {
                using var response = await client.GetAsync(Fill(page));
                if (response.StatusCode != HttpStatusCode.OK) continue;
                var match = Title().Match(await response.Content.ReadAsStringAsync());
                title = match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : "";
                school = expectedSchool;
                break;
            }
            if (title is null)
            {
                failures.Add($"{page}: no member of staff could open it");
                continue;
            }
            checkedPages++;
            var parts = title.Split(" · ");
            if (parts.Length != 3 || parts[2] != "ConsentHub" || parts[1] != school || string.IsNullOrWhiteSpace(parts[0]) || parts[0] == "ConsentHub")
                failures.Add($"{page}: “{title}”, expected “<page> · {school} · ConsentHub”");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(checkedPages >= 30, $"Only {checkedPages} pages were checked.");
    }
}
