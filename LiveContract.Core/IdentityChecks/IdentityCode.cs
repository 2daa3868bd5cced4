namespace LiveContract.Core.IdentityChecks;

/// <summary>What a one-time code is asked for: to let a device join, or to sign.</summary>
public enum CodePurpose
{
    Join,
    Sign,
}

/// <summary>How a one-time code reaches the customer.</summary>
public enum CodeChannel
{
    Email,
    Sms,
}

/// <summary>
/// A one-time code sent to the customer of one link. Only an HMAC-SHA256 of the code under a
/// random salt of its own is kept. A code works until <see cref="ExpiresAt"/>, for
/// <see cref="IdentityCheckOptions.MaxAttempts"/> wrong tries, and once; a newer code of the same
/// purpose for the same link closes it.
/// </summary>
public sealed class IdentityCode
{
    public Guid Id { get; set; }

    public Guid ContractId { get; set; }

    public Guid LinkId { get; set; }

    public CodePurpose Purpose { get; set; }

    public CodeChannel Channel { get; set; }

    /// <summary>Where the code went, masked (<c>c***@example.com</c>, <c>+44*******1234</c>).</summary>
    public string Destination { get; set; } = "";

    public byte[] Salt { get; set; } = [];

    public byte[] CodeHash { get; set; } = [];

    /// <summary>For a signing code: the join check of the device that asked for it, which alone may use it.</summary>
    public Guid? DeviceCheckId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Wrong tries so far; a concurrency token, so two tries at once both count.</summary>
    public int FailedAttempts { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }

    /// <summary>When the code stopped working without being accepted: used up by wrong tries, expired, or replaced.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
}
