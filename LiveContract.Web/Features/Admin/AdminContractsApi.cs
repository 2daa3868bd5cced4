namespace LiveContract.Web.Features.Admin;

internal static class AdminContractsApi
{
    public static RouteGroupBuilder MapAdminContractsApi(this RouteGroupBuilder admin) => admin;
}
