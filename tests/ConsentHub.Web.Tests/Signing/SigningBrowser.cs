using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// A browser for the signing pages over HTTPS: keeps cookies, does not follow redirects (tests see them), and
/// posts forms with the hidden fields (antiforgery token, language) of the last page it was shown.
/// </summary>
public sealed partial class SigningBrowser : IDisposable
{
    public SigningBrowser(ConsentHubWebFactory factory, string? clientAddress = null)
    {
        Client = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
        ClientAddress = clientAddress ?? $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
        Client.DefaultRequestHeaders.Add(TestClientAddress.Header, ClientAddress);
    }

    public HttpClient Client { get; }

    /// <summary>The address this browser seems to come from (each browser its own, for the per-address limit).</summary>
    public string ClientAddress { get; }

    public string LastHtml { get; private set; } = "";

    public async Task<Page> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return await ReadAsync(response);
    }

    /// <summary>Posts the fields with the hidden fields of the last page's form (the first form, or the one posting to <paramref name="path"/>).</summary>
    public Task<Page> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) => PostFromAsync(LastHtml, path, fields);

    /// <summary>Posts with the hidden fields of a page shown earlier (one whose form is no longer on screen).</summary>
    public async Task<Page> PostFromAsync(string pageHtml, string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var all = HiddenFields(pageHtml);
        foreach (var (k, v) in fields) all[k] = v;
        using var response = await Client.PostAsync(path, new FormUrlEncodedContent(all));
        return await ReadAsync(response);
    }

    public Task<Page> PostAsync(string path, params (string Key, string Value)[] fields) =>
        PostAsync(path, fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    public static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in HiddenInput().Matches(html))
            fields[WebUtility.HtmlDecode(m.Groups["name"].Value)] = WebUtility.HtmlDecode(m.Groups["value"].Value);
        return fields;
    }

    private async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        if (html.Length > 0) LastHtml = html;
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var c) ? c.ToList() : [];
        return new Page(response.StatusCode, html, response.Headers.Location?.OriginalString, cookies,
            response.Headers.CacheControl?.ToString() ?? "", response.Headers.TryGetValues("Referrer-Policy", out var rp) ? string.Join(",", rp) : "");
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();

    public sealed record Page(HttpStatusCode Status, string Html, string? Location, IReadOnlyList<string> SetCookies, string CacheControl, string ReferrerPolicy)
    {
        public string Text => WebUtility.HtmlDecode(Html);

        /// <summary>The ids of the radio buttons that are checked.</summary>
        public IReadOnlyList<string> Checked =>
            [.. CheckedInput().Matches(Html).Select(m => m.Groups["id"].Value)];
    }

    [GeneratedRegex("""<input[^>]*id="(?<id>[^"]+)"[^>]*checked[^>]*>""")]
    private static partial Regex CheckedInput();
}
