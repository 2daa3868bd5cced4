using System.Net;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using LiveContract.Core.IdentityChecks;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Integration.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.IdentityChecks;

public sealed class SmsCodeTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_customer_chooses_a_text_message_and_the_code_goes_through_the_provider(DatabaseProvider provider)
    {
        await using var sms = await FakeSmsProvider.StartAsync();
        var settings = new Dictionary<string, string?>(IdentityCodeMail.On) { ["IdentityCheck:ResendInterval"] = "00:00:00.001" };
        foreach (var (key, value) in sms.Settings)
        {
            settings[key] = value;
        }

        await using var scenario = await SigningScenario.CreateAsync(provider, settings);
        var session = await scenario.StartInReviewAsync();
        var checks = scenario.App.Services.GetRequiredService<IdentityCheckService>();
        LiveSessionScenario.Accepted(await checks.ChangeAsync(scenario.Live.Advisor, session.ContractId, new IdentityCheckChange(CustomerPhone: "+44 7700 900123")));
        var linkId = session.Customer.LinkId;

        var requirement = (await checks.RequirementAsync(linkId))!;
        Assert.Equal(("c***@example.com", "+44******0123"), (requirement.Email, requirement.Phone));
        using var web = scenario.App.CreateWebClient();
        using var joinPage = await web.SubmitFormAsync($"join/{session.Token}", new Dictionary<string, string>());
        var page = WebUtility.HtmlDecode(await joinPage.Content.ReadAsStringAsync());
        Assert.Contains("Email to c***@example.com", page, StringComparison.Ordinal);
        Assert.Contains("Text message to +44******0123", page, StringComparison.Ordinal);

        var sent = LiveSessionScenario.Accepted(await checks.SendCodeAsync(linkId, CodePurpose.Join, CodeChannel.Sms, null, SigningScenario.CustomerIp));
        Assert.Equal((CodeChannel.Sms, "+44******0123"), (sent.Channel, sent.To));
        var (apiKey, body) = Assert.Single(sms.Received);
        Assert.Equal(FakeSmsProvider.ApiKey, apiKey);
        Assert.Equal("+447700900123", body.GetProperty("to").GetString());
        var text = body.GetProperty("text").GetString()!;
        Assert.StartsWith("LiveContract: your code to join the live session for ", text, StringComparison.Ordinal);
        var code = System.Text.RegularExpressions.Regex.Match(text, @" is (\d{6})\.").Groups[1].Value;
        Assert.Empty(IdentityCodeMail.CodeMessages(scenario.Live.Installation.PickupDirectory, LiveSessionScenario.CustomerEmail));

        LiveSessionScenario.Accepted(await checks.VerifyAsync(linkId, CodePurpose.Join, code, null, SigningScenario.CustomerIp));
        var accepted = Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.IdentityCodeAccepted));
        Assert.Equal(("Sms", "+44******0123"), (SigningScenario.DataOf(accepted).GetProperty("channel").GetString(), SigningScenario.DataOf(accepted).GetProperty("to").GetString()));

        // The provider refuses: the customer is told, and can ask by email.
        sms.StatusCode = (int)HttpStatusCode.InternalServerError;
        await Task.Delay(5);
        var failed = await checks.SendCodeAsync(linkId, CodePurpose.Join, CodeChannel.Sms, null, SigningScenario.CustomerIp);
        Assert.Equal(ErrorKind.Unavailable, failed.Error!.Kind);
        Assert.Equal("The text message could not be sent; try again in a moment, or ask for the code by email.", failed.Error.Message);
        await Task.Delay(5);
        Assert.True((await checks.SendCodeAsync(linkId, CodePurpose.Join, CodeChannel.Email, null, SigningScenario.CustomerIp)).Succeeded);
    }

    [Fact]
    public async Task Without_a_provider_or_a_phone_there_is_no_text_message()
    {
        await using var scenario = await SigningScenario.CreateAsync(DatabaseProvider.Sqlite, IdentityCodeMail.On);
        var session = await scenario.StartInReviewAsync();
        var checks = scenario.App.Services.GetRequiredService<IdentityCheckService>();
        LiveSessionScenario.Accepted(await checks.ChangeAsync(scenario.Live.Advisor, session.ContractId, new IdentityCheckChange(CustomerPhone: "+447700900123")));

        Assert.Null((await checks.RequirementAsync(session.Customer.LinkId))!.Phone);
        var refused = await checks.SendCodeAsync(session.Customer.LinkId, CodePurpose.Join, CodeChannel.Sms, null, SigningScenario.CustomerIp);
        Assert.Equal("No phone number can receive codes for this contract; ask for the code by email.", refused.Error!.Message);
    }
}
