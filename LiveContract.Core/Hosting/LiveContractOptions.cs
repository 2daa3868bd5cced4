namespace LiveContract.Core.Hosting;

/// <summary>General settings of a LiveContract installation.</summary>
public sealed class LiveContractOptions
{
    public const string Section = "LiveContract";

    /// <summary>
    /// Where the embedded defaults keep their files (SQLite database, documents, outgoing mail).
    /// Relative paths are resolved against the application's content root.
    /// </summary>
    public string DataDirectory { get; set; } = "App_Data";
}
