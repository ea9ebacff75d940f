using System.ComponentModel.DataAnnotations;
using IdentityProvider.Clients;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Bootstrap;

/// <summary>
/// Validates each bootstrap entry (DataAnnotations do not descend into lists) and names the
/// offending key, e.g. <c>Bootstrap:Clients:0:ClientSecret</c>. Outside Development it also refuses the
/// sample credentials that appsettings.Development.json and the README publish.
/// </summary>
internal sealed class BootstrapOptionsValidation(IHostEnvironment environment) : IValidateOptions<BootstrapOptions>
{
    /// <summary>The sample client's secret and the sample user's password.</summary>
    private static readonly string[] SampleCredentials = ["dev-secret", "correct horse battery"];

    public ValidateOptionsResult Validate(string? name, BootstrapOptions options)
    {
        var failures = new List<string>();
        Check(options.Scopes, "Scopes", failures);
        Check(options.Users, "Users", failures);

        for (var i = 0; i < options.Clients.Count; i++)
        {
            failures.AddRange(ClientRules.Problems(options.Clients[i]).Select(problem => $"Bootstrap:Clients:{i}: {problem}"));
        }

        if (!environment.IsDevelopment())
        {
            failures.AddRange(options.Clients
                .Select((client, i) => (Value: client.ClientSecret, Key: $"Bootstrap:Clients:{i}:ClientSecret"))
                .Concat(options.Users.Select((user, i) => (Value: user.Password, Key: $"Bootstrap:Users:{i}:Password")))
                .Where(credential => SampleCredentials.Contains(credential.Value))
                .Select(credential =>
                    $"{credential.Key} is the published sample value, which anyone can look up: outside Development, choose your own."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check<T>(List<T> items, string section, List<string> failures) where T : notnull
    {
        for (var i = 0; i < items.Count; i++)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(items[i], new ValidationContext(items[i]), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r =>
                    $"Bootstrap:{section}:{i}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            }
        }
    }
}
