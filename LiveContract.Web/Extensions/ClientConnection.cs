using LiveContract.Core.Common;

namespace LiveContract.Web.Extensions;

/// <summary>
/// Where the person behind this request or Blazor circuit connects from, for the audit trail and
/// signatures. A scoped service: filled from each HTTP request by <see cref="UseClientConnection"/>,
/// and in a circuit (which has no request of its own) by <c>Routes</c> from the values the page
/// request passed it.
/// </summary>
public sealed class ClientConnection
{
    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public static ClientConnection From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ClientConnection();
        connection.Set(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
        return connection;
    }

    public void Set(string? ipAddress, string? userAgent)
    {
        IpAddress = ClientLimits.Clip(ipAddress, ClientLimits.MaxIpAddressLength);
        UserAgent = ClientLimits.Clip(userAgent, ClientLimits.MaxUserAgentLength);
    }

    /// <summary>Fills the request's <see cref="ClientConnection"/> from the request.</summary>
    public static void UseClientConnection(IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var from = From(context);
            context.RequestServices.GetRequiredService<ClientConnection>().Set(from.IpAddress, from.UserAgent);
            return next(context);
        });
}
