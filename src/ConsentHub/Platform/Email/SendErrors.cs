using System.Text.RegularExpressions;

namespace ConsentHub.Email;

/// <summary>
/// Error text kept on an outbox row and in logs. Servers often echo the recipient ("550 &lt;x@y&gt; unknown"):
/// the row already holds the address, so the copy in the error is masked rather than spread into logs.
/// </summary>
internal static partial class SendErrors
{
    private const int MaxLength = 500;

    public static string Clean(string error)
    {
        var masked = Address().Replace(error, "<address>").ReplaceLineEndings(" ").Trim();
        return masked.Length <= MaxLength ? masked : masked[..MaxLength];
    }

    [GeneratedRegex(@"[^\s<>@""']+@[^\s<>@""']+")]
    private static partial Regex Address();
}
