using System.Net;
using ConsentHub.Data;
using ConsentHub.Email;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Dev;

/// <summary>The mail drop page exists for developers only.</summary>
public sealed class MailDropPageOutsideDevelopmentTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>
{
    [Fact]
    public async Task MailDropPage_IsNotFoundOutsideDevelopment()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/dev/mail");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Mail drop", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Navigation_HasNoMailDropLinkOutsideDevelopment()
    {
        using var client = fixture.Factory.CreateClient();

        var home = await client.GetStringAsync("/");

        Assert.DoesNotContain("dev/mail", home, StringComparison.Ordinal);
    }
}

/// <summary>In Development with no SMTP server: mail written to the outbox is drained to the drop and shown.</summary>
public sealed class MailDropPageInDevelopmentTests(MailDropPageInDevelopmentTests.DevelopmentHost host)
    : IClassFixture<MailDropPageInDevelopmentTests.DevelopmentHost>
{
    [Fact]
    public async Task OutboxMail_IsDrainedToTheDrop_AndListedAndReadableOnThePage()
    {
        var services = host.Factory.Services;
        await using (var db = await services.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>().CreateDbContextAsync())
        {
            await services.GetRequiredService<OutboxWriter>().WriteAsync(db,
                new OutgoingEmail("dev-page:1", "parent@home.example", "Photo consent for Year 7", "Please answer by Friday.")
                {
                    ToName = "Sam Parent",
                });
        }
        using (var scope = services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<DrainOutbox>().RunAsync(CancellationToken.None);
        using var client = host.Factory.CreateClient();

        var list = await client.GetStringAsync("/dev/mail");
        var name = Assert.Single(services.GetRequiredService<ReadMailDrop>().List()).Name;
        var detail = await client.GetStringAsync($"/dev/mail?message={name}");

        Assert.Contains("Photo consent for Year 7", list, StringComparison.Ordinal);
        Assert.Contains("parent@home.example", list, StringComparison.Ordinal);
        Assert.Contains($"dev/mail?message={name}", list, StringComparison.Ordinal);
        Assert.Contains("Please answer by Friday.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMessage_SaysItIsGone()
    {
        using var client = host.Factory.CreateClient();

        var page = await client.GetStringAsync("/dev/mail?message=20260101T000000000Z-nothing");

        Assert.Contains("no longer in the mail drop", page, StringComparison.Ordinal);
    }

    public sealed class DevelopmentHost : IAsyncLifetime
    {
        public DatabaseFixture Database { get; } = new();
        public ConsentHubWebFactory Factory { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            Factory = new ConsentHubWebFactory(Database, environment: "Development");
            // The mail drop needs no demo trust.
            Factory.Settings["Demo:Seed"] = "false";
        }

        public async Task DisposeAsync()
        {
            await Factory.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
