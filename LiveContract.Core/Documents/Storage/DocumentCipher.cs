using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// Encrypts documents at rest with AES-256-GCM in chunks, streaming both ways (three chunk-sized
/// buffers in memory, whatever the document's size). Each document gets a fresh random key, wrapped with AES-256-GCM by the
/// <see cref="MasterKey"/>. Layout (docs/storage.md has the full description):
/// <code>
/// header (84 bytes):  "LCDE" | version 1 | master key id (8) | chunk size (uint32 BE) | nonce prefix (7)
///                     | wrap nonce (12) | wrapped document key (32) | wrap tag (16)
/// chunk i:            ciphertext (chunk size bytes, the last chunk 0 to chunk size) | tag (16)
/// nonce of chunk i:   nonce prefix (7) | i (uint32 BE) | final (1 byte: 1 for the last chunk, else 0)
/// data of chunk i:    the whole header | i (uint32 BE) | final
/// </code>
/// The wrap authenticates the first 24 header bytes, and every chunk authenticates the whole
/// header, its index and whether it is the last, so a changed byte anywhere, reordered chunks, a
/// cut or an extension all fail with <see cref="DocumentIntegrityException"/>.
/// </summary>
public sealed class DocumentCipher
{
    /// <summary>Plaintext bytes per chunk written by this version.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    /// <summary>The largest chunk size a reader accepts (bounds the memory one read needs).</summary>
    public const int MaxChunkSize = 1024 * 1024;

    internal const int HeaderSize = 84;
    internal const int TagSize = 16;

    private const byte Version = 1;
    private const int KeySize = 32;
    private const int NoncePrefixSize = 7;
    private const int NonceSize = 12;
    private const int VersionOffset = 4;
    private const int KeyIdOffset = 5;
    private const int ChunkSizeOffset = KeyIdOffset + MasterKey.IdSize;
    private const int NoncePrefixOffset = ChunkSizeOffset + 4;
    private const int WrapNonceOffset = NoncePrefixOffset + NoncePrefixSize;
    private const int WrappedKeyOffset = WrapNonceOffset + NonceSize;
    private const int WrapTagOffset = WrappedKeyOffset + KeySize;

    private readonly MasterKey masterKey;
    private readonly int chunkSize;

    public DocumentCipher(MasterKey masterKey)
        : this(masterKey, DefaultChunkSize)
    {
    }

