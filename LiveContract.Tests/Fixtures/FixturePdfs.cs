namespace LiveContract.Tests.Fixtures;

/// <summary>The real-world PDFs in <c>LiveContract.Tests/Fixtures/Pdfs</c> (PdfPig's test corpus, Apache-2.0; see the README there).</summary>
public static class FixturePdfs
{
    public static string Directory { get; } = Locate();

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    private static string Locate()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LiveContract.sln")))
            {
                var fixtures = Path.Combine(folder.FullName, "LiveContract.Tests", "Fixtures", "Pdfs");
                return System.IO.Directory.Exists(fixtures)
                    ? Path.GetFullPath(fixtures)
                    : throw new InvalidOperationException($"The fixture PDFs are not at {Path.GetFullPath(fixtures)}; they are part of the repository.");
            }
        }

        throw new InvalidOperationException("LiveContract.sln not found above the test binaries.");
    }
}
