namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// A <see cref="BrowserFixture"/> on an empty database (reference data only, no demo trust), for journeys that build
/// their own trust: they start without waiting for the demo trust's load, and copy a small database.
/// </summary>
public sealed class EmptyBrowserFixture : BrowserFixture
{
    protected override bool WithDemoTrust => false;
}
