using LiveContract.Core.Email;
using LiveContract.Core.Hosting;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Tests.Integration;

public sealed class EmailSenderTests
{
    private static readonly EmailMessage Message = new(
        "customer@example.com", "Chloé Customer", "Your link", "Open https://lc.example/secret-link", "<p>Open</p>", "https://lc.example/secret-link");

    [Fact]
    public async Task Smtp_delivers_to_a_real_server()
    {
        var (host, port) = TestServers.Smtp;
        var recipient = $"smtp-{Guid.NewGuid():N}@example.com";
        var options = Options.Create(new EmailOptions
        {
            Mode = EmailMode.Smtp,
            From = "LiveContract Test <lc@example.com>",
            Smtp = { Host = host, Port = port, Security = SmtpSecurity.None },
        });
        var sender = new SmtpEmailSender(options, TimeProvider.System, Logger<SmtpEmailSender>(new RecordingLogger()));

        await sender.SendAsync(Message with { To = recipient });

        var received = await Mailbox.WaitForMessageAsync(TestServers.Maildir, recipient);
        Assert.Equal("Your link", received.Subject);
        Assert.Equal("lc@example.com", received.From.Mailboxes.Single().Address);
        Assert.Equal("Chloé Customer", received.To.Mailboxes.Single().Name);
        Assert.Contains("https://lc.example/secret-link", received.TextBody);
        Assert.Equal("<p>Open</p>", received.HtmlBody?.Trim());
    }

    [Fact]
    public async Task Smtp_failure_surfaces_as_an_error()
    {
        var options = Options.Create(new EmailOptions
        {
            Mode = EmailMode.Smtp,
            Smtp = { Host = "127.0.0.1", Port = 1, Security = SmtpSecurity.None, TimeoutSeconds = 5 },
        });
        var sender = new SmtpEmailSender(options, TimeProvider.System, Logger<SmtpEmailSender>(new RecordingLogger()));

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => sender.SendAsync(Message));
    }

    [Fact]
    public async Task The_pickup_folder_gets_one_whole_eml_file_and_the_log_keeps_the_link_secret()
    {
        using var data = new TempDirectory();
        var logger = new RecordingLogger();
        var sender = new PickupFolderEmailSender(Options.Create(new EmailOptions()), new DataDirectory(data.Path), TimeProvider.System, Logger<PickupFolderEmailSender>(logger));

        await sender.SendAsync(Message);

        var file = Assert.Single(Directory.GetFiles(data.Combine("mail")));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var message = MimeKit.MimeMessage.Load(file);
        Assert.Equal("Your link", message.Subject);
        Assert.Contains("https://lc.example/secret-link", message.TextBody);
        Assert.Contains(logger.Entries.Select(e => e.Message), m => m.Contains("Your link", StringComparison.Ordinal) && m.Contains("customer@example.com", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries.Select(e => e.Message), m => m.Contains("secret-link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_link_is_logged_only_where_settings_allow_it()
    {
        using var data = new TempDirectory();
        var logger = new RecordingLogger();
        var sender = new PickupFolderEmailSender(Options.Create(new EmailOptions { LogLinks = true }), new DataDirectory(data.Path), TimeProvider.System, Logger<PickupFolderEmailSender>(logger));

        await sender.SendAsync(Message);

        Assert.Contains(logger.Entries.Select(e => e.Message), m => m.Contains("https://lc.example/secret-link", StringComparison.Ordinal));
    }

    private static ILogger<T> Logger<T>(RecordingLogger recording) => new Logger<T>(new LoggerFactory([recording]));
}
