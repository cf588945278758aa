using System.Net;
using ConsentHub.Access;
using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Security;

/// <summary>Every denial reaches the audit chain the same way: pages, the API's 404s for ids out of scope, and refused API keys.</summary>
public sealed class DenialAuditTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>, IAsyncLifetime
{
    private TestTrust _trust = null!;
    private Pupil _northPupil = null!;
    private Pupil _flaggedSouthPupil = null!;

    public async Task InitializeAsync()
    {
        _ = fixture.Factory.Services;
        await using var db = fixture.Database.CreateDbContext();
        _trust = await TestTrust.CreateAsync(db);
        (_northPupil, _) = await TestTrust.AddPupilAsync(db, _trust.NorthAcademyId, 4, "4N", "Nora", "North");
        (_flaggedSouthPupil, _) = await TestTrust.AddPupilAsync(db, _trust.SouthAcademyId, 6, "6S", "Saoirse", "Ní Bhriain");
        db.SafeguardingFlags.Add(new SafeguardingFlag
        {
            Id = Guid.NewGuid(),
            PupilId = _flaggedSouthPupil.Id,
            AcademyId = _trust.SouthAcademyId,
            Reason = "Court order: whereabouts confidential",
            SetBy = "dsl",
            SetAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<AuditEntry>> DenialsAsync(string action, string entityId)
    {
        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        await using var db = fixture.Database.CreateDbContext();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == action && e.EntityId == entityId).ToListAsync();
    }

    [Fact]
    public async Task AnotherAcademysSafeguardingFlaggedPupil_OnThePupilPage_Is404_AndAuditedAsNotFound()
    {
        var teacher = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, teacher);

        using var response = await client.GetAsync($"/pupils/{_flaggedSouthPupil.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var entry = Assert.Single(await DenialsAsync(AccessDenials.NotFound, $"/pupils/{_flaggedSouthPupil.Id}"));
        Assert.Equal($"staff:{teacher.Id}", entry.Actor);
        Assert.DoesNotContain("Court order", entry.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckOfAnotherAcademysPupil_IsAuditedOnce()
    {
        var teacher = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, teacher);

        using var response = await client.GetAsync($"/checks/pupils/{_flaggedSouthPupil.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await fixture.Factory.Services.GetRequiredService<AuditReadWriter>().FlushAsync();
        await using var db = fixture.Database.CreateDbContext();
        var actor = $"staff:{teacher.Id}";
        Assert.Single(await db.AuditEntries.Where(e => e.Action == AccessDenials.NotFound && e.Actor == actor).ToListAsync());
    }

    [Fact]
    public async Task TheApi_AuditsA404ForAnotherAcademysPupil_AndA401ForABadKey_ByItsPrefixOnly()
    {
        var key = (await fixture.Factory.Services.GetRequiredService<CreateApiKey>()
            .HandleAsync(new CreateApiKey.Request("north photo tool", _trust.NorthAcademyId, "test admin"))).PlainTextKey;
        Assert.True(CreateApiKey.TryParse(key, out var prefix, out var secret));
        using var client = fixture.Factory.CreateClient();

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/pupils/{_flaggedSouthPupil.Id}/consent"))
        {
            request.Headers.Add("X-Api-Key", key);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        var wrongSecret = $"{CreateApiKey.KeyPrefix}{prefix}_{new string('x', secret.Length)}";
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/pupils/{_northPupil.Id}/consent"))
        {
            request.Headers.Add("X-Api-Key", wrongSecret);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var notFound = Assert.Single(await DenialsAsync(AccessDenials.NotFound, $"/api/v1/pupils/{_flaggedSouthPupil.Id}/consent"));
        Assert.Equal($"api-key:{prefix}", notFound.Actor);
        var refused = Assert.Single(await DenialsAsync(AccessDenials.Unauthenticated, $"/api/v1/pupils/{_northPupil.Id}/consent"));
        Assert.Equal("anonymous", refused.Actor);
        Assert.Contains(prefix, refused.Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxx", refused.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMistypedAddress_IsNotADenial()
    {
        var teacher = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.Teacher, _trust.NorthAcademyId);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, teacher);

        using var response = await client.GetAsync("/no-such-page-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await DenialsAsync(AccessDenials.NotFound, "/no-such-page-here"));
    }
}
