using LiveContract.Core.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveContract.Core.Documents.Storage;

namespace LiveContract.Tests.Unit.Storage;

public sealed class DocumentCipherTests
{
    private const int Chunk = DocumentCipher.DefaultChunkSize;
    private const int Header = DocumentCipher.HeaderSize;
    private const int SealedChunk = Chunk + DocumentCipher.TagSize;

    private readonly DocumentCipher cipher = new(MasterKey.Generate());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    [InlineData((5 * 1024 * 1024) + 12345)]
    public async Task Every_size_round_trips(int size)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);

        var ciphertext = await EncryptAsync(plaintext);

        var chunks = Math.Max(1, (size + Chunk - 1) / Chunk);
        Assert.Equal(Header + size + (chunks * DocumentCipher.TagSize), ciphertext.Length);
        Assert.Equal(plaintext, await DecryptAsync(ciphertext));
    }

    [Fact]
    public async Task With_tiny_chunks_every_length_round_trips_and_every_moved_chunk_is_detected()
    {
        const int tiny = 5;
        var small = new DocumentCipher(MasterKey.Generate(), tiny);
        for (var size = 0; size <= 4 * tiny; size++)
        {
            var plaintext = RandomNumberGenerator.GetBytes(size);
            using var sealedStream = new MemoryStream();
            await small.EncryptAsync(new MemoryStream(plaintext), sealedStream);

            Assert.Equal(plaintext, await DecryptAsync(sealedStream.ToArray(), small));
        }

        using var ciphertext = new MemoryStream();
        await small.EncryptAsync(new MemoryStream(RandomNumberGenerator.GetBytes(6 * tiny)), ciphertext);
        var original = ciphertext.ToArray();
        const int sealedTiny = tiny + DocumentCipher.TagSize;
        for (var from = 0; from < 6; from++)
        {
            for (var to = 0; to < 6; to++)
            {
                if (from == to)
                {
                    continue;
                }

                var moved = (byte[])original.Clone();
                original.AsSpan(Header + (from * sealedTiny), sealedTiny).CopyTo(moved.AsSpan(Header + (to * sealedTiny)));
                await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(moved, small));
            }
        }
    }

    [Fact]
    public async Task Streams_of_unknown_length_round_trip_without_seeking()
    {
        var plaintext = RandomNumberGenerator.GetBytes((3 * Chunk) + 777);
        using var ciphertext = new MemoryStream();

        await cipher.EncryptAsync(new TrickleStream(plaintext), ciphertext);
        using var decrypted = new MemoryStream();
        await cipher.DecryptAsync(new TrickleStream(ciphertext.ToArray()), decrypted);

        Assert.Equal(plaintext, decrypted.ToArray());
    }

    [Theory]
    [InlineData("magic", 0)]
    [InlineData("version", 4)]
    [InlineData("master key id", 7)]
    [InlineData("chunk size", 14)]
    [InlineData("nonce prefix", 20)]
    [InlineData("wrap nonce", 30)]
    [InlineData("wrapped key", 50)]
    [InlineData("wrap tag", 75)]
    [InlineData("first chunk", Header + 10)]
    [InlineData("first chunk's tag", Header + Chunk + 3)]
    [InlineData("middle chunk", Header + SealedChunk + 4000)]
    [InlineData("last chunk", Header + (2 * SealedChunk) + 1)]
    [InlineData("last chunk's tag", -1)]
    public async Task A_flipped_byte_is_detected(string where, int offset)
    {
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 100));
        var position = offset < 0 ? ciphertext.Length + offset : offset;

        ciphertext[position] ^= 0x01;

        var error = await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(ciphertext));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), where);
    }

    [Fact]
    public async Task Every_byte_of_the_header_is_protected()
    {
        var original = await EncryptAsync(Encoding.UTF8.GetBytes("A short contract."));

        for (var position = 0; position < Header; position++)
        {
            var ciphertext = (byte[])original.Clone();
            ciphertext[position] ^= 0x80;
            await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(ciphertext));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(Header - 1)]
    [InlineData(Header)]
    [InlineData(Header + 15)]
    [InlineData(Header + 16)]
    [InlineData(Header + 5000)]
    [InlineData(Header + SealedChunk)]
    [InlineData(Header + SealedChunk + 1)]
    public async Task A_truncated_document_is_detected(int length)
    {
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 100));

        await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(ciphertext[..length]));
    }

    [Fact]
    public async Task A_document_cut_by_one_byte_is_detected()
    {
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes(1000));

        await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(ciphertext[..^1]));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(0)]
    public async Task A_removed_last_chunk_is_detected(int bytesInLastChunk)
    {
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + bytesInLastChunk));
        var lastChunk = bytesInLastChunk == 0 ? SealedChunk : bytesInLastChunk + DocumentCipher.TagSize;

        var error = await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(ciphertext[..^lastChunk]));
        Assert.Contains("the last one read", error.Message);
    }

    [Fact]
    public async Task Swapped_chunks_are_detected()
    {
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes((3 * Chunk) + 100));
        var first = ciphertext.AsSpan(Header, SealedChunk).ToArray();
        var second = ciphertext.AsSpan(Header + SealedChunk, SealedChunk).ToArray();

        second.CopyTo(ciphertext, Header);
        first.CopyTo(ciphertext, Header + SealedChunk);

        var error = await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(ciphertext));
        Assert.Contains("Chunk 0", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(DocumentCipher.TagSize)]
    [InlineData(SealedChunk)]
    public async Task Appended_bytes_are_detected(int appended)
    {
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes(Chunk + 100));

        await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync([.. ciphertext, .. RandomNumberGenerator.GetBytes(appended)]));
    }

    [Fact]
    public async Task A_repeated_last_chunk_is_detected()
    {
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk));
        var last = ciphertext[^SealedChunk..];

        await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync([.. ciphertext, .. last]));
    }

    [Fact]
    public async Task A_chunk_from_another_document_is_detected()
    {
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk));
        var other = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk));

        other.AsSpan(Header, SealedChunk).CopyTo(ciphertext.AsSpan(Header));

        await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(ciphertext));
    }

    [Fact]
    public async Task A_wrong_master_key_is_detected_and_named()
    {
        var ciphertext = await EncryptAsync(Encoding.UTF8.GetBytes("Signed by both parties."));
        var otherKey = MasterKey.Generate();

        var error = await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(ciphertext, new DocumentCipher(otherKey)));

        Assert.Contains($"the configured master key is {otherKey.Id}", error.Message);
    }

    [Fact]
    public async Task Something_that_is_not_an_encrypted_document_is_refused()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n" + new string('x', 500));

        var error = await Assert.ThrowsAsync<DocumentIntegrityException>(() => DecryptAsync(pdf));

        Assert.Contains("does not start with the header", error.Message);
    }

    [Fact]
    public async Task The_ciphertext_contains_no_run_of_the_plaintext()
    {
        var text = new StringBuilder();
        for (var line = 0; text.Length < 3 * Chunk; line++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Clause {line}: the customer agrees to the terms of this contract.\n");
        }

        var plaintext = Encoding.UTF8.GetBytes(text.ToString());
        var ciphertext = await EncryptAsync(plaintext);

        for (var start = 0; start + 16 <= plaintext.Length; start += 37)
        {
            Assert.True(ciphertext.AsSpan().IndexOf(plaintext.AsSpan(start, 16)) < 0, $"Plaintext bytes {start}..{start + 16} appear in the ciphertext.");
        }
    }

    [Fact]
    public async Task The_same_document_encrypts_differently_every_time()
    {
        var plaintext = Encoding.UTF8.GetBytes("The same contract, stored twice.");

        var first = await EncryptAsync(plaintext);
        var second = await EncryptAsync(plaintext);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first[Header..], second[Header..]);
    }

    private async Task<byte[]> EncryptAsync(byte[] plaintext)
    {
        using var ciphertext = new MemoryStream();
        await cipher.EncryptAsync(new MemoryStream(plaintext), ciphertext);
        return ciphertext.ToArray();
    }

    private async Task<byte[]> DecryptAsync(byte[] ciphertext, DocumentCipher? with = null)
    {
        using var plaintext = new MemoryStream();
        await (with ?? cipher).DecryptAsync(new MemoryStream(ciphertext), plaintext);
        return plaintext.ToArray();
    }

    /// <summary>A forward-only stream that hands out at most 1000 bytes per read, like a network stream.</summary>
    private sealed class TrickleStream(byte[] content) : ReadOnlyStream
    {
        private int position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1000), content.Length - position);
            content.AsSpan(position, n).CopyTo(buffer.AsSpan(offset));
            position += n;
            return n;
        }
    }
}
