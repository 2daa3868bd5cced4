using Microsoft.Extensions.Options;

namespace LiveContract.Core.Hosting;

/// <summary>
/// The address people reach this installation at: <see cref="LiveContractOptions.PublicUrl"/> when
/// set; otherwise the web host's own listening address.
/// </summary>
public interface IPublicUrl
{
    /// <summary>The base address, ending with <c>/</c>, e.g. <c>https://contracts.example.com/</c>.</summary>
    Uri BaseAddress { get; }

    /// <summary>An absolute address under <see cref="BaseAddress"/>, e.g. <c>Resolve("verify")</c>.</summary>
    Uri Resolve(string relativePath) => new(BaseAddress, relativePath.TrimStart('/'));
}

/// <summary>
/// The public address from <see cref="LiveContractOptions.PublicUrl"/> alone, for hosts that do not
/// listen for HTTP themselves; the web host replaces it with one that falls back to its listening
/// address.
/// </summary>
public sealed class ConfiguredPublicUrl(IOptions<LiveContractOptions> options) : IPublicUrl
{
    public Uri BaseAddress => options.Value.ResolvePublicUrl()
        ?? throw new InvalidOperationException(
            $"{LiveContractOptions.Section}:PublicUrl is not set and this host does not listen for HTTP, so LiveContract does not know its own address. Set {LiveContractOptions.Section}:PublicUrl.");
}
