using System.Security.Claims;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;

namespace LiveContract.Web.Extensions;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The acting advisor or admin; only ever called behind an authorization check.</summary>
    public static Actor ToActor(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user has no id claim."), user.IsInRole(Roles.Admin));
}
