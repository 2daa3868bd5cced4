using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Email;

internal static class EmailLogging
{
    /// <summary>Logs subject, recipient and destination; the link only where settings allow it.</summary>
    public static void LogSent(this ILogger logger, EmailOptions settings, EmailMessage message, string? destination)
    {
        logger.LogInformation("Email '{Subject}' to {Recipient} delivered to {Destination}", message.Subject, message.To, destination);
        if (settings.LogLinks && message.Link is not null)
        {
            logger.LogInformation("Link in email '{Subject}' to {Recipient}: {Link}", message.Subject, message.To, message.Link);
        }
    }
}
