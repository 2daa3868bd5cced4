using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Features.Verification;

/// <summary>
/// The public address of this installation: <see cref="LiveContractOptions.PublicUrl"/> when set,
/// otherwise the first address the web server listens on, with a wildcard host (<c>0.0.0.0</c>,
/// <c>[::]</c>, <c>+</c>, <c>*</c>) read as <c>localhost</c>. Behind a proxy or on a public name,
/// set <c>LiveContract:PublicUrl</c>: a listening address is only right on the machine itself.
/// </summary>
internal sealed class ServerPublicUrl(IOptions<LiveContractOptions> options, IServer server) : IPublicUrl
{
    public Uri BaseAddress => options.Value.ResolvePublicUrl() ?? FromServer();

    private Uri FromServer()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"{LiveContractOptions.Section}:PublicUrl is not set and the web server is not listening yet, so LiveContract does not know its own address.");
        var builder = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "localhost";
        }

        builder.Path = builder.Path.EndsWith('/') ? builder.Path : builder.Path + "/";
        return builder.Uri;
    }
}
