using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Fluid;
using Microsoft.Extensions.Options;

namespace ConsentHub.Forms;

/// <summary>
/// The printed forms' wording around the parts ConsentHub draws: <c>templates/forms/&lt;name&gt;.&lt;lang&gt;.liquid</c>,
/// rendered with Fluid to a light markup that <see cref="ConsentFormDocument"/> lays out. Parsed templates are
/// cached; a template the trust changes is read again after a restart.
/// </summary>
public sealed class FormTemplates(IOptions<Email.TemplateOptions> options)
{
    public const string DefaultLanguage = "en";

    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate?> _cache = new(StringComparer.Ordinal);

    /// <summary>The language to print in: the tag, else its primary language, else English, whichever exists.</summary>
    public string LanguageFor(string name, string? preferred)
    {
        if (!string.IsNullOrWhiteSpace(preferred))
        {
            var tag = preferred.Trim().ToLowerInvariant();
            if (tag.Length <= 16 && tag.All(c => char.IsAsciiLetterLower(c) || c == '-'))
            {
                if (Load(name, tag) is not null) return tag;
                var dash = tag.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0 && Load(name, tag[..dash]) is not null) return tag[..dash];
            }
        }
        return DefaultLanguage;
    }

    /// <exception cref="InvalidOperationException">No such template, or it does not parse.</exception>
    public string Render(string name, string language, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var template = Load(name, language)
            ?? throw new InvalidOperationException($"There is no form template '{name}.{language}.liquid' in {Folder()}.");
        var context = new TemplateContext();
        foreach (var (key, value) in values) context.SetValue(key, value);
        // The output is laid out as text, never parsed as HTML: no encoding, so "O'Brien" prints as typed.
        return template.Render(context, NullEncoder.Default).ReplaceLineEndings("\n");
    }

    private string Folder() => Path.Combine(options.Value.ResolvePath(), "forms");

    private IFluidTemplate? Load(string name, string language) =>
        _cache.GetOrAdd($"{name}.{language}", _ =>
        {
            var file = Path.Combine(Folder(), $"{name}.{language}.liquid");
            if (!File.Exists(file)) return null;
            return Parser.TryParse(File.ReadAllText(file), out var template, out var error)
                ? template
                : throw new InvalidOperationException($"Form template '{Path.GetFileName(file)}' does not parse: {error}");
        });
}
