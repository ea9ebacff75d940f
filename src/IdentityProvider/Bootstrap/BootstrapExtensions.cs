using IdentityProvider.Clients;
using IdentityProvider.Developers;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityProvider.Bootstrap;

internal static partial class BootstrapExtensions
{
    public static WebApplicationBuilder AddBootstrap(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BootstrapOptions>()
            .BindConfiguration(BootstrapOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BootstrapOptions>, BootstrapOptionsValidation>();
        builder.Services.AddScoped<UserProvisioning>();
        return builder;
    }

    /// <summary>Creates or updates the configured scopes and clients, and creates missing users; safe to run on every start.</summary>
    public static async Task ApplyBootstrapAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootstrapExtensions));
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;

        var scopes = services.GetRequiredService<IOpenIddictScopeManager>();
        foreach (var definition in options.Scopes)
        {
            var descriptor = new OpenIddictScopeDescriptor { Name = definition.Name, DisplayName = definition.DisplayName ?? definition.Name };
            descriptor.Resources.UnionWith(definition.Resources);
            ThirdPartyScopes.SetOpen(descriptor, definition.OpenToThirdParties);
            if (await scopes.FindByNameAsync(definition.Name) is { } existing)
            {
                await scopes.UpdateAsync(existing, descriptor);
            }
            else
            {
                await scopes.CreateAsync(descriptor);
            }
        }

        var clients = services.GetRequiredService<ClientRegistration>();
        for (var i = 0; i < options.Clients.Count; i++)
        {
            // Options validation has named these problems already; this is the last guard before the store.
            if (await clients.UpsertAsync(options.Clients[i], keepStoredSecret: !options.ResetExisting) is { Succeeded: false } refused)
            {
                throw new InvalidOperationException($"Bootstrap:Clients:{i}: {string.Join(" ", refused.Problems)}");
            }
        }

        var users = services.GetRequiredService<UserProvisioning>();
        var accounts = services.GetRequiredService<UserManager<ApplicationUser>>();
        foreach (var user in options.Users)
        {
            if (!options.ResetExisting && await accounts.FindByEmailAsync(user.Email) is not null)
            {
                continue;
            }

            var result = await users.UpsertAsync(user);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    $"Bootstrap:Users: cannot create or update '{user.Email}': {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }
        }

        LogApplied(logger, options.Scopes.Count, options.Clients.Count, options.Users.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap applied: {Scopes} scope(s), {Clients} client(s), {Users} user(s).")]
    private static partial void LogApplied(ILogger logger, int scopes, int clients, int users);
}
