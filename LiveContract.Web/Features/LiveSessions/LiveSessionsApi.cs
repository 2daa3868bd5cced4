using System.Security.Claims;
using LiveContract.Core.Hosting;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>A session just started: where hub clients connect, the customer link (shown once) and whether it was emailed.</summary>
public sealed record StartSessionResponse(Guid SessionId, string HubUrl, string CustomerLink, bool EmailSent, LiveSessionInfo Session);

/// <summary>A new customer link (the previous ones no longer work) and whether it was emailed.</summary>
public sealed record CustomerLinkResponse(string CustomerLink, bool EmailSent, LiveSessionInfo Session);

/// <summary>A session, with who is connected and what it shows while it is open on this server.</summary>
public sealed record SessionResponse(LiveSessionInfo Session, LivePresenceResponse? Live);

/// <summary>The moment-to-moment state of an open session.</summary>
public sealed record LivePresenceResponse(IReadOnlyList<ParticipantPresence> Participants, Guid DocumentId, int Page, long Version);

internal static class LiveSessionsApi
{
    public static RouteGroupBuilder MapLiveSessionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/contracts/{id:guid}/session", StartAsync).WithTags("Live sessions")
            .WithSummary("Start the contract's live session (its advisor; Draft or Review; at least one document) and email the customer a link.");
        var sessions = api.MapGroup("/sessions").WithTags("Live sessions");
        sessions.MapGet("/{id:guid}", GetAsync).WithSummary("A live session (status Active, Completed once its contract is signed, or Ended), with who is connected and what it shows while it is open.");
        sessions.MapDelete("/{id:guid}", EndAsync).WithSummary("End the live session for everyone; its customer link stops working. A completed session stays as it is.");
        sessions.MapPost("/{id:guid}/link", ResendLinkAsync).WithSummary("Replace the customer link with a new one and email it; the previous link stops working.");
        sessions.MapDelete("/{id:guid}/link", RevokeLinkAsync).WithSummary("Withdraw the customer link; the customer can no longer open or use it.");
        sessions.MapGet("/{id:guid}/activity", ActivityAsync).WithSummary("What was recorded about the session (start, links, joins and leaves, end or completion), oldest first.");
        return api;
    }

    private static async Task<Results<Created<StartSessionResponse>, ProblemHttpResult>> StartAsync(
        Guid id, HttpContext context, LiveSessionService sessions, IPublicUrl publicUrl, CancellationToken cancellationToken)
    {
        var outcome = await sessions.StartAsync(context.ToActor(), id, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error!);
        }

        var started = outcome.Value!;
        var hubUrl = publicUrl.Resolve(CustomerLinkAuthentication.HubPath).ToString();
        return TypedResults.Created(
            $"/api/sessions/{started.Session.Id}",
            new StartSessionResponse(started.Session.Id, hubUrl, started.CustomerLink, started.EmailSent, started.Session));
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext context, LiveSessionService sessions, ILiveSessionCoordinator coordinator, CancellationToken cancellationToken)
    {
        var outcome = await sessions.GetAsync(context.ToActor(), id, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error!);
        }

        // A completed session still has whoever stayed in it.
        var snapshot = outcome.Value!.Status != LiveSessionStatus.Ended ? await coordinator.GetSnapshotAsync(id, cancellationToken) : null;
        var live = snapshot is { Ended: false } ? new LivePresenceResponse(snapshot.Participants, snapshot.DocumentId, snapshot.Page, snapshot.Version) : null;
        return TypedResults.Ok(new SessionResponse(outcome.Value, live));
    }

    private static async Task<Results<Ok<LiveSessionInfo>, ProblemHttpResult>> EndAsync(Guid id, HttpContext context, LiveSessionService sessions, CancellationToken cancellationToken)
    {
        var outcome = await sessions.EndAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<CustomerLinkResponse>, ProblemHttpResult>> ResendLinkAsync(
        Guid id, HttpContext context, LiveSessionService sessions, CancellationToken cancellationToken)
    {
        var outcome = await sessions.ResendLinkAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new CustomerLinkResponse(outcome.Value!.CustomerLink, outcome.Value.EmailSent, outcome.Value.Session))
            : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<LiveSessionInfo>, ProblemHttpResult>> RevokeLinkAsync(Guid id, HttpContext context, LiveSessionService sessions, CancellationToken cancellationToken)
    {
        var outcome = await sessions.RevokeLinkAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<IReadOnlyList<LiveSessionActivityEntry>>, ProblemHttpResult>> ActivityAsync(
        Guid id, HttpContext context, LiveSessionService sessions, CancellationToken cancellationToken)
    {
        var outcome = await sessions.GetActivityAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
