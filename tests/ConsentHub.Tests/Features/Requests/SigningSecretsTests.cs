using ConsentHub.Requests;

namespace ConsentHub.Tests.Requests;

public sealed class SigningSecretsTests
{
    [Fact]
    public void NewToken_Is43UrlSafeCharacters_CarryingAtLeast128RandomBits()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => SigningSecrets.NewToken()).ToList();
        Assert.All(tokens, t => Assert.True(SigningSecrets.LooksLikeToken(t), t));
        Assert.Equal(1000, tokens.Distinct(StringComparer.Ordinal).Count());
        // 43 base64url characters carry 258 bits; the last one holds only 2 of them, so check the decoded length.
        Assert.All(tokens, t => Assert.Equal(32, Convert.FromBase64String(t.Replace('-', '+').Replace('_', '/') + "=").Length));
    }

    [Fact]
    public void HashToken_IsSha256_AndDiffersPerToken()
    {
        var a = SigningSecrets.HashToken("a");
        Assert.Equal(32, a.Length);
        Assert.Equal("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", Convert.ToHexStringLower(a));
        Assert.NotEqual(a, SigningSecrets.HashToken("b"));
    }

    [Fact]
    public void NewShortCode_UsesOnlyCharactersThatCannotBeMisread()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => SigningSecrets.NewShortCode()).ToList();
        Assert.All(codes, c => Assert.Equal(8, c.Length));
        var seen = codes.SelectMany(c => c).ToHashSet();
        foreach (var lookalike in "0O1IL5S8BZ2UV".Where(ch => !SigningSecrets.ShortCodeAlphabet.Contains(ch)))
            Assert.DoesNotContain(lookalike, seen);
        Assert.DoesNotContain('O', SigningSecrets.ShortCodeAlphabet);
        Assert.DoesNotContain('0', SigningSecrets.ShortCodeAlphabet);
        Assert.DoesNotContain('I', SigningSecrets.ShortCodeAlphabet);
        Assert.DoesNotContain('1', SigningSecrets.ShortCodeAlphabet);
        // Every symbol turns up: the draw covers the whole alphabet.
        Assert.Equal(SigningSecrets.ShortCodeAlphabet.Length, seen.Count);
    }

    [Theory]
    [InlineData("ACDE-FG23", "ACDEFG23")]
    [InlineData(" acde fg23 ", "ACDEFG23")]
    [InlineData("acdefg23", "ACDEFG23")]
    public void TryNormaliseShortCode_AcceptsTheCodeAsPeopleType_It(string typed, string expected)
    {
        Assert.True(SigningSecrets.TryNormaliseShortCode(typed, out var code));
        Assert.Equal(expected, code);
        Assert.Equal("ACDE-FG23", SigningSecrets.FormatShortCode(code));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ACDEFG2")]
    [InlineData("ACDEFG234")]
    [InlineData("ACDEFGO3")]
    [InlineData("ACDE<FG23")]
    [InlineData(null)]
    public void TryNormaliseShortCode_RefusesWhatCannotBeACode(string? typed) =>
        Assert.False(SigningSecrets.TryNormaliseShortCode(typed, out _));
}
