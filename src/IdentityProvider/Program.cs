using IdentityProvider.Admin;
using IdentityProvider.Audit;
using IdentityProvider.Bootstrap;
using IdentityProvider.Cli;
using IdentityProvider.Clients;
using IdentityProvider.Connect;
using IdentityProvider.Data;
using IdentityProvider.Developers;
using IdentityProvider.Email;
using IdentityProvider.Health;
using IdentityProvider.Keys;
using IdentityProvider.Observability;
using IdentityProvider.Pages;
using IdentityProvider.Security;
using IdentityProvider.Users;

// No arguments (or only host settings such as --urls) runs the server; a command word runs the CLI.
return await ProviderCommandLine.Create(RunServerAsync, BuildApp).Parse(args).InvokeAsync();

static async Task<int> RunServerAsync(string[] args)
{
    await using var app = BuildApp(args);

    // Order matters: the schema must exist before keys are generated and clients seeded.
    await app.PrepareDatabaseAsync();
    await app.PrepareKeysAsync();
    await app.ApplyBootstrapAsync();

    app.UseSecurityHeaders();
    app.UseErrorPages();
    app.UseDatabaseOutageAnswers();
    app.UseHttpsRequirement();
    app.UseConnectRequestLimits();
    app.UseNulCharacterRefusal();
    app.UseCors();
    app.UseRateLimits();
    app.UseStaticFiles();
    app.UseCachedDocuments();
    app.UseAuthentication();
    app.UseAuthorization();

    app.MapConnect();
    app.MapRegistrationEndpoints();
    app.MapHealth();
    app.MapRazorPages();

    await app.RunAsync();
    return 0;
}

public partial class Program
{
    /// <summary>The features, in order. The server and every command-line command build this same app.</summary>
    public static WebApplication BuildApp(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddData();
        builder.AddAudit();
        builder.AddUsers();
        builder.AddEmail();
        builder.AddKeys();
        builder.AddConnect();
        builder.AddClients();
        builder.AddDevelopers();
        builder.AddBootstrap();
        builder.AddSecurityHeaders();
        builder.AddRateLimits();
        builder.AddHealth();
        builder.AddAdmin();
        builder.AddObservability();
        builder.Services.AddRazorPages();
        return builder.Build();
    }
}
