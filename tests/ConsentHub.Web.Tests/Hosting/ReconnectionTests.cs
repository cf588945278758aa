using System.Globalization;
using System.Text.RegularExpressions;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Hosting;

/// <summary>
/// What a staff page tells the browser to do when its circuit drops (docs/OPERATIONS.md, "Circuits"): Blazor is
/// started with ConsentHub's reconnection schedule, which gives up when the host would have dropped the circuit anyway,
/// and the reconnect modal reloads the page by itself, at once when a server does not know the circuit (its host
/// died) and as soon as a server answers after a failed rejoin. The failover drill watches it happen in a browser
/// (deploy/drill/drill.py, a teacher's page on the killed host).
/// </summary>
public sealed partial class ReconnectionTests(ReconnectionTests.AssetsFixture fixture) : IClassFixture<ReconnectionTests.AssetsFixture>
{
    /// <summary>
    /// A host that serves the component scripts kept beside their .razor files (the reconnect modal's) as a published
    /// app does; a test host outside Development serves only wwwroot otherwise.
    /// </summary>
    public sealed class AssetsFixture : IAsyncLifetime
    {
        public DatabaseFixture Database { get; } = new();

        public ConsentHubWebFactory Factory { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            Factory = new AssetsFactory(Database);
        }

        public async Task DisposeAsync()
        {
            await Factory.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    private sealed class AssetsFactory(DatabaseFixture database) : ConsentHubWebFactory(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseStaticWebAssets();
        }
    }

    [Fact]
    public async Task EveryPage_StartsBlazorItself_WithTheReconnectionSchedule()
    {
        using var client = fixture.Factory.CreateClient();
        var html = await client.GetStringAsync("/");

        var blazor = BlazorScript().Match(html);
        Assert.True(blazor.Success, "The page does not load blazor.web.js.");
        Assert.Contains("autostart=\"false\"", blazor.Value, StringComparison.Ordinal);
        var start = StartScript().Match(html);
        Assert.True(start.Success, "The page does not load js/blazor-start.js, which starts Blazor.");
        Assert.True(start.Index > blazor.Index, "js/blazor-start.js must come after blazor.web.js, which defines Blazor.start.");

        var script = await client.GetStringAsync(start.Groups["src"].Value);
        Assert.Contains("Blazor.start(", script, StringComparison.Ordinal);
        Assert.Contains("reconnectionOptions", script, StringComparison.Ordinal);
        Assert.Contains("retryIntervalMilliseconds", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReconnectionSchedule_GivesUpWithinTheTimeAHostKeepsADisconnectedCircuit()
    {
        using var client = fixture.Factory.CreateClient();
        var html = await client.GetStringAsync("/");
        var script = await client.GetStringAsync(StartScript().Match(html).Groups["src"].Value);
        int Number(string name) => int.Parse(Regex.Match(script, name + @":\s*(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

        // Attempt 1 at once, then the quick ones, then the slow ones until maxRetries.
        var (max, quick, quickMs, slowMs) = (Number("maxRetries"), Number("quickRetries"), Number("quickIntervalMs"), Number("slowIntervalMs"));
        var window = TimeSpan.FromMilliseconds(((quick - 1) * quickMs) + ((max - quick) * slowMs));
        var retention = fixture.Factory.Services.GetRequiredService<IOptions<CircuitOptions>>().Value.DisconnectedCircuitRetentionPeriod;

        // Longer than the host keeps the circuit can only fail; much shorter gives up on a phone that would have rejoined.
        Assert.InRange(window, retention * 0.75, retention);
        Assert.InRange(quickMs, 500, 2_000);
    }

    [Fact]
    public async Task TheReconnectModal_ReloadsThePage_WhenTheCircuitIsUnknown_AndWhenAServerAnswersAfterAFailedRejoin()
    {
        using var client = fixture.Factory.CreateClient();
        var html = await client.GetStringAsync("/");
        var modal = ModalScript().Match(html);
        Assert.True(modal.Success, "The page does not load the reconnect modal's script.");
        Assert.Contains("<dialog id=\"components-reconnect-modal\"", html, StringComparison.Ordinal);
        Assert.Contains("This page reloads by itself as soon as the server answers.", html, StringComparison.Ordinal);

        var script = await client.GetStringAsync(modal.Groups["src"].Value);
        var handler = Regex.Match(script, @"function handleReconnectStateChanged\(event\) \{(?<body>.*?)\r?\n\}", RegexOptions.Singleline).Groups["body"].Value;
        Assert.Matches(new Regex(@"state === ""rejected""\) \{\s*location\.reload\(\);"), handler);
        Assert.Matches(new Regex(@"state === ""failed""\) \{[^}]*reloadWhenServerAnswers\(\);"), handler);
        var reload = Regex.Match(script, @"function reloadWhenServerAnswers\(\) \{(?<body>.*?)\r?\n\}", RegexOptions.Singleline).Groups["body"].Value;
        // Reloads only on an answer from a server: a proxy's 502 would give the browser's own error page instead.
        Assert.Contains("response.status < 500", reload, StringComparison.Ordinal);
        Assert.Contains("location.reload();", reload, StringComparison.Ordinal);
        Assert.Contains("setTimeout(check, interval)", reload, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<script src=""(?<src>[^""]*_framework/blazor\.web[^""]*\.js)""[^>]*>")]
    private static partial Regex BlazorScript();

    [GeneratedRegex(@"<script src=""(?<src>[^""]*js/blazor-start[^""]*\.js)""[^>]*>")]
    private static partial Regex StartScript();

    [GeneratedRegex(@"<script type=""module"" src=""(?<src>[^""]*/ReconnectModal\.[^""]*razor\.js)""[^>]*>")]
    private static partial Regex ModalScript();
}
