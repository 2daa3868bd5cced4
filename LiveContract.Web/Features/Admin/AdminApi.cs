namespace LiveContract.Web.Features.Admin;

/// <summary>
/// The administration API under <c>/api/admin</c>; the group requires the Admin policy, so every
/// endpoint here answers 401 to the anonymous and 403 to advisors before any handler runs.
/// </summary>
internal static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder admin) => admin
        .MapAdminUsersApi()
        .MapAdminContractsApi()
        .MapAdminSessionsApi()
        .MapAdminSystemApi()
        .MapAdminAuditApi()
        .MapAdminTokensApi();
}
