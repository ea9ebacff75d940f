using System.CommandLine;

namespace IdentityProvider.Cli;

/// <summary>Builds the application for one command and hands its services to the command's body.</summary>
public sealed class CommandContext(Func<string[], WebApplication> buildApp)
{
    public async Task<int> RunAsync(ParseResult parseResult, Func<IServiceProvider, TextWriter, Task<int>> body)
    {
        await using var app = buildApp([]);
        await using var scope = app.Services.CreateAsyncScope();
        return await body(scope.ServiceProvider, parseResult.InvocationConfiguration.Output);
    }

    public static async Task<int> FailAsync(ParseResult parseResult, string message)
    {
        await parseResult.InvocationConfiguration.Error.WriteLineAsync(message);
        return 1;
    }
}
