namespace LiveContract.Tests.Fixtures;

/// <summary>The real-world PDFs in <c>LiveContract.Tests/Fixtures/Pdfs</c> (PdfPig's test corpus, Apache-2.0; see the README there).</summary>
public static class FixturePdfs
{
    public static string Directory { get; } = Locate();

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    private static string Locate()
    {
        var fixtures = Path.Combine(RepositoryRoot.Path, "LiveContract.Tests", "Fixtures", "Pdfs");
        return System.IO.Directory.Exists(fixtures)
            ? fixtures
            : throw new InvalidOperationException($"The fixture PDFs are not at {fixtures}; they are part of the repository.");
    }
}
