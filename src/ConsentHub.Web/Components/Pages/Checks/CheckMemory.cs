using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

namespace ConsentHub.Web.Components.Pages.Checks;

/// <summary>What the check page remembers on this device between visits: ids and choices only, never a name.</summary>
public sealed record CheckMemoryState(Guid? AcademyId, string? Who, string? PurposeKey, IReadOnlyList<Guid> RecentPupils)
{
    public const int MaxRecent = 8;

    public static readonly CheckMemoryState Empty = new(null, null, null, []);

    public CheckMemoryState WithRecent(Guid pupilId) =>
        this with { RecentPupils = [pupilId, .. RecentPupils.Where(id => id != pupilId).Take(MaxRecent - 1)] };
}

/// <summary>
/// The teacher's last class, purpose and recently checked pupils, in the browser's local storage, encrypted and
/// signed by the server (ProtectedLocalStorage), under a key of its own for each member of staff, so on a shared
/// phone one teacher never gets another's. Sign-out removes every such key (wwwroot/js/check-memory.js). Only
/// usable once the page is interactive: read it in OnAfterRenderAsync.
/// </summary>
public sealed class CheckMemory(ProtectedLocalStorage storage)
{
    /// <summary>Every key starts with this; the sign-out script removes them all.</summary>
    public const string KeyPrefix = "consenthub.check.";

    /// <summary>The key for one member of staff: a hash of their audit actor, so the key itself names nobody.</summary>
    public static string KeyFor(string actor) =>
        KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(actor)))[..24];

    public async Task<CheckMemoryState> ReadAsync(string actor)
    {
        try
        {
            var result = await storage.GetAsync<CheckMemoryState>(KeyFor(actor));
            return result.Success && result.Value is { } state ? state : CheckMemoryState.Empty;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Written under keys this server no longer has, or tampered with: start afresh.
            await storage.DeleteAsync(KeyFor(actor));
            return CheckMemoryState.Empty;
        }
    }

    public ValueTask SaveAsync(string actor, CheckMemoryState state) => storage.SetAsync(KeyFor(actor), state);
}
