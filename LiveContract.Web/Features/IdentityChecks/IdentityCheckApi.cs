using System.Security.Claims;
using LiveContract.Core.Common;
using LiveContract.Core.IdentityChecks;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Extensions;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.IdentityChecks;

/// <summary>Ask for a code: what it is for (Join by default, or Sign) and how it should come (Email by default, or Sms).</summary>
public sealed record IdentityCodeRequest(CodePurpose? Purpose, CodeChannel? Channel);

/// <summary>Enter a code: what it is for (Join by default, or Sign) and the six digits.</summary>
public sealed record IdentityVerifyRequest(CodePurpose? Purpose, string? Code);

/// <summary>What the customer's contract asks: whether codes are needed, where they can go (masked), and whether this caller has passed the join check.</summary>
public sealed record IdentityStatusResponse(bool CodeRequired, bool Passed, string Email, string? Phone, TimeSpan CodeLifetime);

/// <summary>
/// A code accepted. For a join code, <see cref="Pass"/> is the device's pass: programs send it in
/// the <c>X-LiveContract-Identity</c> header with the link token from then on (hub included).
/// </summary>
public sealed record IdentityVerifyResponse(CodePurpose Purpose, DateTimeOffset PassedAt, string? Pass, string PassHeader);

/// <summary>The advisor's changes: require codes or not, and the customer's mobile number (E.164; empty removes it).</summary>
public sealed record IdentityCheckChangeRequest(bool? Required, string? CustomerPhone);

internal static class IdentityCheckApi
{
    private static readonly OperationError CustomersOnly =
        new(ErrorKind.Forbidden, "Only the customer confirms their identity with a code, through their own link.");

    /// <summary>The advisor's endpoints, in the staff API group.</summary>
    public static RouteGroupBuilder MapIdentityCheckApi(this RouteGroupBuilder api)
    {
        var contract = api.MapGroup("/contracts/{id:guid}/identity-check").WithTags("Identity check");
        contract.MapGet("/", GetSettingsAsync).WithSummary("How the contract's customer proves who they are before joining and signing.");
        contract.MapPut("/", ChangeAsync).WithSummary("Turn the contract's identity check on or off, and set or remove the customer's mobile number for codes by text message.");
        contract.MapPost("/advisor-check", RecordAdvisorCheckAsync).WithSummary("Record an identity check you did in person or by video (document type and its last four characters); it stands in for codes.");
        return api;
    }

    /// <summary>The customer's endpoints (link cookie or <c>Authorization: Bearer lcs_…</c>), for browsers and programs alike.</summary>
    public static IEndpointRouteBuilder MapCustomerIdentityApi(this IEndpointRouteBuilder endpoints, string authorizationPolicy)
    {
        var identity = endpoints.MapGroup("/api/sessions/{id:guid}/identity").RequireAuthorization(authorizationPolicy).WithTags("Identity check");
        identity.MapGet("/", StatusAsync).WithSummary("Whether the customer must confirm their identity with a code, where codes can go, and whether this device has.");
        identity.MapPost("/code", SendCodeAsync).WithSummary("Send the customer a new one-time code (Join: before joining; Sign: before signing) by Email or Sms.");
        identity.MapPost("/verify", VerifyAsync).WithSummary("Enter the code. For Join, the answer's pass goes in the X-LiveContract-Identity header of later calls and of the hub connection.");
        return endpoints;
    }

    private static async Task<Results<Ok<IdentityCheckSettings>, ProblemHttpResult>> GetSettingsAsync(Guid id, HttpContext context, IdentityCheckService checks, CancellationToken cancellationToken) =>
        Answer(await checks.GetSettingsAsync(context.ToActor(), id, cancellationToken));

