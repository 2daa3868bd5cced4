namespace LiveContract.Core.Documents;

public enum DocumentKind
{
    /// <summary>Uploaded by the advisor.</summary>
    Original,

    /// <summary>Produced by LiveContract when the contract is signed.</summary>
    Sealed,
}

/// <summary>A PDF of a contract. Its bytes live encrypted in the document store.</summary>
public sealed class Document
{
    public Guid Id { get; set; }

    public Guid ContractId { get; set; }

    /// <summary>The uploaded file name, cleaned for display; never used as a path.</summary>
    public string FileName { get; set; } = "";

    public long Size { get; set; }

    public int PageCount { get; set; }

    /// <summary>SHA-256 of the PDF bytes, lower-case hex.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>The hash pinned when the contract entered Review; what is signed is what was reviewed.</summary>
    public string? PinnedSha256 { get; set; }

    public string StorageKey { get; set; } = "";

    public DocumentKind Kind { get; set; }

    public string UploadedById { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }
}
