using System.Security.Cryptography;
using LiveContract.Core.Documents.Storage;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Integration.Storage;

/// <summary>
/// What every <see cref="IDocumentStore"/> must do, run against each real store by a subclass:
/// raw blobs, keys, encrypted documents through <see cref="EncryptedDocumentStorage"/>, and
/// failures that leave nothing behind.
/// </summary>
public abstract class DocumentStoreTests : IAsyncLifetime
{
    private const string Pdf = "motor-insurance-claim-form.pdf";

    protected DocumentStoreTests()
    {
        Storage = new Lazy<EncryptedDocumentStorage>(() => CreateStorage(Store));
    }

    /// <summary>The data directory of this test: filesystem blobs and S3 staging files live here.</summary>
    protected TempDirectory Data { get; } = new();

    protected RecordingLogger Log { get; } = new();

    protected IDocumentStore Store { get; private set; } = default!;

    private Lazy<EncryptedDocumentStorage> Storage { get; }

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        Data.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string> InvalidKeys() =>
    [
        "", "..", "../outside", "a/b", "a\\b", "/etc/passwd", "Upper", "a.b", "a b", "a\nb", "é", "a%2fb", new string('a', DocumentKey.MaxLength + 1),
    ];

    [Fact]
    public async Task A_blob_is_written_read_and_deleted()
    {
        var content = RandomNumberGenerator.GetBytes(100_000);

        await Store.WriteAsync("blob-1", new MemoryStream(content));

        Assert.True(await Store.ExistsAsync("blob-1"));
        Assert.Equal(content, await ReadThroughStoreAsync("blob-1"));
        Assert.Equal(content, await ReadRawAsync("blob-1"));

        await Store.DeleteAsync("blob-1");

        Assert.False(await Store.ExistsAsync("blob-1"));
        Assert.Empty(await ListRawAsync());
    }

    [Fact]
    public async Task An_empty_blob_is_a_blob()
    {
        await Store.WriteAsync("empty", new MemoryStream());

        Assert.True(await Store.ExistsAsync("empty"));
        Assert.Empty(await ReadThroughStoreAsync("empty"));
    }

    [Fact]
    public async Task A_blob_is_written_from_the_streams_position()
    {
        await Store.WriteAsync("tail", new MemoryStream([1, 2, 3, 4, 5]) { Position = 2 });

        Assert.Equal([3, 4, 5], await ReadRawAsync("tail"));
    }

    [Fact]
    public async Task Writing_again_replaces_the_blob()
    {
        await Store.WriteAsync("blob", new MemoryStream([1, 2, 3]));
        await Store.WriteAsync("blob", new MemoryStream([9]));

        Assert.Equal([9], await ReadThroughStoreAsync("blob"));
        Assert.Equal(["blob"], await ListRawAsync());
    }

    [Fact]
    public async Task A_blob_written_by_a_callback_appears_only_when_complete()
    {
        await Store.WriteAsync("produced", async (stream, token) =>
        {
            await stream.WriteAsync(new byte[] { 1, 2 }, token);
            Assert.False(await Store.ExistsAsync("produced"));
            await stream.WriteAsync(new byte[] { 3 }, token);
        });

        Assert.Equal([1, 2, 3], await ReadRawAsync("produced"));
        Assert.Equal(["produced"], await ListRawAsync());
    }

    [Fact]
    public async Task A_missing_key_is_reported_as_not_found()
    {
        var error = await Assert.ThrowsAsync<DocumentNotFoundException>(() => Store.OpenReadAsync("no-such-document"));

        Assert.Equal("no-such-document", error.Key);
        Assert.False(await Store.ExistsAsync("no-such-document"));
    }

    [Fact]
    public async Task Deleting_a_missing_key_does_nothing()
    {
        await Store.DeleteAsync("no-such-document");
        await Store.DeleteAsync("no-such-document");

        Assert.Empty(await ListRawAsync());
    }

