using MimeKit;

namespace LiveContract.Core.Email;

/// <summary>
/// A message to one recipient. <paramref name="Link"/> is the action the message carries (for
/// example a set-password link); it is part of the body already and is named here only so that
/// development setups can log it (see <see cref="EmailOptions.LogLinks"/>).
/// </summary>
public sealed record EmailMessage(string To, string? ToName, string Subject, string TextBody, string? HtmlBody = null, string? Link = null)
{
    internal MimeMessage ToMimeMessage(MailboxAddress from, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(new MailboxAddress(ToName ?? "", To));
        message.Subject = Subject;
        message.Date = date;
        var body = new BodyBuilder { TextBody = TextBody, HtmlBody = HtmlBody };
        message.Body = body.ToMessageBody();
        return message;
    }
}

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
