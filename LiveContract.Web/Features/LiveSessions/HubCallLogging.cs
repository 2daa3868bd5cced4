using Microsoft.AspNetCore.SignalR;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>
/// Logs what went wrong in a hub call, once and at the level it deserves. A refusal (a
/// <see cref="HubException"/>, whose message is the sentence the caller sees) is an expected
/// answer: one Information line naming the method and the sentence, no stack trace. Anything else
/// is a fault: an Error with its exception. SignalR's dispatcher would log both at Error with a
/// stack trace, so its own log is switched off (<see cref="DispatcherCategory"/>) and this filter
/// speaks for it.
/// </summary>
public sealed partial class HubCallLogging(ILogger<HubCallLogging> logger) : IHubFilter
{
    /// <summary>The log category of SignalR's hub dispatcher, which logs every exception of a hub method at Error, refusals included.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(invocationContext);
        }
        catch (HubException e)
        {
            Refused(logger, invocationContext.HubMethodName, invocationContext.Context.ConnectionId, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            Abandoned(logger, invocationContext.HubMethodName, invocationContext.Context.ConnectionId);
            throw;
        }
        catch (Exception e)
        {
            Failed(logger, e, invocationContext.HubMethodName, invocationContext.Context.ConnectionId);
            throw;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Hub call {HubMethod} of connection {ConnectionId} refused: {Reason}")]
    private static partial void Refused(ILogger logger, string hubMethod, string connectionId, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Hub call {HubMethod} of connection {ConnectionId} stopped: the connection closed")]
    private static partial void Abandoned(ILogger logger, string hubMethod, string connectionId);

    [LoggerMessage(3, LogLevel.Error, "Hub call {HubMethod} of connection {ConnectionId} failed")]
    private static partial void Failed(ILogger logger, Exception exception, string hubMethod, string connectionId);
}
