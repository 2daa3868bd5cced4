using System.Data.Common;
using LiveContract.Core.Accounts;
using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Data;

public static class DatabaseInitializer
{
    /// <summary>
    /// Applies the provider's migrations, makes sure the roles exist, and creates the configured
    /// first administrator (see <see cref="SetupOptions"/>) when there is none yet.
    /// </summary>
    public static async Task InitializeLiveContractDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        services.ValidateLiveContractConfiguration();
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<LiveContractDbContext>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));

        try
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                // Readers no longer wait for writers, and a commit costs one append instead of a journal rewrite; the mode stays with the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
        catch (DbException e)
        {
            throw new ConfigurationErrorException(
                $"The database could not be prepared: {e.Message} " +
                $"Check {DatabaseOptions.Section}:Provider and {DatabaseOptions.Section}:ConnectionString, and that the database server is running.");
        }

        var roles = provider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                // Servers starting together on one database race here; the unique index lets one create it.
                string? failure;
                try
                {
                    var created = await roles.CreateAsync(new IdentityRole(role));
                    failure = created.Succeeded ? null : string.Join(" ", created.Errors.Select(e => e.Description));
                }
                catch (DbUpdateException e)
                {
                    failure = e.InnerException?.Message ?? e.Message;
                    db.ChangeTracker.Clear();
                }

                if (failure is not null && !await roles.RoleExistsAsync(role))
                {
                    throw new ConfigurationErrorException($"The role {role} could not be created: {failure}");
                }
            }
        }

        var setup = provider.GetRequiredService<IOptions<SetupOptions>>().Value;
        if (string.IsNullOrWhiteSpace(setup.AdminEmail) && string.IsNullOrEmpty(setup.AdminPassword))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(setup.AdminEmail) || string.IsNullOrEmpty(setup.AdminPassword))
        {
            throw new ConfigurationErrorException(
                $"{SetupOptions.Section}:AdminEmail and {SetupOptions.Section}:AdminPassword go together: set both to create the first administrator, or neither to use the first-run page.");
        }

        var firstRun = provider.GetRequiredService<FirstRunSetup>();
        if (!await firstRun.IsRequiredAsync(cancellationToken))
        {
            return;
        }

        var result = await firstRun.CreateAdministratorAsync(setup.AdminName, setup.AdminEmail, setup.AdminPassword, cancellationToken);
        if (!result.Succeeded && !await firstRun.IsRequiredAsync(cancellationToken))
        {
            // Another server sharing the database created it first (refused as complete, or as the same email).
            return;
        }

        if (!result.Succeeded)
        {
            throw new ConfigurationErrorException(
                $"The first administrator from {SetupOptions.Section}:AdminEmail could not be created: " +
                string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        logger.LogInformation("Created the first administrator {Email} from configuration", setup.AdminEmail);
    }
}
