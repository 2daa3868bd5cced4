namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// A document store could not do what was asked (folder not writable, S3 unreachable or refusing).
/// The message names the store and the operation, never a credential.
/// </summary>
public class DocumentStoreException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>The store holds no document under the key asked for.</summary>
public sealed class DocumentNotFoundException(string key, Exception? innerException = null)
    : DocumentStoreException($"No document is stored under the key '{key}'.", innerException)
{
    public string Key { get; } = key;
}
