namespace LiveContract.Core.Hosting;

/// <summary>The resolved, absolute data directory of this installation.</summary>
public sealed class DataDirectory
{
    public DataDirectory(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    /// <summary>Resolves <paramref name="relativeOrAbsolute"/> against the data directory.</summary>
    public string Resolve(string relativeOrAbsolute) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativeOrAbsolute));

    /// <summary>Creates the directory if needed; a clear error when that is impossible.</summary>
    public void EnsureExists()
    {
        try
        {
            Directory.CreateDirectory(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationErrorException(
                $"The data directory '{Path}' cannot be created ({e.Message}). " +
                $"Set {LiveContractOptions.Section}:DataDirectory to a folder this process can write to.");
        }
    }
}
