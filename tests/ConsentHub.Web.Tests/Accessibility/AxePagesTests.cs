using ConsentHub.Web.Tests.Infrastructure;

namespace ConsentHub.Web.Tests.Accessibility;

/// <summary>
/// The journeys' accessibility check (<see cref="AxePages"/>) runs axe the quicker way; it must still find what axe
/// finds: a page with no language, a photo without alternative text, an unlabelled text box and low-contrast text
/// fails, each violation named with its element, and a page without them passes.
/// </summary>
public sealed class AxePagesTests
{
    [Fact]
    public async Task APageWithNoLanguage_AnUnlabelledBox_AnImageWithoutAlt_AndFaintText_HasThoseViolations_ATidyOneHasNone()
    {
        var browser = await SharedChromium.GetAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.SetContentAsync("""
            <!doctype html><html><head><title>Bad page</title></head><body><main>
            <h1>Consent</h1>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">
            <input type="text" name="name">
            <p style="color:#bbb;background:#fff">Faint words a parent cannot read</p>
            </main></body></html>
            """);
        var bad = await page.RunAxeAsync();
        var ids = bad.Violations.Select(v => v.Id).ToList();
        Assert.Contains("html-has-lang", ids);
        Assert.Contains("image-alt", ids);
        Assert.Contains("label", ids);
        Assert.Contains("color-contrast", ids);
        Assert.Contains(bad.Violations.Single(v => v.Id == "label").Nodes, n => n.Html.Contains("name=\"name\"", StringComparison.Ordinal));

        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>Tidy page</title></head><body><main>
            <h1>Consent</h1>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10" alt="The school's crest">
            <label for="n">Your name</label> <input id="n" type="text" name="name">
            <p style="color:#222;background:#fff">Words a parent can read</p>
            </main></body></html>
            """);
        var tidy = await page.RunAxeAsync();
        Assert.Empty(tidy.Violations);
        Assert.True(tidy.Passes.Length > 10, "axe checked too little: did it run?");
    }
}
