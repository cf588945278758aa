using System.Globalization;

namespace ConsentHub.Text;

/// <summary>Counts in words as people write them: "1 request", "3 requests", "no requests" — on screen and in print.</summary>
public static class Plural
{
    public static string Of(long count, string one, string many) =>
        count switch
        {
            0 => "No " + many,
            1 => "1 " + one,
            _ => count.ToString("N0", CultureInfo.GetCultureInfo("en-GB")) + " " + many,
        };

    /// <summary>The word alone, for a sentence that states the count itself.</summary>
    public static string Word(long count, string one, string many) => count == 1 ? one : many;
}
