namespace LiveContract.Web.Features.Admin;

internal static class AdminSystemApi
{
    public static RouteGroupBuilder MapAdminSystemApi(this RouteGroupBuilder admin) => admin;
}
