using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LiveContract.Core;
using LiveContract.Core.Data;
using LiveContract.Core.Hosting;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace LiveContract.Tests.Integration.Sealing;

/// <summary>The organisation's sealing certificate: made once and shared through the database, or a configured PKCS#12 file checked at start-up.</summary>
public sealed class SealingCertificateTests
{
    private const string Password = "correct horse battery staple";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Two_servers_making_the_first_sealing_key_at_the_same_moment_end_up_with_the_same_one(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var first = installation.Start();
        await using var second = installation.Start();

        var certificates = await Task.WhenAll(
            Task.Run(() => first.Services.GetRequiredService<SealingCertificateStore>().GetAsync()),
            Task.Run(() => second.Services.GetRequiredService<SealingCertificateStore>().GetAsync()));

        Assert.Equal(certificates[0].Thumbprint, certificates[1].Thumbprint);
        Assert.True(certificates[0].Certificate.HasPrivateKey);
        Assert.Equal("CN=LiveContract document sealing, O=LiveContract", certificates[0].Certificate.Subject);
        Assert.NotNull(certificates[0].Certificate.GetECDsaPrivateKey());
        await using var db = first.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext();
        var key = await db.SigningKeys.AsNoTracking().SingleAsync();
        Assert.Equal(certificates[0].Thumbprint, key.Thumbprint.Trim());
        Assert.Equal(certificates[0].Certificate.RawData, key.Certificate);

        // A restarted server reads the same key back from the database.
        await using var third = installation.Start(new Dictionary<string, string?> { ["Sealing:Organisation"] = "Ignored once a key exists" });
        Assert.Equal(certificates[0].Thumbprint, (await third.Services.GetRequiredService<SealingCertificateStore>().GetAsync()).Thumbprint);
    }

