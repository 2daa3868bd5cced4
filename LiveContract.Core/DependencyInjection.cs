using LiveContract.Core.Accounts;
using LiveContract.Core.Administration;
using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Email;
using LiveContract.Core.Fields;
using LiveContract.Core.Health;
using LiveContract.Core.Hosting;
using LiveContract.Core.IdentityChecks;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing;
using LiveContract.Core.Signing.Sealing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiveContract.Core;

public static class DependencyInjection
{
    /// <summary>
    /// Registers LiveContract's domain services: options, database, identity stores, data
    /// protection keys, email, contracts and documents, live sessions (their position kept in the
    /// database) and health checks. Settings are read when the services are first
    /// resolved; <see cref="ValidateLiveContractConfiguration"/> resolves them all at start-up, so a
    /// wrong setting stops the app with a sentence that says what to fix.
    /// </summary>
    public static IServiceCollection AddLiveContractCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LiveContractOptions>().BindConfiguration(LiveContractOptions.Section);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LiveContractOptions>>().Value;
            var environment = sp.GetRequiredService<IHostEnvironment>();
            var directory = new DataDirectory(Path.Combine(environment.ContentRootPath, options.DataDirectory));
            directory.EnsureExists();
            return directory;
        });
        services.AddSingleton<IPublicUrl, ConfiguredPublicUrl>();
        services.AddLocalization();

        services.AddLiveContractDatabase();
        services.AddLiveContractEmail();
        services.AddLiveContractAccounts();
        services.AddLiveContractDocuments();
        services.AddSingleton<ILiveSessionStateStore, EfLiveSessionStateStore>();
        services.AddSingleton<IFieldValueStore, EfFieldValueStore>();
        services.AddLiveContractLiveSessions();
        services.AddSingleton<LiveSessionAdministration>();
        services.AddSingleton<SystemOverviewService>();
        services.AddLiveContractSealing();
        services.AddLiveContractIdentityChecks();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<DataDirectoryHealthCheck>("dataDirectory")
            .AddCheck<LiveSessionsHealthCheck>("liveSessions");
        return services;
    }

    /// <summary>Resolves every setting once; throws <see cref="ConfigurationErrorException"/> on the first wrong one.</summary>
    public static void ValidateLiveContractConfiguration(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IPublicUrl>().BaseAddress;
        services.GetRequiredService<DataDirectory>();
        services.GetRequiredService<DatabaseConnection>();
        services.GetRequiredService<IOptions<EmailOptions>>().Value.Validate();
        services.GetRequiredService<EncryptedDocumentStorage>();
        services.GetRequiredService<ILiveSessionCoordinator>();
        services.ValidateLiveContractSealing();
        services.GetRequiredService<IOptions<SignedPdfLinkOptions>>().Value.Validate();
        services.GetRequiredService<IOptions<IdentityCheckOptions>>().Value.Validate();
        services.GetRequiredService<IOptions<SmsOptions>>().Value.Validate();
    }

    private static void AddLiveContractIdentityChecks(this IServiceCollection services)
    {
        services.AddOptions<IdentityCheckOptions>().BindConfiguration(IdentityCheckOptions.Section);
        services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.Section);
        services.AddHttpClient<ISmsSender, HttpSmsSender>();
        services.AddSingleton<AddressLimits>();
        services.AddSingleton<IdentityCheckService>();
    }

    private static void AddLiveContractDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Resolve(sp.GetRequiredService<DataDirectory>()));
        services.AddSingleton<DatabaseFailureLogging>();
        services.AddDbContext<SqliteLiveContractDbContext>(
            (sp, o) => DatabaseFailureLogging.Use(o.UseSqlite(sp.GetRequiredService<DatabaseConnection>().ConnectionString), sp.GetRequiredService<DatabaseFailureLogging>()),
            optionsLifetime: ServiceLifetime.Singleton);
        services.AddDbContext<PostgresLiveContractDbContext>(
            (sp, o) => DatabaseFailureLogging.Use(o.UseNpgsql(sp.GetRequiredService<DatabaseConnection>().ConnectionString), sp.GetRequiredService<DatabaseFailureLogging>()),
            optionsLifetime: ServiceLifetime.Singleton);
        services.AddSingleton<IDbContextFactory<LiveContractDbContext>, LiveContractDbContextFactory>();
        services.AddScoped<LiveContractDbContext>(sp => sp.GetRequiredService<DatabaseConnection>().Provider == DatabaseProvider.Postgres
            ? sp.GetRequiredService<PostgresLiveContractDbContext>()
            : sp.GetRequiredService<SqliteLiveContractDbContext>());

        services.AddDataProtection()
            .SetApplicationName("LiveContract")
            .PersistKeysToDbContext<LiveContractDbContext>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<MasterKey>((options, masterKey) => options.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey));
    }

    private static void AddLiveContractEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section);
        services.AddSingleton<IEmailSender>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmailOptions>>().Value;
            options.Validate();
            return options.Mode == EmailMode.Smtp
                ? ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp)
                : ActivatorUtilities.CreateInstance<PickupFolderEmailSender>(sp);
        });
    }

    private static void AddLiveContractDocuments(this IServiceCollection services)
    {
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.Section);
        services.AddLiveContractDocumentStorage();
        services.AddSingleton<ContractService>();
        services.AddSingleton<DocumentService>();
        services.AddSingleton<FieldService>();
        services.AddSingleton<LiveSessionService>();
        services.AddSingleton<LiveSessionNotifier>();
        services.AddSingleton<FieldValueService>();
        services.AddSingleton<PageViewTracker>();
        services.AddSingleton<PresenceRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceRecorder>());
        services.AddSingleton<AuditService>();
        services.AddSingleton<AccountAudit>();
        services.AddSingleton<SettingsAudit>();
        services.AddOptions<SignedPdfLinkOptions>().BindConfiguration(SignedPdfLinkOptions.Section);
        services.AddSingleton<SignedPdfLinks>();
        services.AddSingleton<SigningService>();
        services.AddSingleton<SealedDocuments>();
    }

    private static void AddLiveContractAccounts(this IServiceCollection services)
    {
        services.AddOptions<SetupOptions>().BindConfiguration(SetupOptions.Section);
        services.AddIdentityCore<ApplicationUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                // Lockout serves an administrator's lock and wrong authenticator codes (after a right
                // password); failed passwords lock nothing: the login form backs off instead (docs/security.md).
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);

                // Length over composition rules (NIST SP 800-63B).
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version2;
            })
            .AddRoles<IdentityRole>()
            .AddClaimsPrincipalFactory<LiveContractClaimsPrincipalFactory>()
            .AddEntityFrameworkStores<LiveContractDbContext>()
            .AddDefaultTokenProviders();
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = PasswordLinks.Lifetime);
        services.AddSingleton<FirstRunSetup>();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<UserDeactivation>();
        services.AddSingleton<ContractReassignment>();
        services.AddSingleton<ApiTokenService>();
    }
}
