using ConsentHub.Email;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Email;

/// <summary>The trust's Liquid templates: language fallback, the subject line, and HTML encoding of what people typed.</summary>
public sealed class EmailTemplatesTests
{
    private static readonly EmailTemplates Templates = new(Options.Create(new TemplateOptions()));

    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["recipient_name"] = "Mr <b>Łukasz</b> O'Brien & Co",
        ["greeting"] = "Dear Mr <b>Łukasz</b> O'Brien & Co",
        ["pupil_first_name"] = "Zoë",
        ["academy_name"] = "North Academy",
        ["deadline"] = "Friday 18 September 2026",
        ["link"] = "https://consent.example/s/abc",
        ["sign_url"] = "https://consent.example/sign",
        ["short_code"] = "ACDE-FG23",
    };

    [Theory]
    [InlineData("pl", "pl")]
    [InlineData("pl-PL", "pl")]
    [InlineData("PL", "pl")]
    [InlineData("cy", "en")]
    [InlineData("../../etc", "en")]
    [InlineData(null, "en")]
    public void TheContactsLanguage_IsUsedWhenTheTrustHasATemplate_ElseEnglish(string? preferred, string expected) =>
        Assert.Equal(expected, Templates.LanguageFor("consent-request", preferred));

    [Fact]
    public void TheHtmlPart_EncodesTypedNames_AndTheTextPartKeepsThemAsTyped()
    {
        var email = Templates.Render("consent-request", "en", Values);

        Assert.Equal("Photos and videos of Zoë: please answer by Friday 18 September 2026", email.Subject);
        Assert.StartsWith("Dear Mr <b>Łukasz</b> O'Brien & Co,", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("Mr &lt;b&gt;Łukasz&lt;/b&gt; O&#x27;Brien &amp; Co", email.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Łukasz", email.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Subject:", email.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingTemplate_SaysWhichFile()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Templates.Render("no-such-template", "en", Values));
        Assert.Contains("no-such-template.en.txt.liquid", e.Message, StringComparison.Ordinal);
    }
}
