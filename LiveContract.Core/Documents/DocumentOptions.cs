namespace LiveContract.Core.Documents;

/// <summary>Limits and lifetimes for documents.</summary>
public sealed class DocumentOptions
{
    public const string Section = "Documents";

    /// <summary>Largest upload in bytes (default 50 MB), enforced while the file streams in.</summary>
    public long MaxUploadBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>Most pages a document may have.</summary>
    public int MaxPages { get; set; } = 500;

    /// <summary>What a person is told when a file is over <see cref="MaxUploadBytes"/>.</summary>
    public string TooLargeMessage => $"The file is larger than {MaxUploadBytes / (1024 * 1024)} MB, the most a document may have.";

    /// <summary>How long a signed link to a document's bytes stays valid.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
