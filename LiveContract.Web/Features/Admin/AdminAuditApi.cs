namespace LiveContract.Web.Features.Admin;

internal static class AdminAuditApi
{
    public static RouteGroupBuilder MapAdminAuditApi(this RouteGroupBuilder admin) => admin;
}
