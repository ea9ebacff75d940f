using System.Net.Sockets;
using IdentityProvider.Data;
using Npgsql;

namespace IdentityProvider.Tests;

public sealed class DatabaseOutageTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { new InvalidOperationException("A transient failure", new NpgsqlException("Exception while reading from stream", new IOException("reset"))), true },
        { new NpgsqlException("Received backend message BindComplete while expecting ParseCompleteMessage. Please file a bug."), true },
        { new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"), true },
        { new PostgresException("prepared statement \"_auto0\" already exists", "ERROR", "ERROR", "42P05"), true },
        { new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505"), false },
        { new PostgresException("canceling statement due to user request", "ERROR", "ERROR", "57014"), false },
        { NullReferenceFrom("Npgsql"), true },
        { NullReferenceFrom("IdentityProvider"), false },
        { new InvalidOperationException("not a database failure"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsOutage_TellsTheDatabaseBeingAwayFromOtherFailures(Exception exception, bool outage) =>
        Assert.Equal(outage, DatabaseOutage.IsOutage(exception));

    /// <summary>A null reference the runtime raised, as if thrown inside <paramref name="source"/>.</summary>
    private static NullReferenceException NullReferenceFrom(string source)
    {
        string? missing = null;
        try
        {
            _ = missing!.Length;
        }
        catch (NullReferenceException exception)
        {
            exception.Source = source;
            return exception;
        }

        throw new InvalidOperationException("A null reference was expected.");
    }
}
