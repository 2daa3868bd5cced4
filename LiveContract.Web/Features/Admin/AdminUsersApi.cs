namespace LiveContract.Web.Features.Admin;

internal static class AdminUsersApi
{
    public static RouteGroupBuilder MapAdminUsersApi(this RouteGroupBuilder admin) => admin;
}
