using LiveContract.Core.Accounts;
using LiveContract.Core.Documents;
using LiveContract.Core.IdentityChecks;

namespace LiveContract.Core.Contracts;

public sealed class Contract
{
    public Guid Id { get; set; }

    /// <summary>Human reference such as <c>LC-2026-000042</c>; unique.</summary>
    public string Reference { get; set; } = "";

    public string Title { get; set; } = "";

    public string AdvisorId { get; set; } = "";

    public ApplicationUser? Advisor { get; set; }

    public Guid CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public ContractStatus Status { get; set; }

    /// <summary>The customer's language (<see cref="Localization.Languages.Supported"/>): their pages, emails and the certificate of completion.</summary>
    public string Language { get; set; } = Localization.Languages.Default;

    /// <summary>The customer's time zone (IANA id such as <c>Europe/Paris</c>) for times in their emails; null when unknown (then UTC, said so).</summary>
    public string? CustomerTimeZone { get; set; }

    /// <summary>Whether the advisor countersigns; the customer always signs.</summary>
    public bool AdvisorMustSign { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ReviewStartedAt { get; set; }

    public DateTimeOffset? SignedAt { get; set; }

    /// <summary>
    /// Which sealer (one call of the sealing service, on any server) holds the right to build this
    /// contract's sealed PDF until <see cref="SealingLeaseUntil"/>; null when none does. Not a change
    /// of the contract: taking and releasing the lease leaves <see cref="Version"/> alone.
    /// </summary>
    public string? SealingLeaseHolder { get; set; }

    /// <summary>When the sealing lease of <see cref="SealingLeaseHolder"/> ends, so that a sealer that died does not block sealing for ever.</summary>
    public DateTimeOffset? SealingLeaseUntil { get; set; }

    /// <summary>The customer's mobile number in E.164 (<c>+447700900123</c>), so identity codes can also go by text message; optional.</summary>
    public string? CustomerPhone { get; set; }

    /// <summary>Whether the advisor turned the identity check off for this contract (<see cref="IdentityCheckOffById"/> did).</summary>
    public bool IdentityCheckOff { get; set; }

    public string? IdentityCheckOffById { get; set; }

    /// <summary>The identity check the advisor did themselves (in person or by video), when they recorded one; it stands in for the codes.</summary>
    public AdvisorIdentityCheck? AdvisorCheck { get; set; }

    /// <summary>Optimistic concurrency token, incremented by every change.</summary>
    public int Version { get; set; }

    public List<Document> Documents { get; set; } = [];

    public void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}
