using System.CommandLine;
using IdentityProvider.Data;

namespace IdentityProvider.Cli;

internal static class MigrateCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("migrate", "Apply pending database migrations and exit.");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            await DatabaseStartup.MigrateAsync(services, cancellationToken);
            await output.WriteLineAsync($"Migrated {services.GetRequiredService<DatabaseStore>().Description}.");
            return 0;
        }));
        return command;
    }
}
