namespace ConsentHub.Hosting;

/// <summary>
/// The address people reach the app at (configured as Signing:PublicBaseUrl and validated there), for links that a
/// background job builds without a request to take the host from. Features other than Signing take this rather
/// than the signing options, so they need not depend on Signing.
/// </summary>
public sealed record PublicAddress(Uri BaseUrl)
{
    /// <summary>A page of the app, e.g. <c>For("takedowns")</c>.</summary>
    public Uri For(string relative) => new(BaseUrl, relative);
}
