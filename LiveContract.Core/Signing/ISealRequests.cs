namespace LiveContract.Core.Signing;

/// <summary>
/// Asks for a signed contract to be sealed soon, in the background. Sealing is idempotent and is
/// also retried at start-up for every signed contract without a sealed PDF, so a request lost in
/// a crash is made up for.
/// </summary>
public interface ISealRequests
{
    void Request(Guid contractId);
}
