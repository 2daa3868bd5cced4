using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Documents.Storage;

/// <summary>The temporary files of the stores: created private, and swept when a crash left them behind.</summary>
internal static class TemporaryFiles
{
    /// <summary>Temporary files older than this belong to no write in progress.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="folder"/> when missing (mode 700 where supported).</summary>
    public static void EnsureFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }
    }

    /// <summary>Creates a new file that only this user can read (mode 600 where supported).</summary>
    public static FileStream CreateNew(string path, FileAccess access, FileOptions options = FileOptions.None)
    {
        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = access,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous | options,
        };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = OwnerOnlyFile;
        }

        return new FileStream(path, fileOptions);
    }

    /// <summary>Deletes files matching <paramref name="pattern"/> in <paramref name="folder"/> not written to for <see cref="StaleAfter"/>.</summary>
    public static void RemoveStale(string folder, string pattern, TimeProvider time, ILogger logger)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - StaleAfter;
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles(pattern))
            {
                if (file.LastWriteTimeUtc < cutoff)
                {
                    file.Delete();
                    logger.LogInformation("Removed {File}, left behind by an interrupted write", file.FullName);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not remove temporary files left in {Folder}: {Reason}", folder, e.Message);
        }
    }

    /// <summary>Deletes <paramref name="path"/> if it is there; a failure is only logged.</summary>
    public static void TryDelete(string path, ILogger logger)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not remove the temporary file {File}: {Reason}", path, e.Message);
        }
    }
}
