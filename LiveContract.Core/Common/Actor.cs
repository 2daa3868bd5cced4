namespace LiveContract.Core.Common;

/// <summary>
/// Who is acting: an advisor sees their own contracts, an admin sees all. <see cref="IpAddress"/>
/// is where the request came from, recorded on the audit trail.
/// </summary>
public sealed record Actor(string UserId, bool IsAdmin)
{
    public string? IpAddress { get; init; }
}
