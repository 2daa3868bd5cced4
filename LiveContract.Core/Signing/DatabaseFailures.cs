using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Signing;

/// <summary>Tells a database that failed (down, dropped connection, refused write) from a bug.</summary>
internal static class DatabaseFailures
{
    /// <summary>
    /// Whether <paramref name="exception"/> says the database failed: a provider exception, a failed
    /// save, or a provider exception that Npgsql's execution strategy wrapped as "likely due to a
    /// transient failure".
    /// </summary>
    public static bool Is(Exception exception) =>
        exception is DbException or DbUpdateException
        || exception is InvalidOperationException { InnerException: DbException };
}
