using System.CommandLine;
using IdentityProvider.Keys;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace IdentityProvider.Cli;

internal static class KeysCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("keys", "Inspect and rotate signing keys.");
        command.Add(Show(context));
        command.Add(Rotate(context));
        return command;
    }

    private static Command Show(CommandContext context)
    {
        var command = new Command("show", "List the signing and encryption keys the server would use: the symmetric one first, then the RSA keys, current first.");
        command.SetAction((parseResult, _) => context.RunAsync(parseResult, async (services, output) =>
        {
            var server = services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;
            foreach (var credentials in server.SigningCredentials)
            {
                await output.WriteLineAsync($"signing\t{credentials.Kid}\t{credentials.Algorithm}\t{credentials.Key.GetType().Name}");
            }

            foreach (var credentials in server.EncryptionCredentials)
            {
                await output.WriteLineAsync($"encryption\t{credentials.Key.KeyId}\t{credentials.Alg}\t{credentials.Key.GetType().Name}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Rotate(CommandContext context)
    {
        var overlap = new Option<TimeSpan>("--overlap")
        {
            Description = "How long the previous signing key stays published (at least the access token lifetime).",
            DefaultValueFactory = _ => TimeSpan.FromDays(1),
        };
        var command = new Command("rotate", "Add a new stored signing key; it signs after the next restart.") { overlap };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            var key = await services.GetRequiredService<KeyRing>().RotateSigningKeyAsync(parseResult.GetValue(overlap), cancellationToken);
            await output.WriteLineAsync($"New signing key {key.Id}; restart the server instances to start using it.");
            return 0;
        }));
        return command;
    }
}
