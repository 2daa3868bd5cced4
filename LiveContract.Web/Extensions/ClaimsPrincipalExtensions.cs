using System.Security.Claims;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;

namespace LiveContract.Web.Extensions;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The acting advisor or admin; only ever called behind a staff authorization check, so a customer principal is a programming error.</summary>
    public static Actor ToActor(this ClaimsPrincipal user, ClientConnection client) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Advisor)
            ? new(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user has no id claim."), user.IsInRole(Roles.Admin)) { IpAddress = client.IpAddress }
            : throw new InvalidOperationException("Only an advisor or an admin acts on contracts.");

    /// <summary>The acting advisor or admin of an HTTP request (API endpoints).</summary>
    public static Actor ToActor(this HttpContext context) => context.User.ToActor(ClientConnection.From(context));
}
