namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// A raw object store for the ciphertext of documents, addressed by <see cref="DocumentKey">keys</see>
/// of a-z, 0-9 and '-'. It never sees plaintext: <see cref="EncryptedDocumentStorage"/> encrypts
/// before writing and decrypts after reading. A blob appears whole or not at all: a failed write
/// leaves nothing under its key. Keys outside the allowed alphabet are refused with
/// <see cref="ArgumentException"/>; failures of the store itself are <see cref="DocumentStoreException"/>s.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Which kind of store this is (reported by the health check).</summary>
    StorageProvider Provider { get; }

    /// <summary>Stores the rest of <paramref name="content"/> (seekable, from its position to its end) under <paramref name="key"/>, replacing any blob there.</summary>
    Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores what <paramref name="writeContent"/> writes into the stream it is given, under
    /// <paramref name="key"/>. The blob appears only when the callback has completed; when it
    /// throws, its exception comes out unchanged and nothing is left behind.
    /// </summary>
    Task WriteAsync(string key, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken = default);

    /// <summary>Opens the blob for reading; throws <see cref="DocumentNotFoundException"/> when there is none.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes the blob; nothing happens when there is none.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Whether a blob is stored under <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>A cheap check that the store can be used now (folder writable, bucket answering); never throws for an unreachable store.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);
}
