using LiveContract.Core.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Email;

/// <summary>
/// Writes each message as an <c>.eml</c> file (RFC 5322, opens in any mail program) into the
/// pickup folder. The file appears whole or not at all: it is written under a temporary name first.
/// </summary>
public sealed class PickupFolderEmailSender(
    IOptions<EmailOptions> options,
    DataDirectory dataDirectory,
    TimeProvider time,
    ILogger<PickupFolderEmailSender> logger) : IEmailSender
{
    public string Folder { get; } = dataDirectory.Resolve(options.Value.PickupDirectory);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Folder);
        var now = time.GetUtcNow();
        var mime = message.ToMimeMessage(options.Value.Sender, now);
        var name = $"{now:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml";
        var temporary = Path.Combine(Folder, name + ".tmp");
        var final = Path.Combine(Folder, name);

        await using (var stream = File.Create(temporary))
        {
            await mime.WriteToAsync(stream, cancellationToken);
        }

        File.Move(temporary, final);
        logger.LogSent(options.Value, message, final);
    }
}
