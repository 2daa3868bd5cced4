using System.Security.Claims;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Documents;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>
/// A component context with an advisor (Victor Advisor), his contract "Motor policy" for Chloé
/// Dupont with two documents (motor-insurance-claim-form.pdf, 3 pages; rotated-90.pdf, 1 page), and
/// the live-session UI services, over the real services and coordinator.
/// </summary>
public abstract class LiveSessionTestContext : ComponentTestContext
{
    protected const string AdvisorName = "Victor Advisor";
    protected const string CustomerName = "Chloé Dupont";
    protected const string ClaimForm = "motor-insurance-claim-form.pdf";
    protected const string Rotated = "rotated-90.pdf";

    private readonly List<LiveSessionClient> clients = [];

    protected LiveSessionTestContext()
    {
        Context.Services.AddSingleton<DocumentLinks>();
        Context.Services.AddLiveSessionUi();
    }

    protected Actor Advisor { get; private set; } = default!;

    protected Guid ContractId { get; private set; }

    protected Guid ClaimFormId { get; private set; }

    protected Guid RotatedId { get; private set; }

    protected SessionCaller.Staff AdvisorCaller => new(Advisor, AdvisorName);

    protected LiveSessionService Sessions => Context.Services.GetRequiredService<LiveSessionService>();

    protected ILiveSessionCoordinator Coordinator => Context.Services.GetRequiredService<ILiveSessionCoordinator>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync(AdvisorName, "victor@example.com", Roles.Advisor, "a long enough password");
        Advisor = new Actor((await accounts.ListAsync()).Single().Id, IsAdmin: false);
        var created = await Context.Services.GetRequiredService<ContractService>().CreateAsync(Advisor, new NewContract("Motor policy", CustomerName, "chloe@example.com"));
        ContractId = created.Value!.Id;
        ClaimFormId = await UploadAsync(ClaimForm);
        RotatedId = await UploadAsync(Rotated);
    }

    protected async Task<Guid> UploadAsync(string fixture)
    {
        await using var content = File.OpenRead(FixturePdfs.PathOf(fixture));
        var uploaded = await Context.Services.GetRequiredService<DocumentService>().UploadAsync(Advisor, ContractId, fixture, content);
        return uploaded.Value?.Id ?? throw new InvalidOperationException(uploaded.Error!.Message);
    }

    /// <summary>Starts the contract's session; answers it and the customer who redeemed its link.</summary>
    protected async Task<(Guid SessionId, SessionCaller.Customer Customer)> StartSessionAsync()
    {
        var started = await Sessions.StartAsync(Advisor, ContractId);
        Assert.True(started.Succeeded, started.Error?.Message);
        var token = started.Value!.CustomerLink.Split('/').Last();
        var redeemed = await Sessions.RedeemLinkAsync(token, "192.0.2.7");
        Assert.True(redeemed.IsValid, redeemed.Problem?.ToString());
        return (started.Value.Session.Id, new SessionCaller.Customer(redeemed.Grant!.LinkId));
    }

    /// <summary>Another circuit's client (disposed with the test).</summary>
    protected LiveSessionClient NewClient()
    {
        var client = ActivatorUtilities.CreateInstance<LiveSessionClient>(Context.Services);
        clients.Add(client);
        return client;
    }

    /// <summary>A client of another circuit, joined; its state changes are not rendered anywhere.</summary>
    protected async Task<LiveSessionClient> JoinAsync(SessionCaller caller, Guid sessionId)
    {
        var client = NewClient();
        var joined = await client.JoinAsync(caller, sessionId, () => Task.CompletedTask);
        Assert.True(joined.Succeeded, joined.Error?.Message);
        return client;
    }

    protected void SignInAsAdvisor() =>
        Authorization.SetAuthorized("victor@example.com").SetRoles(Roles.Advisor).SetClaims(
            new Claim(ClaimTypes.NameIdentifier, Advisor.UserId),
            new Claim(LiveContractClaimsPrincipalFactory.DisplayNameClaim, AdvisorName));

    protected void SignInAsCustomer(SessionCaller.Customer customer) =>
        Authorization.SetAuthorized(CustomerName).SetRoles(SessionCallers.Role).SetClaims(new Claim(SessionCallers.LinkIdClaim, customer.LinkId.ToString()));

    /// <summary>Waits (up to 5 s) until <paramref name="condition"/> holds, for changes that arrive on the coordinator's threads.</summary>
    protected static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(10);
        }
    }

    public override async Task DisposeAsync()
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
