using IdentityProvider.Data;
using Npgsql;

namespace IdentityProvider.Tests;

public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void Apply_ToAPlainConnectionString_PreparesRepeatedStatementsAndKeepsSessions()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply("Host=db;Database=idp;Username=idp;Password=secret"));

        Assert.Equal(64, applied.MaxAutoPrepare);
        Assert.Equal(2, applied.AutoPrepareMinUsages);
        Assert.True(applied.NoResetOnClose);
        Assert.Equal("db", applied.Host);
        Assert.Equal("secret", applied.Password);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false;Auto Prepare Min Usages=5")]
    [InlineData("Host=db;MaxAutoPrepare=0;NoResetOnClose=false;AutoPrepareMinUsages=5")]
    public void Apply_KeepsWhatTheOperatorSet(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(connectionString));

        Assert.Equal(0, applied.MaxAutoPrepare);
        Assert.Equal(5, applied.AutoPrepareMinUsages);
        Assert.False(applied.NoResetOnClose);
    }
}
