using MimeKit;
using LiveContract.Core.Hosting;

namespace LiveContract.Core.Email;

public enum EmailMode
{
    /// <summary>Each message is written as an <c>.eml</c> file into a folder (the default).</summary>
    Pickup,

    /// <summary>Messages are sent through an SMTP server.</summary>
    Smtp,
}

public enum SmtpSecurity
{
    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it otherwise.</summary>
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>How LiveContract sends email.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public EmailMode Mode { get; set; } = EmailMode.Pickup;

    /// <summary>The sender, as <c>Name &lt;address&gt;</c> or a bare address.</summary>
    public string From { get; set; } = "LiveContract <no-reply@livecontract.local>";

    /// <summary>Folder for <see cref="EmailMode.Pickup"/>, relative to the data directory unless absolute.</summary>
    public string PickupDirectory { get; set; } = "mail";

    /// <summary>
    /// Also log the link a message carries (set-password, session links). Off by default; the
    /// development settings turn it on. Never enable it in production: links are secrets.
    /// </summary>
    public bool LogLinks { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public MailboxAddress Sender => MailboxAddress.Parse(From);

    public void Validate()
    {
        if (!MailboxAddress.TryParse(From, out var sender) || !sender.Address.Contains('@', StringComparison.Ordinal))
        {
            throw new ConfigurationErrorException(
                $"{Section}:From is '{From}', which is not an email address. Use 'Name <address@example.com>' or 'address@example.com'.");
        }

        if (Mode == EmailMode.Smtp)
        {
            if (string.IsNullOrWhiteSpace(Smtp.Host))
            {
                throw new ConfigurationErrorException(
                    $"{Section}:Smtp:Host is required when {Section}:Mode is Smtp. Set it, or use Mode 'Pickup' to write messages to a folder.");
            }

            if (Smtp.Port is < 1 or > 65535)
            {
                throw new ConfigurationErrorException($"{Section}:Smtp:Port is {Smtp.Port}; use a port between 1 and 65535.");
            }

            if (string.IsNullOrEmpty(Smtp.UserName) != string.IsNullOrEmpty(Smtp.Password))
            {
                throw new ConfigurationErrorException(
                    $"{Section}:Smtp:UserName and {Section}:Smtp:Password go together: set both or neither.");
            }
        }
    }
}
