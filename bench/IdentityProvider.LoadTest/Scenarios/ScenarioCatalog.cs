namespace IdentityProvider.LoadTest.Scenarios;

internal static class ScenarioCatalog
{
    public static readonly IReadOnlyList<IScenario> All =
    [
        new GetScenario("discovery", discovery => discovery.Document),
        new GetScenario("jwks", discovery => discovery.JwksUri),
        new TokenScenario("client_credentials", Grants.ClientCredentials),
        new RefreshTokenScenario(),
        new TokenScenario("password", Grants.Password),
        new AuthorizationCodeScenario(),
    ];

    public static IScenario Find(string name) =>
        All.FirstOrDefault(scenario => scenario.Name == name)
        ?? throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(", ", All.Select(scenario => scenario.Name))}.");
}
