using System.Text.Json;
using System.Text.Json.Serialization;
using ConsentHub.Web.Components.Pages.Signing;
using Microsoft.AspNetCore.Mvc;

namespace ConsentHub.Web.Security;

/// <summary>
/// Input no handler should ever see, turned away once, before any handler runs: a NUL or a lone UTF-16 surrogate
/// anywhere in the path, the query or a posted form (PostgreSQL cannot store a NUL, and a lone surrogate cannot be
/// encoded), a query value over <see cref="MaxQueryValueLength"/> characters, and a form over the framework's limits
/// (1,024 fields, 4 MB a value). The answer is a 400 or 413 that says what was wrong, in the form the caller reads:
/// problem details for the API, the signing pages' own message in the signer's language, a plain page for staff.
/// JSON bodies get the same rule from <see cref="StrictStringConverter"/>. Nothing is recorded, nothing is logged
/// beyond the status.
/// </summary>
public static class InputGuard
{
    /// <summary>Longer than any real query value; Kestrel turns away a request line over 8 KB anyway.</summary>
    public const int MaxQueryValueLength = 4_096;

    public static IApplicationBuilder UseConsentHubInputGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            // No query string, no query values to look at (and no enumerator allocated for the empty collection).
            if (IsBad(request.Path.Value) || (request.QueryString.HasValue && request.Query.Any(q => IsBad(q.Key) || q.Value.Any(v => IsBad(v) || v!.Length > MaxQueryValueLength))))
            {
                await RejectAsync(context, StatusCodes.Status400BadRequest);
                return;
            }
            if (request.HasFormContentType)
            {
                IFormCollection form;
                try
                {
                    form = await request.ReadFormAsync(context.RequestAborted);
                }
                catch (InvalidDataException e)
                {
                    // The form readers' limits: a value or body over its length limit is too large; anything else unreadable is a bad request.
                    await RejectAsync(context, e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase)
                        ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
                    return;
                }
                catch (BadHttpRequestException e)
                {
                    await RejectAsync(context, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
                    return;
                }
                if (form.Any(f => IsBad(f.Key) || f.Value.Any(IsBad)) || form.Files.Any(f => IsBad(f.FileName) || IsBad(f.Name)))
                {
                    await RejectAsync(context, StatusCodes.Status400BadRequest);
                    return;
                }
            }
            await next(context);
        });

    /// <summary>True when the text holds a NUL or a surrogate without its pair.</summary>
    public static bool IsBad(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return true;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else return true;
            }
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsSigningPage(PathString path) =>
        path.StartsWithSegments("/s") || path.StartsWithSegments("/sign");

    private static async Task RejectAsync(HttpContext context, int status)
    {
        var tooLarge = status == StatusCodes.Status413PayloadTooLarge;
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = status,
                    Title = tooLarge ? "Request too large" : "Unreadable input",
                    Detail = tooLarge
                        ? "The request body is larger than this endpoint accepts."
                        : "The path, query or form contains a NUL character, a lone surrogate or a value that is far too long.",
                },
            });
            return;
        }
        if (IsSigningPage(path))
        {
            var text = SigningText.For(ConsentHub.Signing.SigningLanguage.Choose(SafeLanguage(context), null));
            await SigningEndpoints.Message(context, text, tooLarge ? text.TooLargeTitle : text.BadInputTitle,
                [tooLarge ? text.TooLargeBody : text.BadInputBody], [], status).ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var (title, body) = tooLarge
            ? ("Too much was sent", "What was sent is larger than this page accepts. Nothing was saved. Go back and try again with less.")
            : ("Something sent could not be read", "What was sent contains a character that cannot be stored (a NUL or a broken character) or a value that is far too long. Nothing was saved. Go back, check what was typed or pasted, and try again.");
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Error: {title} - ConsentHub</title></head>
            <body><main><h1>{title}</h1><p>{body}</p><p><a href="/">ConsentHub home</a></p></main></body></html>
            """);
    }

    /// <summary>The lang= asked for, if it is a clean one (the query itself may be what was bad).</summary>
    private static string SafeLanguage(HttpContext context)
    {
        var lang = context.Request.Query["lang"].ToString();
        return IsBad(lang) || lang.Length > 8 ? "" : lang;
    }
}

/// <summary>
/// For every JSON body the API reads: a string holding a NUL fails to read, like any other malformed JSON, so the
/// endpoint answers 400 naming the field instead of the database failing on it. (A lone surrogate escape already
/// fails in the reader.)
/// </summary>
public sealed class StrictStringConverter : JsonConverter<string>
{
    public const string NulMessage = "A text value contains a NUL character, which cannot be stored.";

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
            throw new JsonException(NulMessage);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    // Dictionary keys are strings too: without these, any Dictionary<string, …> written with the app's options (a
    // problem's extensions, request headers on the development error page) threw NotSupportedException.
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString()!;
        if (name.Contains('\0', StringComparison.Ordinal)) throw new JsonException(NulMessage);
        return name;
    }

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}
