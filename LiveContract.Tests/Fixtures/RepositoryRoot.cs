namespace LiveContract.Tests.Fixtures;

/// <summary>The clone the tests run from: the folder above the test binaries that holds <c>LiveContract.sln</c>.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "LiveContract.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("LiveContract.sln not found above the test binaries.");
    }
}
