using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// Where the rest of LiveContract keeps document bytes: encrypted with <see cref="DocumentCipher"/>
/// on the way in, verified and decrypted on the way out, streaming both ways, in whichever
/// <see cref="IDocumentStore"/> the settings choose. A singleton; every method is safe to call
/// concurrently.
/// </summary>
public sealed class EncryptedDocumentStorage(IDocumentStore store, DocumentCipher cipher, ILogger<EncryptedDocumentStorage> logger)
{
    /// <summary>Which kind of store holds the ciphertext.</summary>
    public StorageProvider Provider => store.Provider;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> (read to its end) into the store and returns the new
    /// random key it is stored under. When anything fails, nothing is stored and the error comes out.
    /// </summary>
    public async Task<string> SaveAsync(Stream plaintext, CancellationToken cancellationToken = default)
    {
        var key = DocumentKey.New();
        await store.WriteAsync(key, (ciphertext, token) => cipher.EncryptAsync(plaintext, ciphertext, token), cancellationToken);
        return key;
    }

    /// <summary>
    /// Decrypts the document into <paramref name="destination"/>, one verified chunk at a time.
    /// Throws <see cref="DocumentNotFoundException"/> for an unknown key and
    /// <see cref="DocumentIntegrityException"/> when the stored bytes were tampered with; in that
    /// case discard what <paramref name="destination"/> received.
    /// </summary>
    public async Task CopyToAsync(string key, Stream destination, CancellationToken cancellationToken = default)
    {
        await using var ciphertext = await store.OpenReadAsync(key, cancellationToken);
        try
        {
            await cipher.DecryptAsync(ciphertext, destination, cancellationToken);
        }
        catch (DocumentIntegrityException e)
        {
            logger.LogError("Document {Key} in the {Provider} store failed its integrity check: {Reason}", key, store.Provider, e.Message);
            throw;
        }
    }

    /// <summary>Removes the document; nothing happens when there is none.</summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => store.DeleteAsync(key, cancellationToken);

    /// <summary>Whether a document is stored under <paramref name="key"/>.</summary>
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => store.ExistsAsync(key, cancellationToken);
}
