using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Fixtures;

/// <summary>
/// An SMS provider on loopback, as LiveContract's HTTP sender expects one: it takes a JSON POST at
/// <c>/messages</c>, keeps what arrived (the API key header and the body) and answers
/// <see cref="StatusCode"/>.
/// </summary>
public sealed class FakeSmsProvider : IAsyncDisposable
{
    public const string ApiKey = "sms-key-for-tests";

    private readonly WebApplication app;

    private FakeSmsProvider(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<(string? ApiKey, JsonElement Body)> Received { get; } = new();

    public int StatusCode { get; set; } = StatusCodes.Status202Accepted;

    /// <summary>The settings that send LiveContract's text messages here.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sms:Url"] = Url.AbsoluteUri,
        ["Sms:ApiKey"] = ApiKey,
    };

    public static async Task<FakeSmsProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeSmsProvider? provider = null;
        app.MapPost("/messages", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            provider!.Received.Enqueue((context.Request.Headers["X-Api-Key"].ToString(), body.RootElement.Clone()));
            return Results.StatusCode(provider.StatusCode);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider = new FakeSmsProvider(app, new Uri(new Uri(address), "/messages"));
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
