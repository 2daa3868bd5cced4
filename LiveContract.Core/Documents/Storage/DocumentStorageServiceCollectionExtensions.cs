using LiveContract.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Documents.Storage;

public static class DocumentStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers encrypted document storage: <see cref="StorageOptions"/> (section <c>Storage</c>),
    /// the <see cref="MasterKey"/>, the <see cref="IDocumentStore"/> the settings name, the
    /// <see cref="DocumentCipher"/>, <see cref="EncryptedDocumentStorage"/> and the
    /// <c>documentStore</c> health check. Settings are read when the services are first resolved;
    /// resolving <see cref="EncryptedDocumentStorage"/> checks them all and throws
    /// <see cref="ConfigurationErrorException"/> on the first wrong one. Needs the
    /// <see cref="DataDirectory"/> and <see cref="IHostEnvironment"/> services.
    /// </summary>
    public static IServiceCollection AddLiveContractDocumentStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);

        services.AddSingleton(sp => MasterKey.Resolve(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<DataDirectory>(),
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<ILogger<MasterKey>>()));

        services.AddSingleton<IDocumentStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var dataDirectory = sp.GetRequiredService<DataDirectory>();
            var time = sp.GetRequiredService<TimeProvider>();
            return options.Validate(dataDirectory) == StorageProvider.S3
                ? new S3DocumentStore(options.S3, dataDirectory.Resolve("tmp"), time, sp.GetRequiredService<ILogger<S3DocumentStore>>())
                : new FileSystemDocumentStore(options.ResolveDirectory(dataDirectory), time, sp.GetRequiredService<ILogger<FileSystemDocumentStore>>());
        });

        services.AddSingleton(sp => new DocumentCipher(sp.GetRequiredService<MasterKey>()));
        services.AddSingleton<EncryptedDocumentStorage>();
        services.AddHealthChecks().AddCheck<DocumentStoreHealthCheck>("documentStore");
        return services;
    }
}
