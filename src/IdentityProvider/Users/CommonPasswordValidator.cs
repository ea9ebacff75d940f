using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Users;

/// <summary>
/// Rejects the passwords attackers try first. The list ships with the app (no network lookups): the
/// 30 000 most common passwords of the Xato ten-million-password corpus as ranked by zxcvbn 4.4.2
/// (MIT). Its entries are lower case, so the comparison ignores case.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<ApplicationUser>
{
    private static readonly Lazy<FrozenSet<string>> CommonPasswords = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(IsCommon(password)
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooCommon",
                Description = "This password is one of the most commonly used ones and is easy to guess. Choose another, for example a few unrelated words.",
            })
            : IdentityResult.Success);

    internal static bool IsCommon(string? password) =>
        !string.IsNullOrEmpty(password) && CommonPasswords.Value.Contains(password.Trim());

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("common-passwords.txt")
            ?? throw new InvalidOperationException("The embedded common-passwords.txt resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var passwords = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                passwords.Add(line);
            }
        }

        return passwords.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
