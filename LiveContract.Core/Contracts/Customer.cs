namespace LiveContract.Core.Contracts;

/// <summary>A customer: no password; they reach their contract through a session link.</summary>
public sealed class Customer
{
    public Guid Id { get; set; }

    public string FullName { get; set; } = "";

    /// <summary>Stored lower-case and trimmed; unique.</summary>
    public string Email { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
