using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// axe on a page as it is now: every rule axe runs by default (WCAG 2.0–2.2 A and AA, plus best practice), with the
/// full detail of every violation. Run in the page itself ("legacy" mode: our pages have no frames), which spares
/// what the default mode does for frames on every call (axe injected a second time into a new blank page to merge
/// the frames' results), and with one example node per passed or inapplicable rule instead of every node: the
/// journeys spent about two thirds of their time in axe.
/// </summary>
public static class AxePages
{
    private static readonly AxeRunOptions Options = new()
    {
        ResultTypes = [ResultType.Violations],
        Iframes = false,
    };

    /// <summary>axe over the whole document (its root element, so the page-level rules such as the language run too).</summary>
    // Marked obsolete by the package ("may be removed in future"): the package version is pinned, and a version
    // without it fails this build, not a test.
#pragma warning disable CS0618
    public static Task<AxeResult> RunAxeAsync(this IPage page) => page.Locator("html").RunAxeLegacy(Options);
#pragma warning restore CS0618
}
