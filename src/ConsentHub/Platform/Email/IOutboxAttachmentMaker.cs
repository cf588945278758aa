namespace ConsentHub.Email;

/// <summary>
/// Makes an attachment as its message is sent, from a small "recipe" the feature stored with the message in its own
/// transaction (<see cref="OutboxRecipes"/>): the feature's request stays quick and the outbox holds a few hundred
/// bytes instead of the finished file. The recipe must hold everything the file says as it was when the message was
/// written; the maker only lays it out. One maker per recipe type, registered by the feature that writes it.
/// </summary>
public interface IOutboxAttachmentMaker
{
    /// <summary>The content type the recipe is stored under; starts with <see cref="OutboxRecipes.Prefix"/>.</summary>
    string RecipeType { get; }

    /// <summary>The file to send in place of the recipe. Throws <see cref="FormatException"/> for a recipe it cannot read.</summary>
    Task<MadeAttachment> MakeAsync(ReadOnlyMemory<byte> recipe, CancellationToken cancellationToken);
}

/// <summary>What a maker made: the content type the message carries, and the content.</summary>
public sealed record MadeAttachment(string ContentType, byte[] Content);

public static class OutboxRecipes
{
    /// <summary>
    /// Content types under this prefix are recipes, never sent as they are: the drain sends the made file, or keeps
    /// the message back (to retry) when this process has no maker for the type.
    /// </summary>
    public const string Prefix = "application/vnd.consenthub.recipe.";

    public static bool IsRecipe(string contentType) => contentType.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
}
