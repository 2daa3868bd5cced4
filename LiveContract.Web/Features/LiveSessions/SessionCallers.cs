using System.Security.Claims;
using LiveContract.Core.Accounts;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Extensions;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>
/// The customer's identity in the web host: a principal issued for one customer link, by the
/// <see cref="CookieScheme"/> after the landing page or by the <see cref="TokenScheme"/> for hub
/// clients. It carries the <see cref="Role"/> role only, so it never passes a staff check.
/// </summary>
internal static class SessionCallers
{
    public const string CookieScheme = "CustomerLink";
    public const string TokenScheme = "CustomerLinkToken";
    public const string Role = "Customer";
    public const string LinkIdClaim = "lc:link";
    public const string SessionIdClaim = "lc:session";
    public const string ContractIdClaim = "lc:contract";

    /// <summary>The identity code the customer's device passed for the link (the device's pass).</summary>
    public const string IdentityCheckClaim = "lc:identity";

    /// <summary>The session caller this principal is, or null when it is neither staff nor a customer link holder.</summary>
    public static SessionCaller? ToSessionCaller(this ClaimsPrincipal user, ClientConnection client)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Advisor))
        {
            return new SessionCaller.Staff(user.ToActor(client), user.FindFirstValue(LiveContractClaimsPrincipalFactory.DisplayNameClaim) ?? user.Identity.Name ?? "Advisor");
        }

        return user.IsInRole(Role) && Guid.TryParse(user.FindFirstValue(LinkIdClaim), out var linkId)
            ? new SessionCaller.Customer(linkId)
            {
                IpAddress = client.IpAddress,
                IdentityCheckId = Guid.TryParse(user.FindFirstValue(IdentityCheckClaim), out var checkId) ? checkId : null,
            }
            : null;
    }
}
