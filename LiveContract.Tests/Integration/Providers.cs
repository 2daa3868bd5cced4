using LiveContract.Core.Data;

namespace LiveContract.Tests.Integration;

/// <summary>Both database providers, for tests that must hold on each.</summary>
public static class Providers
{
    public static TheoryData<DatabaseProvider> Both => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);
}
