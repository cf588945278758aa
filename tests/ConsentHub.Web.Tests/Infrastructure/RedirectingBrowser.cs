using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// An HTTP client that behaves like a browser going between the app (the in-memory test host at https://localhost)
/// and a real server on another address (the test OpenID provider): one cookie jar, redirects followed, and a
/// page that posts itself (an OpenID Connect form_post response) submitted as the browser's script would.
/// </summary>
public sealed partial class RedirectingBrowser : IDisposable
{
    public static readonly Uri AppAddress = new("https://localhost");

    private readonly HttpClient _http;

    public RedirectingBrowser(ConsentHubWebFactory factory)
    {
        var routing = new RoutingHandler(factory.Server.CreateHandler(), new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        _http = new HttpClient(new CookieContainerHandler(Cookies) { InnerHandler = routing }) { BaseAddress = AppAddress };
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The client itself (redirects not followed), for the app's own forms after signing in.</summary>
    public HttpClient Http => _http;

    /// <summary>Every address visited by the last <see cref="GoAsync"/>, in order.</summary>
    public List<Uri> History { get; } = [];

    /// <summary>Opens the address and follows redirects and self-posting forms to the page that stays.</summary>
    public async Task<BrowserPage> GoAsync(string url)
    {
        History.Clear();
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(AppAddress, url));
        for (var hop = 0; hop < 20; hop++)
        {
            History.Add(request.RequestUri!);
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                request = new HttpRequestMessage(HttpMethod.Get, new Uri(request.RequestUri!, location));
                continue;
            }
            if (AutoPostForm().Match(body) is { Success: true } form)
            {
                var fields = HiddenInput().Matches(form.Groups["fields"].Value)
                    .ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
                request = new HttpRequestMessage(HttpMethod.Post, new Uri(request.RequestUri!, WebUtility.HtmlDecode(form.Groups["action"].Value)))
                {
                    Content = new FormUrlEncodedContent(fields),
                };
                continue;
            }
            return new BrowserPage(request.RequestUri!, response.StatusCode, body);
        }
        throw new InvalidOperationException("More than 20 redirects: " + string.Join(" -> ", History));
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("""<body onload="document.forms\[0\].submit\(\)"><form method="post" action="(?<action>[^"]+)">(?<fields>.*?)</form>""", RegexOptions.Singleline)]
    private static partial Regex AutoPostForm();

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)" />""")]
    private static partial Regex HiddenInput();

    /// <summary>https://localhost goes to the test host; anything else over the network.</summary>
    private sealed class RoutingHandler(HttpMessageHandler app, HttpMessageHandler network) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _app = new(app);
        private readonly HttpMessageInvoker _network = new(network);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri is { Scheme: "https", Host: "localhost", IsDefaultPort: true }
                ? _app.SendAsync(request, cancellationToken)
                : _network.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _app.Dispose();
                _network.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

public sealed record BrowserPage(Uri Address, HttpStatusCode Status, string Html);
