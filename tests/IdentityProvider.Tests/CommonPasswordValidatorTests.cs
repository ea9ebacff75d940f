using IdentityProvider.Users;

namespace IdentityProvider.Tests;

public sealed class CommonPasswordValidatorTests
{
    [Theory]
    [InlineData("123456")]
    [InlineData("password")]
    [InlineData("PassWord")]
    [InlineData("qazwsxedcrfv")]
    [InlineData("leavemealone")]
    [InlineData("qqqqqq1")]
    public void IsCommon_ListedPassword_IgnoringCase(string password) =>
        Assert.True(CommonPasswordValidator.IsCommon(password));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("")]
    [InlineData(null)]
    public void IsCommon_UnlistedPassword_IsFalse(string? password) =>
        Assert.False(CommonPasswordValidator.IsCommon(password));
}
