using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Signing;

/// <summary>A contract in Review with an active live session, the customer holding its link.</summary>
internal sealed record SessionInReview(ContractDetails Contract, Guid CustomerId, Guid SessionId, string Token, SessionCaller.Customer Customer)
{
    public Guid ContractId => Contract.Id;
}

/// <summary>
/// The real app on SQLite or PostgreSQL (see <see cref="LiveSessionScenario"/>) with what signing
/// tests need: contracts in Review with a live session, signature requests of both parties, and
/// readers of what the database recorded.
/// </summary>
internal sealed class SigningScenario : IAsyncDisposable
{
    public const string CustomerIp = "203.0.113.7";
    public const string AdvisorIp = "198.51.100.2";

    private SigningScenario(LiveSessionScenario live)
    {
        Live = live;
    }

    public LiveSessionScenario Live { get; }

    public LiveContractApp App => Live.App;

    public SigningService Signing => App.Services.GetRequiredService<SigningService>();

    public SealedDocuments SealedDocuments => App.Services.GetRequiredService<SealedDocuments>();

    public SessionCaller.Staff Advisor => Live.AdvisorCaller;

    public static async Task<SigningScenario> CreateAsync(
        DatabaseProvider provider = DatabaseProvider.Sqlite, IReadOnlyDictionary<string, string?>? settings = null, Microsoft.Extensions.Logging.ILoggerProvider? logging = null) =>
        new(await LiveSessionScenario.CreateAsync(provider, settings, logging));

    /// <summary>What the customer submits: their name as on the contract, a drawn signature, the current consent.</summary>
    public static SignRequest CustomerRequest(string fullName = "Chloé Dupont", byte[]? png = null, string? consentSha256 = null) =>
        new(fullName, png ?? SignaturePngs.Drawn(), consentSha256 ?? SigningConsent.Sha256, CustomerIp, "CustomerBrowser/1.0");

    /// <summary>What the advisor submits: the name on their account.</summary>
    public static SignRequest AdvisorRequest(string fullName = "Victor Advisor") =>
        new(fullName, SignaturePngs.Drawn(), SigningConsent.Sha256, AdvisorIp, "AdvisorBrowser/2.0");

    /// <summary>A contract with two documents, in Review, with its live session started; the customer needs no countersignature when <paramref name="advisorMustSign"/> is false; in <paramref name="language"/> when given.</summary>
    public async Task<SessionInReview> StartInReviewAsync(bool advisorMustSign = true, string customerEmail = LiveSessionScenario.CustomerEmail, string? language = null)
    {
        var contract = await Live.CreateContractAsync(null, customerEmail, LiveSessionScenario.ThreePages, "empty.pdf");
        if (!advisorMustSign || language is not null)
        {
            LiveSessionScenario.Accepted(await Live.Contracts.UpdateAsync(Live.Advisor, contract.Id, new ContractChanges(AdvisorMustSign: advisorMustSign, Language: language)));
        }

        LiveSessionScenario.Accepted(await Live.Contracts.UpdateAsync(Live.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        var started = await Live.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        var linkId = (await Live.Sessions.CheckLinkAsync(token)).Grant!.LinkId;
        var reviewed = LiveSessionScenario.Accepted(await Live.Contracts.GetAsync(Live.Advisor, contract.Id));
        return new SessionInReview(reviewed, (await ContractAsync(contract.Id)).CustomerId, started.Session.Id, token, new SessionCaller.Customer(linkId) { IpAddress = CustomerIp });
    }

    public Task<Outcome<SignResult>> SignAsync(SessionCaller caller, Guid sessionId, SignRequest request) =>
        Signing.SignAsync(caller, sessionId, request);

    public Task<Outcome<SignResult>> CustomerSignsAsync(SessionInReview session) => SignAsync(session.Customer, session.SessionId, CustomerRequest());

    public Task<Outcome<SignResult>> AdvisorSignsAsync(SessionInReview session) => SignAsync(Advisor, session.SessionId, AdvisorRequest());

    public LiveContractDbContext Database() => Live.Database();

    public async Task<Contract> ContractAsync(Guid contractId)
    {
        await using var db = Database();
        return await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == contractId);
    }

    public async Task<List<Signature>> SignaturesAsync(Guid contractId)
    {
        await using var db = Database();
        return await db.Signatures.AsNoTracking().Where(s => s.ContractId == contractId).ToListAsync();
    }

    /// <summary>The contract's audit events of <paramref name="type"/>, oldest first.</summary>
    public async Task<List<AuditEvent>> AuditAsync(Guid contractId, string type)
    {
        await using var db = Database();
        var stream = AuditStreams.Contract(contractId);
        return await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream && e.Type == type).OrderBy(e => e.Sequence).ToListAsync();
    }

    public async Task<ChainCheck> VerifyChainAsync(Guid contractId)
    {
        await using var db = Database();
        return await AuditTrail.VerifyAsync(db, AuditStreams.Contract(contractId));
    }

    public static JsonElement DataOf(AuditEvent audit) => JsonDocument.Parse(audit.Data).RootElement;

    public ValueTask DisposeAsync() => Live.DisposeAsync();
}