    [Fact]
    public async Task A_configured_PKCS12_file_seals_at_the_configured_public_address_and_its_certificate_is_trusted_by_the_verifier()
    {
        using var files = new TempDirectory();
        var path = files.Combine("seal.p12");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Example Insurance document seal, O=Example Insurance", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
            await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pkcs12, Password));
        }

        await using var scenario = await SealingScenario.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Sealing:CertificatePath"] = path,
            ["Sealing:CertificatePassword"] = Password,
            ["LiveContract:PublicUrl"] = "https://contracts.example.com/lc",
        });
        var contract = await scenario.SignedAsync("single-page-google-drive.pdf");

        var sealedOutcome = await scenario.Sealing.SealAsync(contract.Id);

        Assert.True(sealedOutcome.Succeeded, sealedOutcome.Error?.Message);
        var pdf = await scenario.ReadStoredAsync((await scenario.SealedDocumentAsync(contract.Id))!.StorageKey);
        var report = await SealingTestTools.PdfSigAsync(pdf);
        Assert.Contains("Signer Certificate Common Name: Example Insurance document seal", report);
        Assert.Contains("Signature Validation: Signature is Valid.", report);
        Assert.Contains("https://contracts.example.com/lc/verify", await SealingTestTools.PdfToTextAsync(pdf, 2));
        var verification = await scenario.Verifier.VerifyAsync(pdf);
        Assert.Equal(SealVerdict.Sealed, verification.Verdict);
        Assert.Equal("CN=Example Insurance document seal, O=Example Insurance", verification.Contract!.CertificateSubject);
        await using var db = scenario.Database();
        Assert.False(await db.SigningKeys.AnyAsync(), "No key of its own is made when a certificate is configured.");
    }

    public static TheoryData<Dictionary<string, string?>, string> WrongSettings()
    {
        var data = new TheoryData<Dictionary<string, string?>, string>
        {
            {
                new() { ["LiveContract:PublicUrl"] = "contracts.example.com" },
                "LiveContract:PublicUrl is 'contracts.example.com', which is not an address people can open. Set it to the absolute http or https URL"
            },
            {
                new() { ["LiveContract:PublicUrl"] = "ftp://contracts.example.com" },
                "LiveContract:PublicUrl is 'ftp://contracts.example.com', which is not an address people can open."
            },
            {
                new() { ["Sealing:CertificatePath"] = "/nowhere/seal.p12" },
                "Sealing:CertificatePath is '/nowhere/seal.p12', but there is no file at '/nowhere/seal.p12'."
            },
            {
                new() { ["Sealing:CertificatePassword"] = Password },
                "Sealing:CertificatePassword is set but Sealing:CertificatePath is not."
            },
            {
                new() { ["Sealing:Organisation"] = new string('x', 65) },
                $"Sealing:Organisation is '{new string('x', 65)}'; set it to your organisation's name, 1 to 64 characters"
            },
            {
                new() { ["Sealing:FontPath"] = "/nowhere/font.ttf" },
                "Sealing:FontPath is '/nowhere/font.ttf', but that font cannot be read"
            },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(WrongSettings))]
    public async Task A_wrong_sealing_setting_stops_start_up_with_a_sentence_saying_what_to_fix(Dictionary<string, string?> settings, string expected)
    {
        using var data = new TempDirectory();

        var error = await Assert.ThrowsAsync<ConfigurationErrorException>(() => ValidateAsync(data, settings));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public async Task A_PKCS12_file_with_a_wrong_password_without_a_key_or_expired_is_refused_at_start_up_without_showing_the_password()
    {
        using var data = new TempDirectory();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Seal", ecdsa, HashAlgorithmName.SHA256);
        using var current = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var expired = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));
        File.WriteAllBytes(data.Combine("current.p12"), current.Export(X509ContentType.Pkcs12, Password));
        File.WriteAllBytes(data.Combine("public-only.p12"), X509CertificateLoader.LoadCertificate(current.RawData).Export(X509ContentType.Pkcs12, Password));
        File.WriteAllBytes(data.Combine("expired.p12"), expired.Export(X509ContentType.Pkcs12, Password));

        var wrongPassword = await Assert.ThrowsAsync<ConfigurationErrorException>(() => ValidateAsync(data, new() { ["Sealing:CertificatePath"] = "current.p12", ["Sealing:CertificatePassword"] = "not the password" }));
        var noKey = await Assert.ThrowsAsync<ConfigurationErrorException>(() => ValidateAsync(data, new() { ["Sealing:CertificatePath"] = "public-only.p12", ["Sealing:CertificatePassword"] = Password }));
        var outdated = await Assert.ThrowsAsync<ConfigurationErrorException>(() => ValidateAsync(data, new() { ["Sealing:CertificatePath"] = "expired.p12", ["Sealing:CertificatePassword"] = Password }));
        await ValidateAsync(data, new() { ["Sealing:CertificatePath"] = "current.p12", ["Sealing:CertificatePassword"] = Password });

        Assert.Equal(
            $"The PKCS#12 file '{data.Combine("current.p12")}' (Sealing:CertificatePath) cannot be opened: it is not a PKCS#12 file, or Sealing:CertificatePassword is not its password.",
            wrongPassword.Message);
        Assert.StartsWith($"The PKCS#12 file '{data.Combine("public-only.p12")}' (Sealing:CertificatePath) holds no private key", noKey.Message);
        Assert.Contains("is valid from", outdated.Message);
        Assert.Contains("not now. Configure a current certificate.", outdated.Message);
        Assert.All(new[] { wrongPassword, noKey, outdated }, e => Assert.DoesNotContain(Password, e.Message));
    }

    /// <summary>Resolves every setting as start-up does, with <paramref name="settings"/> on top of an installation in <paramref name="data"/>.</summary>
    private static async Task ValidateAsync(TempDirectory data, Dictionary<string, string?> settings)
    {
        settings["LiveContract:DataDirectory"] = data.Path;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IHostEnvironment>(new Environment(data.Path));
        services.AddLiveContractCore();
        await using var provider = services.BuildServiceProvider();
        provider.ValidateLiveContractConfiguration();
    }

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";
        public string ApplicationName { get; set; } = "LiveContract.Tests";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
