namespace ConsentHub.Requests;

/// <summary>Settings under "Signing": where parents and pupils answer, and how long links last.</summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    /// <summary>
    /// The address parents reach the app at, e.g. <c>https://consent.example-trust.org.uk</c>: links in emails and
    /// on paper forms are built from it, because a background job has no request to take the host from.
    /// </summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:5080");

    /// <summary>A request's link and short code keep working this long after its deadline.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The deadline an expired request gets when the office sends it a new link ("Send a new link" for expired
    /// requests), in days from that day; the link then works to the end of it plus <see cref="GracePeriod"/>.
    /// </summary>
    public int ReissueDeadlineDays { get; set; } = 14;

    /// <summary>How long a request without a deadline stays answerable.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(60);

    /// <summary>Where people without the email answer with the short code from the paper form.</summary>
    public Uri ShortCodeUrl => new(PublicBaseUrl, "sign");

    /// <summary>What the paper form's QR code opens: the short-code page with the code filled in (the date of birth is still asked).</summary>
    public Uri ShortCodeUrlFor(string shortCode) => new(PublicBaseUrl, "sign?code=" + Uri.EscapeDataString(shortCode));

    /// <summary>
    /// The longest a change or withdraw link (sent with every receipt) keeps working. A link lives as long as the
    /// consent it changes (to the end of its validity), and this long while that consent lasts until withdrawn.
    /// </summary>
    public TimeSpan ChangeLinkLifetime { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Requests to the signing pages from one IP address per minute before a 429.</summary>
    public int RequestsPerIpPerMinute { get; set; } = 60;

    /// <summary>Requests to one link (token) per minute before a 429.</summary>
    public int RequestsPerTokenPerMinute { get; set; } = 20;

    /// <summary>The link for one request: <c>{PublicBaseUrl}/s/{token}</c>.</summary>
    public Uri SigningUrl(string token) => new(PublicBaseUrl, "s/" + token);

    /// <summary>A change or withdraw link: <c>{PublicBaseUrl}/sign/change/{token}</c>.</summary>
    public Uri ChangeUrl(string token) => new(PublicBaseUrl, "sign/change/" + token);

    /// <summary>Where people ask for new change links: <c>{PublicBaseUrl}/sign/lost</c>.</summary>
    public Uri LostLinkUrl => new(PublicBaseUrl, "sign/lost");
}
