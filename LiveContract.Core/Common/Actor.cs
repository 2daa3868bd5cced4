namespace LiveContract.Core.Common;

/// <summary>Who is acting: an advisor sees their own contracts, an admin sees all.</summary>
public sealed record Actor(string UserId, bool IsAdmin);
