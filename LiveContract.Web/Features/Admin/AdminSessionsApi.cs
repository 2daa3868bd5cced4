namespace LiveContract.Web.Features.Admin;

internal static class AdminSessionsApi
{
    public static RouteGroupBuilder MapAdminSessionsApi(this RouteGroupBuilder admin) => admin;
}
