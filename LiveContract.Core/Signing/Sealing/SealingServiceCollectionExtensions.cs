using LiveContract.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Signing.Sealing;

public static class SealingServiceCollectionExtensions
{
    /// <summary>
    /// Registers sealing and verification: <see cref="SealingOptions"/> (section <c>Sealing</c>),
    /// the <see cref="SealingCertificateStore"/>, the certificate of completion's fonts,
    /// <see cref="SealingService"/>, <see cref="SealVerifier"/>, and <see cref="SealingWorker"/> as
    /// both the hosted service and <see cref="ISealRequests"/>. Needs the database, the document
    /// storage, the data directory and <see cref="IPublicUrl"/>.
    /// </summary>
    public static IServiceCollection AddLiveContractSealing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SealingOptions>().BindConfiguration(SealingOptions.Section);
        services.AddSingleton<SealingCertificateStore>();
        services.AddSingleton(sp => CertificateFonts.Load(sp.GetRequiredService<IOptions<SealingOptions>>().Value));
        services.AddSingleton<SealingService>();
        services.AddSingleton<SealVerifier>();
        services.AddSingleton<SealingWorker>();
        services.AddSingleton<ISealRequests>(sp => sp.GetRequiredService<SealingWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<SealingWorker>());
        return services;
    }

    /// <summary>
    /// Checks the sealing settings at start-up: the public URL, the organisation name, the
    /// configured PKCS#12 file (opened with its password) and the font. Throws
    /// <see cref="ConfigurationErrorException"/> with a sentence saying what to fix.
    /// </summary>
    public static void ValidateLiveContractSealing(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IPublicUrl>().BaseAddress;
        services.GetRequiredService<SealingCertificateStore>().Validate();
        services.GetRequiredService<CertificateFonts>();
    }
}
