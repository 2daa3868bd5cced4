namespace LiveContract.Web.Features.Admin;

internal static class AdminTokensApi
{
    public static RouteGroupBuilder MapAdminTokensApi(this RouteGroupBuilder admin) => admin;
}
