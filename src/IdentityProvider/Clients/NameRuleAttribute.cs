using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace IdentityProvider.Clients;

/// <summary>
/// A rule for a name: present, not too long, only allowed characters. One definition serves forms (as a
/// validation attribute) and code that checks a name directly. It is a <see cref="RequiredAttribute"/>
/// because the rule includes presence, so MVC adds no second "required" message.
/// </summary>
public abstract class NameRuleAttribute(string what, int maximumLength, Regex allowed, string disallowed) : RequiredAttribute
{
    /// <summary>Why <paramref name="name"/> breaks the rule, or null.</summary>
    public virtual string? ProblemWith(string? name) => name switch
    {
        null or "" => $"{what} is required.",
        _ when name.Length > maximumLength => $"{what} has at most {maximumLength} characters.",
        _ when !allowed.IsMatch(name) => disallowed,
        _ => null,
    };

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        ProblemWith(value as string) is { } problem ? new ValidationResult(problem, [validationContext.MemberName!]) : ValidationResult.Success;
}
