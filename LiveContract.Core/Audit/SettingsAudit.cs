using System.Data;
using System.Globalization;
using System.Text.Json;
using LiveContract.Core.Administration;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Email;
using LiveContract.Core.Hosting;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing.Sealing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Audit;

/// <summary>
/// At start-up, compares the settings in force (nothing secret: no password, key or connection
/// string password) with those the last <see cref="AuditEventTypes.SettingsChanged"/> event
/// recorded, and appends one event listing each change when they differ (on the first start every
/// setting, from null). Several servers starting at once record a change once: each reads the last
/// record and appends in one repeatable-read transaction, so the one beaten to the sequence number
/// reads again, finds the change recorded and stops.
/// </summary>
public sealed class SettingsAudit(
    IDbContextFactory<LiveContractDbContext> databases,
    TimeProvider time,
    DataDirectory dataDirectory,
    DatabaseConnection database,
    IOptions<StorageOptions> storage,
    IOptions<EmailOptions> email,
    IOptions<LiveContractOptions> general,
    IOptions<DocumentOptions> documents,
    IOptions<SealingOptions> sealing,
    ILiveSessionCoordinator liveSessions,
    ILogger<SettingsAudit> logger) : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The settings in force, by name, as recorded (every value a string or null).</summary>
    public IReadOnlyDictionary<string, string?> Current()
    {
        var settings = new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["dataDirectory"] = dataDirectory.Path,
            ["database.provider"] = database.Provider.ToString(),
            ["database.location"] = SafeLocations.Database(database),
            ["publicUrl"] = general.Value.PublicUrl?.Trim() is { Length: > 0 } url ? url : null,
            ["documents.maxUploadBytes"] = documents.Value.MaxUploadBytes.ToString(CultureInfo.InvariantCulture),
            ["documents.maxPages"] = documents.Value.MaxPages.ToString(CultureInfo.InvariantCulture),
            ["liveSessions.backend"] = liveSessions.GetType().Name,
            ["sealing.organisation"] = sealing.Value.Organisation,
            ["sealing.certificate"] = string.IsNullOrWhiteSpace(sealing.Value.CertificatePath) ? "self-made" : sealing.Value.CertificatePath,
            ["email.mode"] = email.Value.Mode.ToString(),
            ["email.from"] = email.Value.From,
        };

        var store = storage.Value.ResolveProvider();
        settings["storage.provider"] = store.ToString();
        settings["storage.location"] = store == StorageProvider.S3
            ? $"bucket {storage.Value.S3.Bucket} at {(string.IsNullOrWhiteSpace(storage.Value.S3.ServiceUrl) ? "AWS " + storage.Value.S3.Region : SafeLocations.Endpoint(storage.Value.S3.ServiceUrl))}"
            : storage.Value.ResolveDirectory(dataDirectory);
        if (email.Value.Mode == EmailMode.Smtp)
        {
            settings["email.smtp"] = string.Create(CultureInfo.InvariantCulture, $"{email.Value.Smtp.Host}:{email.Value.Smtp.Port} ({email.Value.Smtp.Security})");
        }
        else
        {
            settings["email.pickupDirectory"] = dataDirectory.Resolve(email.Value.PickupDirectory);
        }

        return settings;
    }

    /// <summary>Records the settings when they differ from the last record; true when an event was written.</summary>
    public Task<bool> RecordAsync(CancellationToken cancellationToken = default)
    {
        var current = Current();
        return AuditWrites.RunOrThrowAsync(databases, async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var last = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Stream == AuditStreams.System && e.Type == AuditEventTypes.SettingsChanged)
                .OrderByDescending(e => e.Sequence)
                .Select(e => e.Data)
                .FirstOrDefaultAsync(cancellationToken);
            var recorded = Recorded(last);
            var changes = current.Keys.Union(recorded.Keys, StringComparer.Ordinal)
                .Where(key => current.GetValueOrDefault(key) != recorded.GetValueOrDefault(key))
                .Order(StringComparer.Ordinal)
                .ToDictionary(key => key, key => new SettingChange(recorded.GetValueOrDefault(key), current.GetValueOrDefault(key)), StringComparer.Ordinal);
            if (changes.Count == 0)
            {
                return false;
            }

            await AuditTrail.AppendAsync(db, AuditStreams.System, AuditEventTypes.SettingsChanged, AuditActor.System, new { changes, settings = current }, time.GetUtcNow(), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await RecordAsync(cancellationToken))
            {
                logger.LogInformation("The settings differ from those last recorded; the change is on the system audit stream");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record the settings on the system audit stream");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Dictionary<string, string?> Recorded(string? data)
    {
        if (data is null)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Recording>(data, Json)?.Settings ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>One setting's change, as <see cref="AuditEventTypes.SettingsChanged"/> records it.</summary>
    private sealed record SettingChange(string? From, string? To);

    private sealed record Recording(Dictionary<string, string?>? Settings);
}