    private static async Task<Results<Ok<IdentityCheckSettings>, ProblemHttpResult>> ChangeAsync(Guid id, IdentityCheckChangeRequest request, HttpContext context, IdentityCheckService checks, CancellationToken cancellationToken) =>
        Answer(await checks.ChangeAsync(context.ToActor(), id, new IdentityCheckChange(request.Required, request.CustomerPhone), cancellationToken));

    private static async Task<Results<Ok<IdentityCheckSettings>, ProblemHttpResult>> RecordAdvisorCheckAsync(Guid id, AdvisorCheckRequest request, HttpContext context, IdentityCheckService checks, CancellationToken cancellationToken) =>
        Answer(await checks.RecordAdvisorCheckAsync(context.ToActor(), id, request, cancellationToken));

    private static async Task<Results<Ok<IdentityStatusResponse>, ProblemHttpResult>> StatusAsync(Guid id, HttpContext context, IdentityCheckService checks, CancellationToken cancellationToken)
    {
        if (CustomerOf(context, id) is not { } customer)
        {
            return ApiResults.Problem(CustomersOnly);
        }

        var requirement = await checks.RequirementAsync(customer.LinkId, cancellationToken);
        if (requirement is null)
        {
            return ApiResults.Problem(LiveSessionErrors.UnknownSession);
        }

        var passed = !requirement.CodeRequired || await checks.HasPassedAsync(customer.LinkId, customer.IdentityCheckId, cancellationToken);
        return TypedResults.Ok(new IdentityStatusResponse(requirement.CodeRequired, passed, requirement.Email, requirement.Phone, requirement.CodeLifetime));
    }

    private static async Task<Results<Ok<SentCode>, ProblemHttpResult>> SendCodeAsync(Guid id, IdentityCodeRequest request, HttpContext context, IdentityCheckService checks, CancellationToken cancellationToken)
    {
        if (CustomerOf(context, id) is not { } customer)
        {
            return ApiResults.Problem(CustomersOnly);
        }

        var outcome = await checks.SendCodeAsync(customer.LinkId, request.Purpose ?? CodePurpose.Join, request.Channel ?? CodeChannel.Email, customer.IdentityCheckId, customer.IpAddress, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<IdentityVerifyResponse>, ProblemHttpResult>> VerifyAsync(Guid id, IdentityVerifyRequest request, HttpContext context, IdentityCheckService checks, IdentityPasses passes, LiveSessionService sessions, CancellationToken cancellationToken)
    {
        if (CustomerOf(context, id) is not { } customer)
        {
            return ApiResults.Problem(CustomersOnly);
        }

        var purpose = request.Purpose ?? CodePurpose.Join;
        var outcome = await checks.VerifyAsync(customer.LinkId, purpose, request.Code, customer.IdentityCheckId, customer.IpAddress, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error!);
        }

        var passed = outcome.Value!;
        string? pass = null;
        if (purpose == CodePurpose.Join)
        {
            pass = passes.Issue(customer.LinkId, passed.CheckId);
            if (context.User.Identity?.AuthenticationType == SessionCallers.CookieScheme
                && (await sessions.CheckLinkAsync(customer.LinkId, cancellationToken)).Grant is { } grant)
            {
                // A browser keeps the pass in its customer cookie.
                await CustomerLinkAuthentication.SignInAsync(context, grant, passed.CheckId);
            }
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new IdentityVerifyResponse(purpose, passed.At, pass, IdentityPasses.HeaderName));
    }

    /// <summary>The customer calling about session <paramref name="sessionId"/>, or null for staff and for another session's customer.</summary>
    private static SessionCaller.Customer? CustomerOf(HttpContext context, Guid sessionId) =>
        context.User.ToSessionCaller(ClientConnection.From(context)) is SessionCaller.Customer customer
        && Guid.TryParse(context.User.FindFirstValue(SessionCallers.SessionIdClaim), out var session)
        && session == sessionId
            ? customer
            : null;

    private static Results<Ok<IdentityCheckSettings>, ProblemHttpResult> Answer(Outcome<IdentityCheckSettings> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
}
