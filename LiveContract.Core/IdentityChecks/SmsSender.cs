using System.Net.Http.Json;
using LiveContract.Core.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.IdentityChecks;

/// <summary>Sends a text message to a phone number (E.164).</summary>
public interface ISmsSender
{
    /// <summary>Whether text messages can be sent at all (a provider is configured).</summary>
    bool IsConfigured { get; }

    /// <summary>Sends <paramref name="text"/>; throws when the provider did not accept it.</summary>
    Task SendAsync(string to, string text, CancellationToken cancellationToken = default);
}

/// <summary>The SMS provider (<c>Sms:*</c>): a URL that takes a JSON POST, and the API key sent in a header.</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    /// <summary>Where to POST <c>{ "to": "+44…", "text": "…" }</c>; empty means no SMS.</summary>
    public string? Url { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The header that carries <see cref="ApiKey"/>.</summary>
    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    /// <summary>How long to wait for the provider's answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    /// <summary>Throws <see cref="ConfigurationErrorException"/> when a provider is set but cannot work.</summary>
    public void Validate()
    {
        if (!IsConfigured)
        {
            return;
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(Url)} must be an absolute http or https address, such as https://sms.example.com/messages.");
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(ApiKey)} must be set when {Section}:{nameof(Url)} is.");
        }

        if (string.IsNullOrWhiteSpace(ApiKeyHeader))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(ApiKeyHeader)} must name a header, such as X-Api-Key.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(2))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(Timeout)} must be a time between 0 and 2 minutes, such as 00:00:10.");
        }
    }
}

/// <summary>
/// Sends text messages through a provider that takes a JSON POST (<c>{ "to", "text" }</c>) with an
/// API key header, and answers 2xx when it accepted the message. Never logs the text: it carries codes.
/// </summary>
public sealed class HttpSmsSender(HttpClient http, IOptions<SmsOptions> options, ILogger<HttpSmsSender> logger) : ISmsSender
{
    public bool IsConfigured => options.Value.IsConfigured;

    public async Task SendAsync(string to, string text, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            throw new InvalidOperationException("No SMS provider is configured (Sms:Url).");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = JsonContent.Create(new { to, text }),
        };
        request.Headers.TryAddWithoutValidation(settings.ApiKeyHeader, settings.ApiKey);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The SMS provider answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The SMS provider did not answer within {settings.Timeout.TotalSeconds:0} seconds.", e);
        }

        logger.LogInformation("Text message to {Recipient} accepted by the SMS provider", ContactPoints.MaskPhone(to));
    }
}
