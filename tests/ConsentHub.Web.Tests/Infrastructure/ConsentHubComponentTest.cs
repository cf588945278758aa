using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// Base for component tests: a fixed clock (1 Sep 2026, 08:00 UK time), a signed-out user that a test can sign
/// in with roles, loose JS interop, and a host environment a test can switch.
/// </summary>
public abstract class ConsentHubComponentTest : BunitContext
{
    static ConsentHubComponentTest()
    {
        // Component tests that read a real database wait for renders; one second is too short on a busy CI machine.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }

    protected ConsentHubComponentTest()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 7, 0, 0, TimeSpan.Zero));
        Environment = new FakeWebHostEnvironment { EnvironmentName = Environments.Production };
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<IWebHostEnvironment>(Environment);
        Services.AddSingleton<IHostEnvironment>(Environment);
        Auth = AddAuthorization();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected FakeTimeProvider Clock { get; }
    protected FakeWebHostEnvironment Environment { get; }
    protected BunitAuthorizationContext Auth { get; }

    protected sealed class FakeWebHostEnvironment : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = "";
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "ConsentHub.Web";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = "";
        public string EnvironmentName { get; set; } = Environments.Production;
    }
}
