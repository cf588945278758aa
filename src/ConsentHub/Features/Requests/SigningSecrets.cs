using System.Security.Cryptography;
using System.Text;

namespace ConsentHub.Requests;

/// <summary>
/// The secrets that let someone without an account answer a request: a long link token (256 random bits, sent by
/// email, stored only as its SHA-256) and a short human code for the paper form (8 characters from an alphabet
/// without look-alikes, typed at /sign and always checked together with the pupil's date of birth).
/// </summary>
public static class SigningSecrets
{
    /// <summary>No 0/O, 1/I/L, 5/S, 8/B, 2/Z or U/V: what a parent reads off paper is what they type (24 symbols, 24^8 ≈ 2^36.7).</summary>
    public const string ShortCodeAlphabet = "ACDEFGHJKMNPQRTWXY234679";

    public const int ShortCodeLength = 8;

    /// <summary>A new link token: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 of the token's characters: what the database keeps.</summary>
    public static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>A new short code, uniformly drawn from <see cref="ShortCodeAlphabet"/>.</summary>
    public static string NewShortCode() => RandomNumberGenerator.GetString(ShortCodeAlphabet, ShortCodeLength);

    /// <summary>Shows a code as people read it aloud: <c>ACDE-FG23</c>.</summary>
    public static string FormatShortCode(string code) => code.Length == ShortCodeLength ? $"{code[..4]}-{code[4..]}" : code;

    /// <summary>
    /// Reads a code as typed, ignoring case, spaces and dashes. False when it cannot be a code (a character that is
    /// never issued, or the wrong length), so a typo costs no database lookup.
    /// </summary>
    public static bool TryNormaliseShortCode(string? typed, out string code)
    {
        code = "";
        if (string.IsNullOrWhiteSpace(typed)) return false;
        var sb = new StringBuilder(ShortCodeLength);
        foreach (var ch in typed)
        {
            if (ch is ' ' or '-' or '\u2010' or '\u2011' or '\u2013' or '\u2014') continue;
            var c = char.ToUpperInvariant(ch);
            if (!ShortCodeAlphabet.Contains(c, StringComparison.Ordinal)) return false;
            sb.Append(c);
            if (sb.Length > ShortCodeLength) return false;
        }
        if (sb.Length != ShortCodeLength) return false;
        code = sb.ToString();
        return true;
    }

    /// <summary>True when the token could have come from <see cref="NewToken"/>; cheap filter before any lookup.</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
