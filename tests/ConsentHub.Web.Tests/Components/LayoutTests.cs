using Bunit;
using ConsentHub.Web.Components.Layout;
using ConsentHub.Web.Components.Pages;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace ConsentHub.Web.Tests.Components;

public sealed class LayoutTests : ConsentHubComponentTest
{
    [Fact]
    public void NavMenu_InProduction_HasNoDevelopmentMailDrop()
    {
        var nav = Render<NavMenu>();
        Assert.Contains("Home", nav.Find("nav").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Mail drop", nav.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void NavMenu_InDevelopment_LinksTheMailDrop()
    {
        Environment.EnvironmentName = Environments.Development;
        var nav = Render<NavMenu>();
        var link = nav.Find("a[href='dev/mail']");
        Assert.Contains("Mail drop", link.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void HomePage_SaysWhatEachKindOfUserCanDo()
    {
        var home = Render<Home>();
        Assert.Equal("ConsentHub", home.Find("h1").TextContent);
        var items = home.FindAll("li").Select(li => li.TextContent).ToList();
        Assert.Contains(items, t => t.StartsWith("Office staff", StringComparison.Ordinal));
        Assert.Contains(items, t => t.StartsWith("Parents and pupils", StringComparison.Ordinal));
        Assert.Contains(items, t => t.StartsWith("Teachers", StringComparison.Ordinal));
    }
}
