using System.Text.RegularExpressions;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>
/// One installation (SQLite or PostgreSQL) running the real app, with an admin, two advisors and
/// helpers to make contracts with documents and to start sessions through the real services.
/// </summary>
internal sealed partial class LiveSessionScenario : IAsyncDisposable
{
    public const string CustomerEmail = "chloe@example.com";
    public const string ThreePages = "motor-insurance-claim-form.pdf";
    public const string FivePages = "arxiv-2108.11480.pdf";

    /// <summary>Long enough never to be reached by working code; only a broken one waits this long.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyDictionary<string, string?>? settings;
    private readonly Microsoft.Extensions.Logging.ILoggerProvider? logging;

    private LiveSessionScenario(TestInstallation installation, IReadOnlyDictionary<string, string?>? settings, Microsoft.Extensions.Logging.ILoggerProvider? logging)
    {
        Installation = installation;
        this.settings = settings;
        this.logging = logging;
        App = installation.Start(settings, logging);
    }

    public TestInstallation Installation { get; }

    public LiveContractApp App { get; private set; }

    public Actor Admin { get; private set; } = default!;

    public Actor Advisor { get; private set; } = default!;

    public Actor OtherAdvisor { get; private set; } = default!;

    public LiveSessionService Sessions => App.Services.GetRequiredService<LiveSessionService>();

    public ILiveSessionCoordinator Coordinator => App.Services.GetRequiredService<ILiveSessionCoordinator>();

    public PresenceRecorder Presence => App.Services.GetRequiredService<PresenceRecorder>();

    public ContractService Contracts => App.Services.GetRequiredService<ContractService>();

    public DocumentService Documents => App.Services.GetRequiredService<DocumentService>();

    public SessionCaller.Staff AdvisorCaller => new(Advisor, "Victor Advisor");

    public static async Task<LiveSessionScenario> CreateAsync(
        DatabaseProvider provider = DatabaseProvider.Sqlite, IReadOnlyDictionary<string, string?>? settings = null, Microsoft.Extensions.Logging.ILoggerProvider? logging = null)
    {
        var scenario = new LiveSessionScenario(await TestInstallation.CreateAsync(provider), settings, logging);
        var (admin, advisor) = await scenario.App.CreateStaffAsync();
        var other = await scenario.App.CreateUserAsync("Olga Other", "other@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        scenario.Admin = new Actor(admin.Id, IsAdmin: true);
        scenario.Advisor = new Actor(advisor.Id, IsAdmin: false);
        scenario.OtherAdvisor = new Actor(other.Id, IsAdmin: false);
        return scenario;
    }

    public LiveContractDbContext Database() => App.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext();

    /// <summary>A Draft contract of <paramref name="owner"/> (the advisor by default) with the given fixture documents, uploaded in order.</summary>
    public async Task<ContractDetails> CreateContractAsync(Actor? owner = null, string customerEmail = CustomerEmail, params string[] fixtures)
    {
        owner ??= Advisor;
        var created = await Contracts.CreateAsync(owner, new NewContract("Motor insurance", "Chloé Dupont", customerEmail, AdvisorMustSign: true));
        var contract = Accepted(created);
        foreach (var fixture in fixtures)
        {
            using var content = new MemoryStream(FixturePdfs.Read(fixture));
            Accepted(await Documents.UploadAsync(owner, contract.Id, fixture, content));
        }

        return Accepted(await Contracts.GetAsync(owner, contract.Id));
    }

    public Task<ContractDetails> CreateContractWithDocumentAsync(Actor? owner = null) => CreateContractAsync(owner, CustomerEmail, ThreePages);

    public async Task<StartedLiveSession> StartAsync(Guid contractId) =>
        Accepted(await Sessions.StartAsync(Advisor, contractId));

    /// <summary>Stops the app and starts it again on the same installation, as after a server restart.</summary>
    public async Task RestartAsync()
    {
        await App.DisposeAsync();
        App = Installation.Start(settings, logging);
    }

    /// <summary>The messages sent to <paramref name="to"/> through the pickup folder, once there are <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(string to, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var messages = Mailbox.Read(Installation.PickupDirectory)
                .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(m => m.Date)
                .ToList();
            if (messages.Count >= count)
            {
                return messages;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{count} messages to {to} did not arrive.");
            await Task.Delay(50);
        }
    }

    public static T Accepted<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        return outcome.Value!;
    }

    public static string TokenOf(string customerLink) => customerLink[(customerLink.LastIndexOf('/') + 1)..];

    /// <summary>The session link in a message's text body.</summary>
    public static string SessionLink(MimeMessage message) =>
        SessionLinkPattern().Match(message.TextBody ?? "") is { Success: true } match
            ? match.Value
            : throw new InvalidOperationException($"No session link in '{message.Subject}'.");

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Installation.DisposeAsync();
    }

    [GeneratedRegex(@"https?://\S+/join/lcs_[A-Za-z0-9_\-]+")]
    private static partial Regex SessionLinkPattern();
}
