using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;

namespace ConsentHub.Staff;

/// <summary>
/// Refuses passwords on the shipped list of common passwords: case-insensitive, and with spaces ignored, so
/// "Qwerty 123456" is refused like "qwerty123456".
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<StaffUser>
{
    public const string ErrorCode = "CommonPassword";

    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    public static bool IsCommon(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var folded = password.Trim().ToLowerInvariant();
        return List.Value.Contains(folded) || List.Value.Contains(string.Concat(folded.Where(c => !char.IsWhiteSpace(c))));
    }

    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = ErrorCode, Description = "This password is too common: choose a phrase only you would think of." })
            : IdentityResult.Success);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("ConsentHub.Staff.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            words.Add(line.Trim().ToLowerInvariant());
        }
        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
