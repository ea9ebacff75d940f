using System.CommandLine;

namespace IdentityProvider.Cli;

/// <summary>
/// The executable's command line: no command runs the server; each command builds the same
/// application (same configuration, same store) and uses its services, without serving requests.
/// </summary>
public static class ProviderCommandLine
{
    public static RootCommand Create(Func<string[], Task<int>> runServer, Func<string[], WebApplication> buildApp)
    {
        var root = new RootCommand("IdentityProvider: an OpenID Connect provider. Without a command it runs the server.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var hostArgs = parseResult.UnmatchedTokens.ToArray();
            // Host settings (--urls, --environment=...) pass through; a stray word is a typo'd command.
            if (hostArgs.Length > 0 && !hostArgs[0].StartsWith("--", StringComparison.Ordinal))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"Unknown command '{hostArgs[0]}'.");
                await root.Parse("--help").InvokeAsync(parseResult.InvocationConfiguration, cancellationToken);
                return 1;
            }

            return await runServer(hostArgs);
        });

        var context = new CommandContext(buildApp);
        root.Add(MigrateCommand.Create(context));
        root.Add(ClientsCommand.Create(context));
        root.Add(UsersCommand.Create(context));
        root.Add(KeysCommand.Create(context));
        root.Add(InitialAccessTokensCommand.Create(context));
        return root;
    }
}
