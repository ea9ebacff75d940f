using System.CommandLine;
using IdentityProvider.Cli;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// The provider's command line run inside the test process: the same parser, commands and application
/// the executable builds (<see cref="Program.BuildApp"/>), with the settings given as host arguments
/// instead of environment variables, and the output captured. <see cref="ProviderProcess"/> still runs
/// the executable itself where the process matters (exit codes, start-up errors).
/// </summary>
public static class CommandLine
{
    public static async Task<ProviderProcess.Result> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        string[] settings =
        [
            "--environment=Testing",
            "--Logging:LogLevel:Default=Warning",
            $"--{TestKeyRing.Setting}={TestKeyRing.Path}",
            .. environment.Select(setting => $"--{setting.Key.Replace("__", ":", StringComparison.Ordinal)}={setting.Value}"),
        ];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = ProviderCommandLine.Create(_ => throw new InvalidOperationException("Tests run commands, not the server."), _ => Program.BuildApp(settings));
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new ProviderProcess.Result(exitCode, output.ToString(), error.ToString());
    }
}
