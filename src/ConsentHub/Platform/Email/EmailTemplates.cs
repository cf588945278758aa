using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;
using Microsoft.Extensions.Options;

namespace ConsentHub.Email;

/// <summary>Settings under "Templates": where the Liquid templates the trust may edit are read from.</summary>
public sealed class TemplateOptions
{
    public const string Section = "Templates";

    /// <summary>The folder holding <c>email/</c> (and <c>forms/</c>). Empty: <c>templates</c> beside the app.</summary>
    public string? Path { get; set; }

    public string ResolvePath() => string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(AppContext.BaseDirectory, "templates") : Path;
}

/// <summary>A rendered email: the subject (the text template's first line), the text part and the HTML part.</summary>
public sealed record RenderedEmail(string Subject, string TextBody, string? HtmlBody);

/// <summary>
/// Renders <c>templates/email/&lt;name&gt;.&lt;lang&gt;.txt.liquid</c> (first line <c>Subject: …</c>, then a blank
/// line, then the body) and the optional <c>.html.liquid</c> beside it. Values are plain strings; the HTML part is
/// rendered with HTML encoding, so a name like "O'Brien &lt;b&gt;" cannot change the markup. Parsed templates are
/// cached; a template the trust changes is read again after a restart.
/// </summary>
public sealed class EmailTemplates(IOptions<TemplateOptions> options)
{
    public const string DefaultLanguage = "en";

    private static readonly FluidParser Parser = new();

    // Encodes what HTML needs (< > & " ') but leaves letters such as ë and ł readable in the source.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly ConcurrentDictionary<string, IFluidTemplate?> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The language to use for <paramref name="preferred"/> ("pl", "pl-PL"): the tag itself, else its primary
    /// language, else English, whichever has a text template.
    /// </summary>
    public string LanguageFor(string name, string? preferred)
    {
        foreach (var candidate in Candidates(preferred))
        {
            if (Load(name, candidate, "txt") is not null) return candidate;
        }
        return DefaultLanguage;
    }

    /// <exception cref="InvalidOperationException">There is no text template for this name and language, or it does not parse.</exception>
    public RenderedEmail Render(string name, string language, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Render(name, language, values.ToDictionary(v => v.Key, v => (object)v.Value, StringComparer.Ordinal));
    }

    /// <param name="lists">Lists of rows for <c>{% for %}</c>, e.g. a receipt's answers; each row's values are plain strings too.</param>
    public RenderedEmail Render(string name, string language, IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>? lists)
    {
        ArgumentNullException.ThrowIfNull(values);
        var all = values.ToDictionary(v => v.Key, v => (object)v.Value, StringComparer.Ordinal);
        foreach (var (key, rows) in lists ?? new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>())
            all[key] = rows.Select(row => row.ToDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal)).ToList();
        return Render(name, language, all);
    }

    /// <summary>
    /// As above, where a value may also be a list of rows for a <c>{% for %}</c> loop: each row a
    /// <c>Dictionary&lt;string, object&gt;</c> of strings (e.g. the tasks in a takedown email).
    /// </summary>
    public RenderedEmail Render(string name, string language, IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = Load(name, language, "txt")
            ?? throw new InvalidOperationException($"There is no email template '{name}.{language}.txt.liquid' in {EmailFolder()}.");
        var html = Load(name, language, "html");

        var renderedText = Render(text, values, NullEncoder.Default).ReplaceLineEndings("\n");
        const string prefix = "Subject:";
        var newline = renderedText.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = newline < 0 ? renderedText : renderedText[..newline];
        if (!firstLine.StartsWith(prefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"Email template '{name}.{language}.txt.liquid' must start with a 'Subject: …' line.");
        var subject = firstLine[prefix.Length..].Trim();
        var body = newline < 0 ? "" : renderedText[(newline + 1)..].TrimStart('\n');
        return new RenderedEmail(subject, body, html is null ? null : Render(html, values, Html));
    }

    private static string Render(IFluidTemplate template, IReadOnlyDictionary<string, object> values, TextEncoder encoder)
    {
        var context = new TemplateContext();
        foreach (var (key, value) in values) context.SetValue(key, value);
        return template.Render(context, encoder);
    }

    private static IEnumerable<string> Candidates(string? preferred)
    {
        if (!string.IsNullOrWhiteSpace(preferred))
        {
            var tag = preferred.Trim().ToLowerInvariant();
            // Only plain BCP 47 shapes reach the file system.
            if (tag.All(c => char.IsAsciiLetterLower(c) || c == '-') && tag.Length <= 16)
            {
                yield return tag;
                var dash = tag.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0) yield return tag[..dash];
            }
        }
        yield return DefaultLanguage;
    }

    private string EmailFolder() => Path.Combine(options.Value.ResolvePath(), "email");

    private IFluidTemplate? Load(string name, string language, string kind) =>
        _cache.GetOrAdd($"{name}.{language}.{kind}", key =>
        {
            var file = Path.Combine(EmailFolder(), $"{name}.{language}.{kind}.liquid");
            if (!File.Exists(file)) return null;
            var source = File.ReadAllText(file);
            return Parser.TryParse(source, out var template, out var error)
                ? template
                : throw new InvalidOperationException($"Email template '{Path.GetFileName(file)}' does not parse: {error}");
        });
}
