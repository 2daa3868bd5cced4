namespace LiveContract.Core.Audit;

/// <summary>The names of the events on a contract's audit stream (<see cref="AuditEvent.Type"/>).</summary>
public static class AuditEventTypes
{
    public const string ContractCreated = "contract.created";
    public const string ContractUpdated = "contract.updated";
    public const string StatusChanged = "contract.status_changed";
    public const string DocumentUploaded = "document.uploaded";
    public const string DocumentRemoved = "document.removed";
    public const string SessionStarted = "session.started";
    public const string SessionEnded = "session.ended";
    public const string LinkSent = "session.link_sent";
    public const string LinkRevoked = "session.link_revoked";
    public const string LinkUsed = "session.link_used";
    public const string ParticipantJoined = "session.participant_joined";
    public const string ParticipantLeft = "session.participant_left";
    public const string PagesViewed = "session.pages_viewed";
    public const string SignatureRecorded = "signature.recorded";
    public const string ContractSigned = "contract.signed";
    public const string ContractSealed = "contract.sealed";
    public const string SealedDownloaded = "sealed.downloaded";
}