    internal DocumentCipher(MasterKey masterKey, int chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, MaxChunkSize);
        this.masterKey = masterKey;
        this.chunkSize = chunkSize;
    }

    private static ReadOnlySpan<byte> Magic => "LCDE"u8;

    /// <summary>Reads <paramref name="plaintext"/> to its end and writes its encryption to <paramref name="ciphertext"/>.</summary>
    public async Task EncryptAsync(Stream plaintext, Stream ciphertext, CancellationToken cancellationToken = default)
    {
        var header = new byte[HeaderSize];
        var documentKey = RandomNumberGenerator.GetBytes(KeySize);
        var current = new byte[chunkSize];
        var next = new byte[chunkSize];
        try
        {
            WriteHeader(header, documentKey);
            await ciphertext.WriteAsync(header, cancellationToken);

            using var aes = new AesGcm(documentKey, TagSize);
            var sealedChunk = new byte[chunkSize + TagSize];
            var currentLength = await plaintext.ReadAtLeastAsync(current, chunkSize, throwOnEndOfStream: false, cancellationToken);
            for (uint index = 0; ; index++)
            {
                var nextLength = currentLength == chunkSize
                    ? await plaintext.ReadAtLeastAsync(next, chunkSize, throwOnEndOfStream: false, cancellationToken)
                    : 0;
                var final = nextLength == 0;
                if (!final && index == uint.MaxValue)
                {
                    throw new InvalidOperationException("The document is too large to encrypt: it needs more than 2^32 chunks.");
                }

                SealChunk(aes, header, index, final, current.AsSpan(0, currentLength), sealedChunk.AsSpan(0, currentLength + TagSize));
                await ciphertext.WriteAsync(sealedChunk.AsMemory(0, currentLength + TagSize), cancellationToken);
                if (final)
                {
                    return;
                }

                (current, next) = (next, current);
                currentLength = nextLength;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(documentKey);
            CryptographicOperations.ZeroMemory(current);
            CryptographicOperations.ZeroMemory(next);
        }
    }

    /// <summary>
    /// Reads <paramref name="ciphertext"/> to its end and writes the plaintext to
    /// <paramref name="plaintext"/>, one verified chunk at a time. On a
    /// <see cref="DocumentIntegrityException"/> the chunks already written were authentic, but
    /// the document as a whole is not: discard what was written.
    /// </summary>
    public async Task DecryptAsync(Stream ciphertext, Stream plaintext, CancellationToken cancellationToken = default)
    {
        var header = new byte[HeaderSize];
        if (await ciphertext.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken) < HeaderSize)
        {
            throw new DocumentIntegrityException("The document is shorter than the header of an encrypted document.");
        }

        var documentKey = new byte[KeySize];
        byte[] opened = [];
        try
        {
            var storedChunkSize = OpenHeader(header, documentKey);
            using var aes = new AesGcm(documentKey, TagSize);
            var sealedSize = storedChunkSize + TagSize;
            var current = new byte[sealedSize];
            var next = new byte[sealedSize];
            opened = new byte[storedChunkSize];
            var currentLength = await ciphertext.ReadAtLeastAsync(current, sealedSize, throwOnEndOfStream: false, cancellationToken);
            for (uint index = 0; ; index++)
            {
                var nextLength = currentLength == sealedSize
                    ? await ciphertext.ReadAtLeastAsync(next, sealedSize, throwOnEndOfStream: false, cancellationToken)
                    : 0;
                var final = nextLength == 0;
                if (currentLength < TagSize)
                {
                    throw new DocumentIntegrityException($"The document ends inside chunk {index}: it was cut short.");
                }

                if (!final && index == uint.MaxValue)
                {
                    throw new DocumentIntegrityException("The document has more chunks than any encrypted document can have.");
                }

                var length = currentLength - TagSize;
                OpenChunk(aes, header, index, final, current.AsSpan(0, currentLength), opened.AsSpan(0, length));
                await plaintext.WriteAsync(opened.AsMemory(0, length), cancellationToken);
                if (final)
                {
                    return;
                }

                (current, next) = (next, current);
                currentLength = nextLength;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(documentKey);
            CryptographicOperations.ZeroMemory(opened);
        }
    }

    private void WriteHeader(Span<byte> header, ReadOnlySpan<byte> documentKey)
    {
        Magic.CopyTo(header);
        header[VersionOffset] = Version;
        masterKey.IdBytes.CopyTo(header[KeyIdOffset..]);
        BinaryPrimitives.WriteUInt32BigEndian(header[ChunkSizeOffset..], (uint)chunkSize);
        RandomNumberGenerator.Fill(header.Slice(NoncePrefixOffset, NoncePrefixSize));
        RandomNumberGenerator.Fill(header.Slice(WrapNonceOffset, NonceSize));
        using var wrap = new AesGcm(masterKey.Key, TagSize);
        wrap.Encrypt(
            header.Slice(WrapNonceOffset, NonceSize),
            documentKey,
            header.Slice(WrappedKeyOffset, KeySize),
            header.Slice(WrapTagOffset, TagSize),
            header[..WrapNonceOffset]);
    }

    /// <summary>Checks the header and unwraps the document key into <paramref name="documentKey"/>; returns the chunk size.</summary>
    private int OpenHeader(ReadOnlySpan<byte> header, Span<byte> documentKey)
    {
        if (!header[..Magic.Length].SequenceEqual(Magic))
        {
            throw new DocumentIntegrityException("The document does not start with the header of an encrypted document.");
        }

        if (header[VersionOffset] != Version)
        {
            throw new DocumentIntegrityException($"The document's format version is {header[VersionOffset]}; this version of LiveContract reads version {Version}.");
        }

        var keyId = header.Slice(KeyIdOffset, MasterKey.IdSize);
        if (!keyId.SequenceEqual(masterKey.IdBytes))
        {
            throw new DocumentIntegrityException(
                $"The document was encrypted with master key {Convert.ToHexStringLower(keyId)}, but the configured master key is {masterKey.Id}.");
        }

        try
        {
            using var wrap = new AesGcm(masterKey.Key, TagSize);
            wrap.Decrypt(
                header.Slice(WrapNonceOffset, NonceSize),
                header.Slice(WrappedKeyOffset, KeySize),
                header.Slice(WrapTagOffset, TagSize),
                documentKey,
                header[..WrapNonceOffset]);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new DocumentIntegrityException("The document's header or wrapped key was changed: it does not authenticate under the master key.", e);
        }

        var storedChunkSize = BinaryPrimitives.ReadUInt32BigEndian(header[ChunkSizeOffset..]);
        if (storedChunkSize is 0 or > MaxChunkSize)
        {
            throw new DocumentIntegrityException($"The document's chunk size {storedChunkSize} is outside 1 to {MaxChunkSize} bytes.");
        }

        return (int)storedChunkSize;
    }

    private static void SealChunk(AesGcm aes, ReadOnlySpan<byte> header, uint index, bool final, ReadOnlySpan<byte> chunk, Span<byte> sealedChunk)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        Span<byte> associatedData = stackalloc byte[HeaderSize + 5];
        ChunkParameters(header, index, final, nonce, associatedData);
        aes.Encrypt(nonce, chunk, sealedChunk[..^TagSize], sealedChunk[^TagSize..], associatedData);
    }

    private static void OpenChunk(AesGcm aes, ReadOnlySpan<byte> header, uint index, bool final, ReadOnlySpan<byte> sealedChunk, Span<byte> opened)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        Span<byte> associatedData = stackalloc byte[HeaderSize + 5];
        ChunkParameters(header, index, final, nonce, associatedData);
        try
        {
            aes.Decrypt(nonce, sealedChunk[..^TagSize], sealedChunk[^TagSize..], opened, associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new DocumentIntegrityException(
                final
                    ? $"Chunk {index}, the last one read, does not authenticate as the document's last chunk: the document was changed, cut short or reordered."
                    : $"Chunk {index} does not authenticate: the document was changed, extended or reordered.",
                e);
        }
    }

    private static void ChunkParameters(ReadOnlySpan<byte> header, uint index, bool final, Span<byte> nonce, Span<byte> associatedData)
    {
        var flag = final ? (byte)1 : (byte)0;
        header.Slice(NoncePrefixOffset, NoncePrefixSize).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NoncePrefixSize..], index);
        nonce[^1] = flag;

        header.CopyTo(associatedData);
        BinaryPrimitives.WriteUInt32BigEndian(associatedData[HeaderSize..], index);
        associatedData[^1] = flag;
    }
}
