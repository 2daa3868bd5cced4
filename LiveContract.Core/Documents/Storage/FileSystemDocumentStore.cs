using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// Keeps each blob as a file named after its key in one folder (by default <c>documents</c> in
/// the data directory). A blob is written under a temporary name (<c>.key.random.tmp</c>, which
/// no key can equal), flushed to disk and then renamed into place, so it appears whole or not at
/// all. Files and the folder are created readable by this user only where the OS supports modes.
/// </summary>
public sealed class FileSystemDocumentStore : IDocumentStore
{
    private const string TemporaryPattern = ".*.tmp";

    private readonly ILogger<FileSystemDocumentStore> logger;

    public FileSystemDocumentStore(string folder, TimeProvider time, ILogger<FileSystemDocumentStore> logger)
    {
        Folder = Path.GetFullPath(folder);
        this.logger = logger;
        TemporaryFiles.RemoveStale(Folder, TemporaryPattern, time, logger);
    }

    /// <summary>The absolute folder holding the blobs.</summary>
    public string Folder { get; }

    public StorageProvider Provider => StorageProvider.FileSystem;

    public Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        if (!content.CanSeek)
        {
            throw new ArgumentException("A document store writes from a seekable stream.", nameof(content));
        }

        return WriteAsync(key, content.CopyToAsync, cancellationToken);
    }

    public async Task WriteAsync(string key, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken = default)
    {
        var target = PathOf(key);
        var temporary = Path.Combine(Folder, $".{key}.{DocumentKey.New()}.tmp");
        FileStream file;
        try
        {
            TemporaryFiles.EnsureFolder(Folder);
            file = TemporaryFiles.CreateNew(temporary, FileAccess.Write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("write", key, e);
        }

        var stored = false;
        try
        {
            await using (file)
            {
                await writeContent(file, cancellationToken);
                try
                {
                    await file.FlushAsync(cancellationToken);
                    file.Flush(flushToDisk: true);
                }
                catch (IOException e)
                {
                    throw Failure("write", key, e);
                }
            }

            try
            {
                File.Move(temporary, target, overwrite: true);
                stored = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Failure("write", key, e);
            }
        }
        finally
        {
            if (!stored)
            {
                TemporaryFiles.TryDelete(temporary, logger);
            }
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream>(new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 81920, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DocumentNotFoundException(key, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("read", key, e);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // No folder, so no blob: deleting is done.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("delete", key, e);
        }

        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(key)));

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(Folder, $".probe-{DocumentKey.New()}.tmp");
        try
        {
            TemporaryFiles.EnsureFolder(Folder);
            await using (var file = TemporaryFiles.CreateNew(probe, FileAccess.Write))
            {
                await file.WriteAsync(new byte[] { 1 }, cancellationToken);
            }

            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string PathOf(string key)
    {
        DocumentKey.Validate(key);
        return Path.Combine(Folder, key);
    }

    private DocumentStoreException Failure(string operation, string key, Exception e) =>
        new($"The filesystem document store could not {operation} document '{key}' in '{Folder}': {e.Message}", e);
}
