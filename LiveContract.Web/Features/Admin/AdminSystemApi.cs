using LiveContract.Core.Administration;

namespace LiveContract.Web.Features.Admin;

internal static class AdminSystemApi
{
    public static RouteGroupBuilder MapAdminSystemApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/system", (SystemOverviewService overview, CancellationToken cancellationToken) => overview.GetAsync(cancellationToken))
            .WithTags("Administration")
            .WithSummary("The installation at a glance: version, database and migrations, document store, email, live sessions on this server and every server sharing the live-session backend, counts and the health of each dependency. Nothing secret.");
        return admin;
    }
}