    [Fact]
    public async Task A_non_seekable_stream_is_refused()
    {
        await using var pipe = new System.IO.Pipes.AnonymousPipeServerStream();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync("blob", pipe));
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Invalid_keys_are_refused_by_every_operation(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(key, new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(key, (s, t) => s.WriteAsync(new byte[] { 1 }, t).AsTask()));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key));

        Assert.Empty(await ListRawAsync());
        Assert.Empty(FilesInDataDirectory());
    }

    [Fact]
    public async Task A_real_pdf_round_trips_and_is_stored_encrypted()
    {
        var pdf = FixturePdfs.Read(Pdf);

        var key = await Storage.Value.SaveAsync(new MemoryStream(pdf));

        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.True(await Storage.Value.ExistsAsync(key));
        var raw = await ReadRawAsync(key);
        Assert.False(raw.AsSpan().StartsWith("%PDF"u8));
        Assert.True(raw.AsSpan().IndexOf("%PDF"u8) < 0);
        Assert.True(raw.AsSpan().IndexOf("/Type"u8) < 0);
        Assert.True(raw.AsSpan().IndexOf(pdf.AsSpan(pdf.Length / 2, 32)) < 0);
        Assert.Equal(pdf.Length + DocumentCipher.HeaderSize + (((pdf.Length / DocumentCipher.DefaultChunkSize) + 1) * DocumentCipher.TagSize), raw.Length);

        using var copy = new MemoryStream();
        await Storage.Value.CopyToAsync(key, copy);
        Assert.Equal(pdf, copy.ToArray());

        await Storage.Value.DeleteAsync(key);
        Assert.False(await Storage.Value.ExistsAsync(key));
        Assert.Empty(await ListRawAsync());
    }

    [Fact]
    public async Task Every_save_gets_a_new_key_and_new_ciphertext()
    {
        var pdf = FixturePdfs.Read("single-page-google-drive.pdf");

        var first = await Storage.Value.SaveAsync(new MemoryStream(pdf));
        var second = await Storage.Value.SaveAsync(new MemoryStream(pdf));

        Assert.NotEqual(first, second);
        Assert.NotEqual(await ReadRawAsync(first), await ReadRawAsync(second));
        Assert.Equal(new[] { first, second }.Order(), (await ListRawAsync()).Order());
    }

    [Fact]
    public async Task Saves_and_reads_run_concurrently()
    {
        var documents = Enumerable.Range(0, 8).Select(i => RandomNumberGenerator.GetBytes(50_000 + (i * 30_000))).ToArray();

        var keys = await Task.WhenAll(documents.Select(d => Task.Run(() => Storage.Value.SaveAsync(new MemoryStream(d)))));
        var copies = await Task.WhenAll(keys.Select(async key =>
        {
            using var copy = new MemoryStream();
            await Storage.Value.CopyToAsync(key, copy);
            return copy.ToArray();
        }));

        Assert.Equal(documents, copies);
    }

    [Fact]
    public async Task A_tampered_blob_is_detected_and_logged()
    {
        var key = await Storage.Value.SaveAsync(new MemoryStream(RandomNumberGenerator.GetBytes(200_000)));
        var raw = await ReadRawAsync(key);
        raw[150_000] ^= 0x04;
        await Store.WriteAsync(key, new MemoryStream(raw));

        await Assert.ThrowsAsync<DocumentIntegrityException>(() => Storage.Value.CopyToAsync(key, Stream.Null));

        Assert.Contains(Log.Messages(LogLevel.Error), m => m.Contains(key, StringComparison.Ordinal) && m.Contains("integrity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_a_missing_document_is_reported_as_not_found()
    {
        await Assert.ThrowsAsync<DocumentNotFoundException>(() => Storage.Value.CopyToAsync(DocumentKey.New(), Stream.Null));
    }

    [Fact]
    public async Task A_source_failing_mid_document_leaves_no_blob_behind()
    {
        var source = new FailingStream(RandomNumberGenerator.GetBytes(1_000_000), failAfter: 300_000);

        var error = await Assert.ThrowsAsync<IOException>(() => Storage.Value.SaveAsync(source));

        Assert.Equal(FailingStream.Message, error.Message);
        Assert.Empty(await ListRawAsync());
        Assert.Empty(FilesInDataDirectory());
    }

    [Fact]
    public async Task A_cancelled_save_leaves_no_blob_behind()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new FailingStream(RandomNumberGenerator.GetBytes(1_000_000), failAfter: 300_000, cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Storage.Value.SaveAsync(source, cancellation.Token));

        Assert.Empty(await ListRawAsync());
        Assert.Empty(FilesInDataDirectory());
    }

    [Fact]
    public async Task A_store_that_cannot_write_fails_clearly_and_leaves_nothing()
    {
        var broken = CreateBrokenStore();
        try
        {
            var storage = CreateStorage(broken);

            var error = await Assert.ThrowsAsync<DocumentStoreException>(() => storage.SaveAsync(new MemoryStream(RandomNumberGenerator.GetBytes(300_000))));

            AssertClearWriteFailure(error);
            Assert.DoesNotContain("S3RVER", error.Message);
            Assert.Empty(FilesInDataDirectory());
            Assert.False(await broken.IsReachableAsync());
        }
        finally
        {
            (broken as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task The_health_check_reports_the_provider_and_whether_the_store_answers()
    {
        var healthy = await new DocumentStoreHealthCheck(Store, TimeProvider.System).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(Store.Provider.ToString(), healthy.Data["provider"]);
        Assert.Single(healthy.Data);

        var broken = CreateBrokenStore();
        try
        {
            var unhealthy = await new DocumentStoreHealthCheck(broken, TimeProvider.System).CheckHealthAsync(new HealthCheckContext());

            Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
            Assert.Equal(Store.Provider.ToString(), unhealthy.Data["provider"]);
            Assert.Null(unhealthy.Exception);
        }
        finally
        {
            (broken as IDisposable)?.Dispose();
        }
    }

    /// <summary>The store under test, working and empty.</summary>
    protected abstract Task<IDocumentStore> CreateStoreAsync();

    /// <summary>A store of the same kind whose writes fail (its target cannot be written or reached).</summary>
    protected abstract IDocumentStore CreateBrokenStore();

    /// <summary>The blob's bytes as they lie on disk or in the bucket, read without the store.</summary>
    protected abstract Task<byte[]> ReadRawAsync(string key);

    /// <summary>Everything in the store's folder or bucket, temporary files included, read without the store.</summary>
    protected abstract Task<IReadOnlyList<string>> ListRawAsync();

    /// <summary>Checks that the failure of <see cref="CreateBrokenStore"/>'s write says what went wrong where.</summary>
    protected abstract void AssertClearWriteFailure(DocumentStoreException error);

    /// <summary>Every file in the data directory: blobs of the filesystem store, staging files of the S3 store.</summary>
    private IReadOnlyList<string> FilesInDataDirectory() => [.. Directory.EnumerateFiles(Data.Path, "*", SearchOption.AllDirectories)];

    private EncryptedDocumentStorage CreateStorage(IDocumentStore store) =>
        new(store, new DocumentCipher(new MasterKey(Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))), new LoggerFactory([Log]).CreateLogger<EncryptedDocumentStorage>());

    private async Task<byte[]> ReadThroughStoreAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>A source that fails (or cancels) after handing out some of its bytes, as a dropped upload does.</summary>
    private sealed class FailingStream(byte[] content, int failAfter, CancellationTokenSource? cancel = null) : MemoryStream(content)
    {
        public const string Message = "The upload was interrupted.";

        public override int Read(Span<byte> buffer) => Check(base.Read(buffer));

        public override int Read(byte[] buffer, int offset, int count) => Check(base.Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        private int Check(int read)
        {
            if (Position < failAfter)
            {
                return read;
            }

            if (cancel is null)
            {
                throw new IOException(Message);
            }

            cancel.Cancel();
            cancel.Token.ThrowIfCancellationRequested();
            return read;
        }
    }
}
