using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Hosting;

/// <summary>
/// The address people reach this installation at (<see cref="LiveContractOptions.PublicUrl"/>):
/// every absolute link LiveContract emails or returns is built from it, never from a request.
/// </summary>
public interface IPublicUrl
{
    /// <summary>The base address, ending with <c>/</c>, e.g. <c>https://contracts.example.com/</c>.</summary>
    Uri BaseAddress { get; }

    /// <summary>An absolute address under <see cref="BaseAddress"/>, e.g. <c>Resolve("verify")</c>.</summary>
    Uri Resolve(string relativePath) => new(BaseAddress, relativePath.TrimStart('/'));
}

/// <summary>
/// The configured <see cref="LiveContractOptions.PublicUrl"/>, or in Development the address the app
/// listens on; see <see cref="LiveContractOptions.PublicBaseAddress"/>.
/// </summary>
public sealed class ConfiguredPublicUrl(IOptions<LiveContractOptions> options, IHostEnvironment environment, IConfiguration configuration) : IPublicUrl
{
    public Uri BaseAddress => options.Value.PublicBaseAddress(environment, configuration["urls"]);
}
