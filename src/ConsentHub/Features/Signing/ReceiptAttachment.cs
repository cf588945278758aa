using System.Text.Json;
using System.Text.Json.Serialization;
using ConsentHub.Email;
using ConsentHub.Trust;

namespace ConsentHub.Signing;

/// <summary>
/// What a receipt PDF says, fixed when the answers are recorded: the school's name, the child, the receipt number,
/// the wording version, the time and each use with its answer as submitted. Only the crest is read when the PDF is
/// made (as the receipt email's own crest is read when it is opened): it is the school's emblem, not part of the record.
/// </summary>
public sealed record ReceiptRecipe(string Language, bool PupilIsSigner, Guid AcademyId, string SchoolName, string PupilName, string ReceiptNumber,
    string FormVersionLabel, DateTimeOffset At, string? SignatureName, IReadOnlyList<ReceiptLine> Lines);

/// <summary>
/// The receipt PDF is made when the receipt email is sent, not inside the signing POST: Skia embeds the fonts whole
/// and compresses them again for every document (a few milliseconds of CPU each), and a finished PDF is ~80 KB to
/// write to and read back from the outbox, where its recipe is a few hundred bytes. The family gets the same PDF.
/// </summary>
public sealed class ReceiptAttachment(ReadSchoolCrest crests) : IOutboxAttachmentMaker
{
    public const string Type = OutboxRecipes.Prefix + "signing-receipt+json";

    public string RecipeType => Type;

    /// <summary>The attachment to write to the outbox with the receipt email: the recipe, named as the PDF will be.</summary>
    public static EmailAttachment For(ReceiptRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return new($"consent-receipt-{recipe.ReceiptNumber}.pdf", Type, JsonSerializer.SerializeToUtf8Bytes(recipe, ReceiptRecipeJson.Default.ReceiptRecipe));
    }

    public async Task<MadeAttachment> MakeAsync(ReadOnlyMemory<byte> recipe, CancellationToken cancellationToken)
    {
        ReceiptRecipe r;
        try
        {
            r = JsonSerializer.Deserialize(recipe.Span, ReceiptRecipeJson.Default.ReceiptRecipe)
                ?? throw new FormatException("The receipt's recipe is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException("The receipt's recipe cannot be read.", e);
        }
        var subject = new ReceiptSubject(r.SchoolName, await crests.ForPrintAsync(r.AcademyId, cancellationToken), r.PupilName);
        return new MadeAttachment("application/pdf",
            ReceiptDocument.Render(r.Language, r.PupilIsSigner, subject, r.ReceiptNumber, r.FormVersionLabel, r.At, r.SignatureName, r.Lines));
    }
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(ReceiptRecipe))]
internal sealed partial class ReceiptRecipeJson : JsonSerializerContext;
