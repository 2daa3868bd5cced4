namespace LiveContract.Core.Documents;

/// <summary>The one order a contract's documents are listed, viewed, signed and sealed in: as uploaded, then by name.</summary>
public static class DocumentOrder
{
    public static IEnumerable<Document> InContractOrder(this IEnumerable<Document> documents) =>
        documents.OrderBy(d => d.UploadedAt).ThenBy(d => d.FileName);

    /// <summary>The documents the advisor uploaded (not the sealed PDF), in contract order.</summary>
    public static List<Document> OriginalsInContractOrder(this IEnumerable<Document> documents) =>
        documents.Where(d => d.Kind == DocumentKind.Original).InContractOrder().ToList();
}
