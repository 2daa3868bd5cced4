using Microsoft.Extensions.Configuration.Json;

namespace LiveContract.Web.Extensions;

internal static class DevelopmentSettings
{
    private const string FileName = "appsettings.Development.json";

    /// <summary>
    /// The repository keeps <c>appsettings.Development.json</c> at its root, beside the solution,
    /// not in this project's folder. In Development this adds that file right after
    /// <c>appsettings.json</c>, so environment variables and command-line arguments still win.
    /// </summary>
    public static WebApplicationBuilder AddRepositoryDevelopmentSettings(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment() || File.Exists(Path.Combine(builder.Environment.ContentRootPath, FileName)))
        {
            return builder;
        }

        var file = FindInParents(builder.Environment.ContentRootPath);
        if (file is null)
        {
            return builder;
        }

        var sources = builder.Configuration.Sources;
        var position = sources.Select((source, index) => (source, index))
            .LastOrDefault(s => s.source is JsonConfigurationSource { Path: not null } json && json.Path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            .index;
        var settings = new ConfigurationBuilder().AddJsonFile(file, optional: false, reloadOnChange: false).Sources[0];
        sources.Insert(position + 1, settings);
        return builder;
    }

    private static string? FindInParents(string directory)
    {
        for (var current = new DirectoryInfo(directory).Parent; current is not null; current = current.Parent)
        {
            var candidate = Path.Combine(current.FullName, FileName);
            if (File.Exists(candidate) && current.EnumerateFiles("*.sln").Any())
            {
                return candidate;
            }
        }

        return null;
    }
}
