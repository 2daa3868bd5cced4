using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Core.Data;

/// <summary>
/// Creates a short-lived context of the configured provider. Services used from long-lived Blazor
/// circuits take one per operation instead of holding a scoped context for hours.
/// </summary>
internal sealed class LiveContractDbContextFactory(IServiceProvider services, DatabaseConnection connection) : IDbContextFactory<LiveContractDbContext>
{
    public LiveContractDbContext CreateDbContext() => connection.Provider == DatabaseProvider.Postgres
        ? new PostgresLiveContractDbContext(services.GetRequiredService<DbContextOptions<PostgresLiveContractDbContext>>())
        : new SqliteLiveContractDbContext(services.GetRequiredService<DbContextOptions<SqliteLiveContractDbContext>>());
}
