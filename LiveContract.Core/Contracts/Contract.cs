using LiveContract.Core.Accounts;
using LiveContract.Core.Documents;

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

    /// <summary>Whether the advisor countersigns; the customer always signs.</summary>
    public bool AdvisorMustSign { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ReviewStartedAt { get; set; }

    public DateTimeOffset? SignedAt { get; set; }

    /// <summary>Optimistic concurrency token, incremented by every change.</summary>
    public int Version { get; set; }

    public List<Document> Documents { get; set; } = [];

    public void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}
