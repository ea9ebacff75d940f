using System.CommandLine;
using IdentityProvider.Clients;
using OpenIddict.Abstractions;

namespace IdentityProvider.Cli;

internal static class ClientsCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("clients", "Manage OAuth client applications.");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Remove(context));
        return command;
    }

    private static Command Add(CommandContext context)
    {
        var clientId = new Argument<string>("client-id");
        var secret = new Option<string?>("--secret") { Description = "Client secret (confidential clients). Stored hashed." };
        var type = new Option<ClientKind>("--type") { Description = "confidential or public", DefaultValueFactory = _ => ClientKind.Confidential };
        var name = new Option<string?>("--name") { Description = "Display name" };
        var grants = new Option<string[]>("--grant") { Description = "Allowed grant (repeatable): " + string.Join(", ", ClientRegistration.SupportedGrants), AllowMultipleArgumentsPerToken = true };
        var scopes = new Option<string[]>("--scope") { Description = "Allowed scope (repeatable)", AllowMultipleArgumentsPerToken = true };
        var redirects = UrisOption("--redirect-uri", "Redirect URI (repeatable)");
        var postLogout = UrisOption("--post-logout-redirect-uri", "Post-logout redirect URI (repeatable)");
        var application = new Option<ApplicationKind>("--application") { Description = "web or native (native apps may use their own URI scheme, in reverse-domain form: com.example.app:/callback)", DefaultValueFactory = _ => ApplicationKind.Web };
        var consent = new Option<ConsentMode>("--consent") { Description = "explicit (third-party: the user is asked) or implicit (first-party)", DefaultValueFactory = _ => ConsentMode.Explicit };
        var introspection = new Option<bool>("--introspection") { Description = "May introspect tokens: an API (resource server); confidential clients only" };
        var noPkce = new Option<bool>("--no-pkce") { Description = "Do not require PKCE on the code flow (confidential clients only)" };
        var accessLifetime = new Option<TimeSpan?>("--access-token-lifetime") { Description = "Overrides Idp:AccessTokenLifetime, e.g. 00:05:00" };
        var refreshLifetime = new Option<TimeSpan?>("--refresh-token-lifetime") { Description = "Overrides Idp:RefreshTokenLifetime, e.g. 7.00:00:00" };
        var backchannel = UrisOption("--backchannel-logout-uri", "Where logout tokens are posted when a user's session ends");
        backchannel.Arity = ArgumentArity.ZeroOrOne;
        var backchannelPrivate = new Option<bool>("--backchannel-logout-private-network") { Description = "The back-channel logout URI may be a loopback, private or link-local address" };
        var command = new Command("add", "Create a client, or update it when the client id exists.")
        {
            clientId, secret, type, name, grants, scopes, redirects, postLogout, application, consent, noPkce, introspection, accessLifetime, refreshLifetime, backchannel, backchannelPrivate,
        };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            var definition = new ClientDefinition
            {
                ClientId = parseResult.GetRequiredValue(clientId),
                ClientSecret = parseResult.GetValue(secret),
                Type = parseResult.GetValue(type),
                DisplayName = parseResult.GetValue(name),
                Grants = [.. parseResult.GetValue(grants) ?? []],
                Scopes = [.. parseResult.GetValue(scopes) ?? []],
                RedirectUris = [.. parseResult.GetValue(redirects) ?? []],
                PostLogoutRedirectUris = [.. parseResult.GetValue(postLogout) ?? []],
                Application = parseResult.GetValue(application),
                Consent = parseResult.GetValue(consent),
                RequirePkce = !parseResult.GetValue(noPkce),
                Introspection = parseResult.GetValue(introspection),
                AccessTokenLifetime = parseResult.GetValue(accessLifetime),
                RefreshTokenLifetime = parseResult.GetValue(refreshLifetime),
                BackchannelLogoutUri = parseResult.GetValue(backchannel)?.SingleOrDefault(),
                BackchannelLogoutToPrivateNetwork = parseResult.GetValue(backchannelPrivate),
            };
            var result = await services.GetRequiredService<ClientRegistration>().UpsertAsync(definition, cancellationToken: cancellationToken);
            if (!result.Succeeded)
            {
                return await CommandContext.FailAsync(parseResult, string.Join(Environment.NewLine, result.Problems));
            }

            await output.WriteLineAsync($"{(result.Created ? "Created" : "Updated")} client '{definition.ClientId}'.");
            return 0;
        }));
        return command;
    }

    /// <summary>System.CommandLine does not parse <see cref="Uri"/>; a value that is not an absolute URI is a usage error.</summary>
    private static Option<Uri[]> UrisOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var uris = new List<Uri>();
            foreach (var token in result.Tokens)
            {
                if (Uri.TryCreate(token.Value, UriKind.Absolute, out var uri))
                {
                    uris.Add(uri);
                }
                else
                {
                    result.AddError($"{name}: '{token.Value}' is not an absolute URI.");
                }
            }

            return [.. uris];
        },
    };

    private static Command List(CommandContext context)
    {
        var command = new Command("list", "List clients.");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
            {
                var permissions = await applications.GetPermissionsAsync(application, cancellationToken);
                await output.WriteLineAsync(string.Join('\t',
                    await applications.GetClientIdAsync(application, cancellationToken),
                    await applications.GetClientTypeAsync(application, cancellationToken),
                    await applications.GetDisplayNameAsync(application, cancellationToken),
                    string.Join(' ', permissions)));
            }

            return 0;
        }));
        return command;
    }

    private static Command Remove(CommandContext context)
    {
        var clientId = new Argument<string>("client-id");
        var command = new Command("remove", "Delete a client and its tokens and authorizations.") { clientId };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            var id = parseResult.GetRequiredValue(clientId);
            if (await applications.FindByClientIdAsync(id, cancellationToken) is not { } application)
            {
                return await CommandContext.FailAsync(parseResult, $"No client '{id}'.");
            }

            await applications.DeleteAsync(application, cancellationToken);
            await output.WriteLineAsync($"Removed client '{id}'.");
            return 0;
        }));
        return command;
    }
}
