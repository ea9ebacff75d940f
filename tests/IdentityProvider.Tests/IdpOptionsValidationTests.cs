using IdentityProvider.Connect;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.FileProviders;

namespace IdentityProvider.Tests;

public sealed class IdpOptionsValidationTests
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "IdentityProvider";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    [Fact]
    public void Validate_WithoutIssuerInProduction_FailsNamingTheKey()
    {
        var result = new IdpOptionsValidation(new Environment("Production")).Validate(null, new IdpOptions());

        Assert.True(result.Failed);
        Assert.Contains("Idp:Issuer", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithoutIssuerInDevelopment_Succeeds() =>
        Assert.True(new IdpOptionsValidation(new Environment("Development")).Validate(null, new IdpOptions()).Succeeded);

    [Theory]
    [InlineData("http://login.example.com/")]
    [InlineData("https://login.example.com/?tenant=1")]
    public void Validate_WithInsecureOrQueryIssuerInProduction_Fails(string issuer)
    {
        var result = new IdpOptionsValidation(new Environment("Production")).Validate(null, new IdpOptions { Issuer = new Uri(issuer) });

        Assert.True(result.Failed);
    }

    [Fact]
    public void Validate_WithAbsoluteCapShorterThanSlidingLifetime_Fails()
    {
        var options = new IdpOptions
        {
            Issuer = new Uri("https://login.example.com/"),
            RefreshTokenLifetime = TimeSpan.FromDays(10),
            RefreshTokenAbsoluteLifetime = TimeSpan.FromDays(5),
        };

        var result = new IdpOptionsValidation(new Environment("Production")).Validate(null, options);

        Assert.Contains("Idp:RefreshTokenAbsoluteLifetime", result.FailureMessage, StringComparison.Ordinal);
    }
}
