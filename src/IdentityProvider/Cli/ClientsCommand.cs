using System.CommandLine;
using IdentityProvider.Bootstrap;
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
        var redirects = new Option<Uri[]>("--redirect-uri") { Description = "Redirect URI (repeatable)" };
        var command = new Command("add", "Create a client, or update it when the client id exists.") { clientId, secret, type, name, grants, scopes, redirects };
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
            };
            var created = await services.GetRequiredService<ClientRegistration>().UpsertAsync(definition, cancellationToken);
            await output.WriteLineAsync($"{(created ? "Created" : "Updated")} client '{definition.ClientId}'.");
            return 0;
        }));
        return command;
    }

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
