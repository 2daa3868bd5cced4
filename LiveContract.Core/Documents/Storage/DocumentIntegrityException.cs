namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// A stored document failed authentication while being decrypted: it was changed, cut short,
/// extended or reordered, or it was encrypted with another master key. Nothing read from it after
/// the last verified chunk may be trusted.
/// </summary>
public sealed class DocumentIntegrityException(string message, Exception? innerException = null) : Exception(message, innerException);
