using System.CommandLine;
using IdentityProvider.Bootstrap;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Cli;

internal static class UsersCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("users", "Manage user accounts.");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(SetPassword(context));
        command.Add(AddRole(context));
        return command;
    }

    private static readonly Argument<string> Email = new("email");

    private static Command Add(CommandContext context)
    {
        var password = new Option<string?>("--password") { Description = "Initial password" };
        var name = new Option<string?>("--name") { Description = "Display name" };
        var roles = new Option<string[]>("--role") { Description = "Role (repeatable)" };
        var unconfirmed = new Option<bool>("--unconfirmed") { Description = "Leave the email address unconfirmed" };
        var command = new Command("add", "Create a user, or update it when the email exists.") { Email, password, name, roles, unconfirmed };
        command.SetAction((parseResult, _) => context.RunAsync(parseResult, async (services, output) =>
        {
            var definition = new UserDefinition
            {
                Email = parseResult.GetRequiredValue(Email),
                Password = parseResult.GetValue(password),
                DisplayName = parseResult.GetValue(name),
                Roles = [.. parseResult.GetValue(roles) ?? []],
                EmailConfirmed = !parseResult.GetValue(unconfirmed),
            };
            var result = await services.GetRequiredService<UserProvisioning>().UpsertAsync(definition);
            return await ReportAsync(parseResult, output, result, $"Saved user '{definition.Email}'.");
        }));
        return command;
    }

    private static Command List(CommandContext context)
    {
        var command = new Command("list", "List users.");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (services, output) =>
        {
            var users = services.GetRequiredService<UserManager<ApplicationUser>>();
            foreach (var user in await users.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken))
            {
                var roles = await users.GetRolesAsync(user);
                await output.WriteLineAsync($"{user.Email}\tconfirmed={user.EmailConfirmed}\tlocked={user.LockoutEnd > DateTimeOffset.UtcNow}\troles={string.Join(',', roles)}");
            }

            return 0;
        }));
        return command;
    }

    private static Command SetPassword(CommandContext context)
    {
        var password = new Argument<string>("password");
        var command = new Command("set-password", "Replace a user's password (ends their refresh tokens).") { Email, password };
        command.SetAction((parseResult, _) => context.RunAsync(parseResult, async (services, output) =>
        {
            if (await FindAsync(services, parseResult) is not { } user)
            {
                return await CommandContext.FailAsync(parseResult, $"No user '{parseResult.GetValue(Email)}'.");
            }

            var result = await services.GetRequiredService<UserProvisioning>().SetPasswordAsync(user, parseResult.GetRequiredValue(password));
            return await ReportAsync(parseResult, output, result, "Password changed.");
        }));
        return command;
    }

    private static Command AddRole(CommandContext context)
    {
        var role = new Argument<string>("role");
        var command = new Command("add-role", "Add a role to a user (created if missing).") { Email, role };
        command.SetAction((parseResult, _) => context.RunAsync(parseResult, async (services, output) =>
        {
            if (await FindAsync(services, parseResult) is not { } user)
            {
                return await CommandContext.FailAsync(parseResult, $"No user '{parseResult.GetValue(Email)}'.");
            }

            var result = await services.GetRequiredService<UserProvisioning>().AddRolesAsync(user, [parseResult.GetRequiredValue(role)]);
            return await ReportAsync(parseResult, output, result, "Role added.");
        }));
        return command;
    }

    private static Task<ApplicationUser?> FindAsync(IServiceProvider services, ParseResult parseResult) =>
        services.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(parseResult.GetRequiredValue(Email));

    private static async Task<int> ReportAsync(ParseResult parseResult, TextWriter output, IdentityResult result, string success)
    {
        if (!result.Succeeded)
        {
            return await CommandContext.FailAsync(parseResult, string.Join(Environment.NewLine, result.Errors.Select(e => e.Description)));
        }

        await output.WriteLineAsync(success);
        return 0;
    }
}
