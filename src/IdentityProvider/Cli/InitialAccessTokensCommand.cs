using System.CommandLine;
using System.Globalization;
using IdentityProvider.Developers;

namespace IdentityProvider.Cli;

/// <summary>Initial access tokens: what an app presents to register itself at <c>/connect/register</c> (RFC 7591).</summary>
internal static class InitialAccessTokensCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("initial-access-tokens", "Issue, list and revoke the tokens that let apps register themselves (RFC 7591).");
        command.Add(Issue(context));
        command.Add(List(context));
        command.Add(Revoke(context));
        return command;
    }

    private static Command Issue(CommandContext context)
    {
        var name = new Argument<string>("name") { Description = "What it is for, e.g. the partner it is given to." };
        var expiresIn = new Option<TimeSpan>("--expires-in")
        {
            Description = "How long it is valid (at most 365 days).",
            DefaultValueFactory = _ => TimeSpan.FromDays(7),
        };
        var maxUses = new Option<int>("--max-uses") { Description = "How many registrations it allows.", DefaultValueFactory = _ => 1 };
        var command = new Command("issue", "Issue a token; it is printed once and stored only as a hash.") { name, expiresIn, maxUses };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            var lifetime = parseResult.GetValue(expiresIn);
            var uses = parseResult.GetValue(maxUses);
            if (InitialAccessTokens.IssueProblem(parseResult.GetValue(name), lifetime, uses) is { } problem)
            {
                return await CommandContext.FailAsync(parseResult, problem);
            }

            var (stored, token) = await services.GetRequiredService<InitialAccessTokens>()
                .IssueAsync(parseResult.GetRequiredValue(name), lifetime, uses, cancellationToken);
            await output.WriteLineAsync($"Issued {stored.Id}: {uses} registration(s) until {stored.ExpiresAt:u}. The token, shown only now:");
            await output.WriteLineAsync(token);
            return 0;
        }));
        return command;
    }

    private static Command List(CommandContext context)
    {
        var command = new Command("list", "List the tokens (never the tokens themselves): id, name, uses, expiry, state.");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            foreach (var token in await services.GetRequiredService<InitialAccessTokens>().ListAsync(cancellationToken))
            {
                await output.WriteLineAsync(string.Join('\t', token.Id, token.Name,
                    string.Create(CultureInfo.InvariantCulture, $"{token.Uses}/{token.MaxUses}"), token.ExpiresAt.ToString("u", CultureInfo.InvariantCulture), token.StateAt(now)));
            }

            return 0;
        }));
        return command;
    }

    private static Command Revoke(CommandContext context)
    {
        var id = new Argument<Guid>("id");
        var command = new Command("revoke", "Revoke a token: no more registrations with it.") { id };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            var tokenId = parseResult.GetRequiredValue(id);
            if (!await services.GetRequiredService<InitialAccessTokens>().RevokeAsync(tokenId, cancellationToken))
            {
                return await CommandContext.FailAsync(parseResult, $"No active token {tokenId}.");
            }

            await output.WriteLineAsync($"Revoked {tokenId}.");
            return 0;
        }));
        return command;
    }
}
