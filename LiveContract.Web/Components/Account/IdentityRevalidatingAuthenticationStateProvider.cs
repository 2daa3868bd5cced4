using System.Data.Common;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using LiveContract.Core.Accounts;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Features.LiveSessions;

namespace LiveContract.Web.Components.Account;

// This is a server-side AuthenticationStateProvider that revalidates the connected user every minute an
// interactive circuit is connected: staff by their security stamp, a customer by their link (still valid?).
// While the database does not answer, people stay signed in (it cannot tell), and the next round checks again.
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        LiveSessionService sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<IdentityRevalidatingAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            return await RevalidateAsync(authenticationState, cancellationToken);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException { InnerException: DbException })
        {
            logger.LogWarning(e, "The database did not answer while checking a signed-in connection; it stays signed in until the next check");
            return true;
        }
    }

    private async Task<bool> RevalidateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.IsInRole(SessionCallers.Role))
        {
            // A customer stays signed in to an ended session, so the live view keeps saying it has ended.
            return Guid.TryParse(authenticationState.User.FindFirstValue(SessionCallers.LinkIdClaim), out var linkId)
                && (await sessions.CheckLinkAsync(linkId, cancellationToken)) is { IsValid: true } or { Problem: LinkProblem.SessionEnded };
        }

        // Get the user manager from a new scope to ensure it fetches fresh data
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await ValidateSecurityStampAsync(userManager, authenticationState.User);
    }

    private async Task<bool> ValidateSecurityStampAsync(UserManager<ApplicationUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }
        else if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }
        else
        {
            var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
            var userStamp = await userManager.GetSecurityStampAsync(user);
            return principalStamp == userStamp;
        }
    }
}
