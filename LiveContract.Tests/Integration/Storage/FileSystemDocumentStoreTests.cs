using LiveContract.Core.Documents.Storage;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveContract.Tests.Integration.Storage;

public sealed class FileSystemDocumentStoreTests : DocumentStoreTests
{
    private readonly TempDirectory elsewhere = new();

    private string Folder => Data.Combine("documents");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        elsewhere.Dispose();
    }

    [Fact]
    public async Task Blobs_are_private_files_named_by_their_keys()
    {
        await Store.WriteAsync("blob", new MemoryStream([1, 2, 3]));

        var file = Assert.Single(Directory.GetFiles(Folder));
        Assert.Equal(Path.Combine(Folder, "blob"), file);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Folder));
        }
    }

    [Fact]
    public async Task A_failed_rename_leaves_no_temporary_file()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "occupied"));

        var error = await Assert.ThrowsAsync<DocumentStoreException>(() => Store.WriteAsync("occupied", new MemoryStream([1, 2, 3])));

        Assert.StartsWith($"The filesystem document store could not write document 'occupied' in '{Folder}':", error.Message);
        Assert.Empty(Directory.GetFiles(Folder));
    }

    [Fact]
    public void Temporary_files_left_by_a_crash_are_removed_at_start()
    {
        Directory.CreateDirectory(Folder);
        var stale = Path.Combine(Folder, ".abc.123.tmp");
        var fresh = Path.Combine(Folder, ".def.456.tmp");
        var blob = Path.Combine(Folder, "abc");
        foreach (var file in new[] { stale, fresh, blob })
        {
            File.WriteAllBytes(file, [1]);
        }

        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(blob, DateTime.UtcNow.AddDays(-30));

        _ = new FileSystemDocumentStore(Folder, TimeProvider.System, NullLogger<FileSystemDocumentStore>.Instance);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(blob));
    }

    protected override Task<IDocumentStore> CreateStoreAsync() =>
        Task.FromResult<IDocumentStore>(new FileSystemDocumentStore(Folder, TimeProvider.System, NullLogger<FileSystemDocumentStore>.Instance));

    /// <summary>The store's folder is a file (tests run as root, so permissions would not stop them).</summary>
    protected override IDocumentStore CreateBrokenStore()
    {
        var blocked = elsewhere.Combine("blocked");
        File.WriteAllText(blocked, "a file where the folder should be");
        return new FileSystemDocumentStore(blocked, TimeProvider.System, NullLogger<FileSystemDocumentStore>.Instance);
    }

    protected override async Task<byte[]> ReadRawAsync(string key) => await File.ReadAllBytesAsync(Path.Combine(Folder, key));

    protected override Task<IReadOnlyList<string>> ListRawAsync() =>
        Task.FromResult<IReadOnlyList<string>>(Directory.Exists(Folder) ? [.. Directory.GetFiles(Folder).Select(Path.GetFileName).OfType<string>()] : []);

    protected override void AssertClearWriteFailure(DocumentStoreException error)
    {
        Assert.StartsWith($"The filesystem document store could not write document '", error.Message);
        Assert.Contains($"in '{elsewhere.Combine("blocked")}'", error.Message);
        Assert.Equal("a file where the folder should be", File.ReadAllText(elsewhere.Combine("blocked")));
    }
}
