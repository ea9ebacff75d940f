using IdentityProvider.Audit;

namespace IdentityProvider.Tests;

public sealed class AuditChangesTests
{
    [Fact]
    public void OnlyChangedFieldsAreListed_WithBeforeAndAfter()
    {
        var before = new Dictionary<string, string?> { ["Name"] = "Old", ["Scopes"] = "api", ["Uri"] = null };
        var after = new Dictionary<string, string?> { ["Name"] = "New", ["Scopes"] = "api", ["Uri"] = "https://app.example/logout" };

        Assert.Equal("Name: Old → New; Uri: (none) → https://app.example/logout", AuditChanges.Describe(before, after));
    }

    [Fact]
    public void ACreation_ListsEveryFieldThatHasAValue()
    {
        var after = new Dictionary<string, string?> { ["Name"] = "Orders", ["Description"] = "", ["Resources"] = "orders-api" };

        Assert.Equal("Name: (none) → Orders; Resources: (none) → orders-api", AuditChanges.Describe(new Dictionary<string, string?>(), after));
    }

    [Fact]
    public void NothingChanged_SaysSo() =>
        Assert.Equal("no change", AuditChanges.Describe(new Dictionary<string, string?> { ["Name"] = "" }, new Dictionary<string, string?> { ["Name"] = null }));
}
