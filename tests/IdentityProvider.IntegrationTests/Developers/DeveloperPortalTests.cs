using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.Developers;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Developers;

/// <summary>The developer portal as a developer's browser meets it: who gets in, registering, changing, rotating, deleting.</summary>
public sealed partial class DeveloperPortalTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    public const string WebRedirect = "https://portal-app.test/callback";

    /// <summary>A new confirmed account holding the developer role (or not); returns its email.</summary>
    public static async Task<string> CreateDeveloperAccountAsync(ProviderFactory provider, bool developerRole = true)
    {
        var email = await TestAccounts.CreateConfirmedAsync(provider, "developer");
        if (developerRole)
        {
            await using var scope = provider.Services.CreateAsyncScope();
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            if (!await roles.RoleExistsAsync(DevelopersOptions.Role))
            {
                await roles.CreateAsync(new IdentityRole(DevelopersOptions.Role));
            }

            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.AddToRoleAsync((await users.FindByEmailAsync(email))!, DevelopersOptions.Role);
        }

        return email;
    }

    /// <summary>A browser signed in as a new confirmed account holding the developer role (or not).</summary>
    public static async Task<FormClient> DeveloperAsync(ProviderFactory provider, bool developerRole = true)
    {
        var email = await CreateDeveloperAccountAsync(provider, developerRole);
        var browser = new FormClient(provider);
        await TestAccounts.SignInAsync(browser, email);
        return browser;
    }

    /// <summary>Registers an app through the portal's form; returns the answer (a redirect to the app's page when it worked).</summary>
    public static Task<HttpResponseMessage> RegisterAsync(FormClient developer, string kind = "Web", string redirectUris = WebRedirect, params string[] scopes)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = "Portal <App>",
            ["Input.Kind"] = kind,
            ["Input.Homepage"] = "https://portal-app.test/",
            ["Input.PrivacyPolicy"] = "https://portal-app.test/privacy",
            ["Input.RedirectUris"] = redirectUris,
        };
        for (var i = 0; i < scopes.Length; i++)
        {
            fields[$"Input.Scopes[{i}]"] = scopes[i];
        }

        return developer.SubmitAsync("Developer/Edit", fields);
    }

    public static string ClientIdOf(HttpResponseMessage registered) =>
        Regex.Match(registered.Headers.Location!.OriginalString, "clientId=([^&]+)", RegexOptions.IgnoreCase).Groups[1].Value;

    public static string? SecretIn(string page) => SecretCode().Match(page) is { Success: true } match ? match.Groups[1].Value : null;

    private static Task<TokenResponse> ClientCredentialsAsync(TokenClient client, string clientId, string? secret) =>
        client.PostAsync("connect/token", new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret });

    [Fact]
    public async Task Portal_IsForSignedInDevelopersWithAConfirmedEmail_OrEveryoneWhenRegistrationIsOpen()
    {
        using var anonymous = new FormClient(database.Provider);
        using var developer = await DeveloperAsync(database.Provider);
        using var user = await DeveloperAsync(database.Provider, developerRole: false);
        await using var open = new ProviderFactory(database.ConnectionString, new Dictionary<string, string?> { ["Developers:OpenRegistration"] = "true" });
        using var userWhenOpen = await DeveloperAsync(open, developerRole: false);

        using var anonymousAnswer = await anonymous.Http.GetAsync("Developer");
        var (developerStatus, developerPage) = await developer.GetAsync("Developer");
        var (userStatus, _) = await user.GetAsync("Developer");
        var (userEditStatus, _) = await user.GetAsync("Developer/Edit");
        var (openStatus, _) = await userWhenOpen.GetAsync("Developer");

        Assert.Equal(HttpStatusCode.Redirect, anonymousAnswer.StatusCode);
        Assert.Equal("/Account/Login", anonymousAnswer.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, developerStatus);
        Assert.Contains("Register an app", developerPage, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (userStatus, userEditStatus));
        Assert.Equal(HttpStatusCode.OK, openStatus);
    }

    [Fact]
    public async Task Developer_RegistersAWebApp_SeesItsSecretOnce_RotatesIt_ChangesAndDeletesTheApp()
    {
        using var developer = await DeveloperAsync(database.Provider);
        using var client = database.Provider.CreateTokenClient();

        using var registered = await RegisterAsync(developer, scopes: ["profile", "email", "offline_access"]);
        var clientId = ClientIdOf(registered);
        var (_, firstView) = await developer.GetAsync($"Developer/App?clientId={clientId}");
        var secret = SecretIn(firstView);
        var (_, secondView) = await developer.GetAsync($"Developer/App?clientId={clientId}");
        // The right secret authenticates (and is then refused the grant); a wrong one does not authenticate.
        var withSecret = await ClientCredentialsAsync(client, clientId, secret);
        using var rotated = await developer.SubmitAsync($"Developer/App?clientId={clientId}", [], handler: "RotateSecret");
        var (_, afterRotation) = await developer.GetAsync(rotated.Headers.Location!.OriginalString.TrimStart('/'));
        var newSecret = SecretIn(afterRotation);
        var withOldSecret = await ClientCredentialsAsync(client, clientId, secret);
        var withNewSecret = await ClientCredentialsAsync(client, clientId, newSecret);
        // Two redirect URIs, and every scope unticked: the form posts none.
        using var changed = await developer.SubmitAsync($"Developer/Edit?clientId={clientId}", new()
        {
            ["Input.Name"] = "Renamed app",
            ["Input.RedirectUris"] = "https://portal-app.test/other-callback\nhttps://portal-app.test/a-callback",
        });
        var (afterChangeStatus, afterChange) = await developer.GetAsync($"Developer/App?clientId={clientId}");
        var (editAgainStatus, _) = await developer.GetAsync($"Developer/Edit?clientId={clientId}");
        var (_, list) = await developer.GetAsync("Developer");
        using var wrongConfirmation = await developer.SubmitAsync($"Developer/App?clientId={clientId}", new() { ["ConfirmClientId"] = "no" }, handler: "Delete");
        using var deleted = await developer.SubmitAsync($"Developer/App?clientId={clientId}", new() { ["ConfirmClientId"] = clientId }, handler: "Delete");
        var (afterDeleteStatus, _) = await developer.GetAsync($"Developer/App?clientId={clientId}");

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.StartsWith("app-", clientId, StringComparison.Ordinal);
        Assert.NotNull(secret);
        Assert.Null(SecretIn(secondView));
        Assert.Contains("openid email profile offline_access", firstView, StringComparison.Ordinal);
        Assert.Equal("unauthorized_client", withSecret.Error);
        Assert.NotNull(newSecret);
        Assert.NotEqual(secret, newSecret);
        Assert.Equal("invalid_client", withOldSecret.Error);
        Assert.Equal("unauthorized_client", withNewSecret.Error);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Contains("Renamed app", afterChange, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (afterChangeStatus, editAgainStatus));
        Assert.Contains("https://portal-app.test/other-callback", afterChange, StringComparison.Ordinal);
        Assert.Contains("https://portal-app.test/a-callback", afterChange, StringComparison.Ordinal);
        Assert.Contains("<dd>openid</dd>", afterChange, StringComparison.Ordinal);
        Assert.Contains(clientId, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, wrongConfirmation.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDeleteStatus);
        Assert.Equal("invalid_client", (await ClientCredentialsAsync(client, clientId, newSecret)).Error);
    }

    [Fact]
    public async Task Developer_RotatesWithAGracePeriod_BothSecretsWork_UntilTheyStopTheOldOne()
    {
        using var developer = await DeveloperAsync(database.Provider);
        using var client = database.Provider.CreateTokenClient();
        var clientId = ClientIdOf(await RegisterAsync(developer));
        var (_, firstView) = await developer.GetAsync($"Developer/App?clientId={clientId}");
        var oldSecret = SecretIn(firstView);

        using var rotated = await developer.SubmitAsync($"Developer/App?clientId={clientId}", new() { ["GraceHours"] = "24" }, handler: "RotateSecret");
        var (_, afterRotation) = await developer.GetAsync(rotated.Headers.Location!.OriginalString.TrimStart('/'));
        var newSecret = SecretIn(afterRotation);
        var oldDuringGrace = await ClientCredentialsAsync(client, clientId, oldSecret);
        var newDuringGrace = await ClientCredentialsAsync(client, clientId, newSecret);
        using var tooLong = await developer.SubmitAsync($"Developer/App?clientId={clientId}", new() { ["GraceHours"] = "100000" }, handler: "RotateSecret");
        using var stopped = await developer.SubmitAsync($"Developer/App?clientId={clientId}", [], handler: "EndGracePeriod");
        var (_, afterStopping) = await developer.GetAsync($"Developer/App?clientId={clientId}");
        var oldAfterStopping = await ClientCredentialsAsync(client, clientId, oldSecret);

        // The right secret authenticates (and is then refused the grant); a wrong one does not authenticate.
        Assert.Contains("The previous secret still works until", afterRotation, StringComparison.Ordinal);
        Assert.Equal(("unauthorized_client", "unauthorized_client"), (oldDuringGrace.Error, newDuringGrace.Error));
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.Contains("The grace period is 0 to 720 hours", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, stopped.StatusCode);
        Assert.DoesNotContain("The previous secret still works until", afterStopping, StringComparison.Ordinal);
        Assert.Equal("invalid_client", oldAfterStopping.Error);
        Assert.Equal("unauthorized_client", (await ClientCredentialsAsync(client, clientId, newSecret)).Error);
    }

    [Theory]
    [InlineData("Web", "http://plain.example/callback", "profile", "must use https")]
    [InlineData("Web", "not an address", "profile", "is not an absolute address")]
    [InlineData("SinglePage", "com.example.app:/callback", "profile", "a custom scheme is only for native apps")]
    [InlineData("Native", "javascript:alert(1)", "profile", "RFC 8252")]
    [InlineData("Web", WebRedirect, "roles", "is not open to third-party apps")]
    [InlineData("Web", WebRedirect, "admin", "is not open to third-party apps")]
    [InlineData("Web", "", "profile", "Give 1 to 10 redirect URIs")]
    public async Task Portal_RefusesBrokenFields_NamingTheProblem_AndRegistersNothing(string kind, string redirectUris, string scope, string problem)
    {
        using var developer = await DeveloperAsync(database.Provider);

        using var refused = await RegisterAsync(developer, kind, redirectUris, scope);
        var page = await refused.Content.ReadAsStringAsync();
        var (_, list) = await developer.GetAsync("Developer");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(problem), page, StringComparison.Ordinal);
        Assert.Contains("field-validation-error", page, StringComparison.Ordinal);
        Assert.Contains("You have not registered an app yet.", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Developer_CannotSeeChangeOrDeleteAnotherDevelopersApp()
    {
        using var owner = await DeveloperAsync(database.Provider);
        using var other = await DeveloperAsync(database.Provider);
        var clientId = ClientIdOf(await RegisterAsync(owner));

        var (viewStatus, _) = await other.GetAsync($"Developer/App?clientId={clientId}");
        var (editStatus, _) = await other.GetAsync($"Developer/Edit?clientId={clientId}");
        var (_, form) = await other.GetAsync("Developer/Edit");
        using var deleted = await other.Http.PostAsync($"Developer/App?clientId={clientId}&handler=Delete", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ConfirmClientId"] = clientId, ["__RequestVerificationToken"] = FormClient.AntiforgeryTokenIn(form),
        }));
        var (ownerStatus, _) = await owner.GetAsync($"Developer/App?clientId={clientId}");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (viewStatus, editStatus, deleted.StatusCode));
        Assert.Equal(HttpStatusCode.OK, ownerStatus);
    }

    [GeneratedRegex("<code class=\"secret\">([^<]+)</code>")]
    private static partial Regex SecretCode();
}
