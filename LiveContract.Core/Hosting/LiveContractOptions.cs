using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;

namespace LiveContract.Core.Hosting;

/// <summary>General settings of a LiveContract installation.</summary>
public sealed partial class LiveContractOptions
{
    public const string Section = "LiveContract";

    /// <summary>
    /// Where the embedded defaults keep their files (SQLite database, documents, outgoing mail).
    /// Relative paths are resolved against the application's content root.
    /// </summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>What <see cref="PublicUrl"/> is in Development when not set and no listening address is known: the launch profile's address.</summary>
    public static readonly Uri DevelopmentPublicUrl = new("http://localhost:5080/");

    /// <summary>
    /// The address people reach this installation at, e.g. <c>https://contracts.example.com</c>
    /// (an absolute http or https URL, optionally with a path). Every absolute link LiveContract
    /// emails or returns (password, session and download links, the API's addresses, the
    /// verification page printed in sealed PDFs) is built from it, never from a request's
    /// <c>Host</c>. Required outside Development; in Development it defaults to the first address the
    /// app listens on (<c>--urls</c>), else <see cref="DevelopmentPublicUrl"/>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// <see cref="PublicUrl"/> as a base address ending with <c>/</c>, or in Development when it is not set the first
    /// http(s) address of <paramref name="listenUrls"/> (the <c>urls</c> setting, e.g. <c>--urls http://localhost:6000</c>;
    /// a wildcard host is read as <c>localhost</c>), else <see cref="DevelopmentPublicUrl"/>. Throws
    /// <see cref="ConfigurationErrorException"/> when it is not set outside Development or is not an
    /// absolute http or https URL.
    /// </summary>
    public Uri PublicBaseAddress(IHostEnvironment environment, string? listenUrls = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return ResolvePublicUrl()
            ?? (environment.IsDevelopment()
                ? ListeningAddress(listenUrls) ?? DevelopmentPublicUrl
                : throw new ConfigurationErrorException(
                    $"{Section}:PublicUrl is required outside Development: set it to the absolute http or https URL people reach this installation at, such as https://contracts.example.com, because every link LiveContract emails is built from it."));
    }

    private static Uri? ListeningAddress(string? listenUrls)
    {
        foreach (var candidate in (listenUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var local = WildcardHost().Replace(candidate, "${scheme}://localhost", 1);
            if (Uri.TryCreate(local, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                return new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(\*|\+|0\.0\.0\.0|\[::\])(?=:|/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex WildcardHost();

    /// <summary>
    /// <see cref="PublicUrl"/> as a base address ending with <c>/</c>, or null when it is not set.
    /// Throws <see cref="ConfigurationErrorException"/> when it is set but is not an absolute http or
    /// https URL without query or fragment.
    /// </summary>
    public Uri? ResolvePublicUrl()
    {
        if (string.IsNullOrWhiteSpace(PublicUrl))
        {
            return null;
        }

        if (!Uri.TryCreate(PublicUrl.Trim(), UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || url.Query.Length > 0
            || url.Fragment.Length > 0
            || url.UserInfo.Length > 0)
        {
            throw new ConfigurationErrorException(
                $"{Section}:PublicUrl is '{PublicUrl}', which is not an address people can open. "
                + "Set it to the absolute http or https URL this installation is reached at, such as https://contracts.example.com.");
        }

        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}
