using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LiveContract.Core.Audit;

/// <summary>
/// What an audit event says, in a sentence for people (the timeline on the contract page, the
/// certificate of completion). Reads the fields it knows from the event's data and ignores the
/// rest, so an event with less data than expected is still described.
/// </summary>
public static class AuditDescriptions
{
    public static string Describe(string type, string data)
    {
        ArgumentNullException.ThrowIfNull(type);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(data) ? "{}" : data);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            root = default;
        }

        var fields = new Fields(root);
        return type switch
        {
            AuditEventTypes.ContractCreated => fields.Text("customerName") is { } customer
                ? $"Contract created: “{fields.Text("title")}” for {customer}"
                : "Contract created",
            AuditEventTypes.ContractUpdated => ContractUpdated(fields),
            AuditEventTypes.StatusChanged => StatusChanged(fields),
            AuditEventTypes.DocumentUploaded => DocumentUploaded(fields),
            AuditEventTypes.DocumentRemoved => $"Document {fields.Text("fileName") ?? "(unnamed)"} removed",
            AuditEventTypes.SessionStarted => "Live session started",
            AuditEventTypes.SessionEnded => "Live session ended",
            AuditEventTypes.LinkSent => fields.Time("expiresAt") is { } expires
                ? string.Create(CultureInfo.InvariantCulture, $"Customer link sent, valid until {expires:yyyy-MM-dd HH:mm} UTC")
                : "Customer link sent",
            AuditEventTypes.LinkRevoked => fields.Flag("replaced") == true ? "Customer link replaced by a new one" : "Customer link revoked",
            AuditEventTypes.LinkUsed => "Customer link opened",
            AuditEventTypes.ParticipantJoined => "Joined the live session",
            AuditEventTypes.ParticipantLeft => "Left the live session",
            AuditEventTypes.PagesViewed => PagesViewed(fields),
            AuditEventTypes.SignatureRecorded => fields.Text("fullName") is { } name ? $"Signature recorded: {name}" : "Signature recorded",
            AuditEventTypes.ContractSigned => "Contract signed: every required signature is recorded",
            AuditEventTypes.ContractSealed => "Sealed PDF created",
            AuditEventTypes.SealedDownloaded => "Sealed PDF downloaded",
            AuditEventTypes.ContractReassigned => $"Contract reassigned from {fields.Text("fromAdvisorName") ?? "another advisor"} to {fields.Text("toAdvisorName") ?? "another advisor"}",
            _ => type,
        };
    }

    /// <summary>A duration as people read it: "less than a second", "42 s", "3 min 5 s", "1 h 2 min".</summary>
    public static string Duration(TimeSpan duration) => Math.Round(duration.TotalSeconds) switch
    {
        < 1 => "less than a second",
        < 60 and var s => string.Create(CultureInfo.InvariantCulture, $"{s:0} s"),
        < 3600 and var s => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(s / 60):0} min {s % 60:0} s"),
        var s => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(s / 3600):0} h {Math.Floor(s % 3600 / 60):0} min"),
    };

    private static string ContractUpdated(Fields fields)
    {
        var changes = new List<string>();
        if (fields.Child("title") is { } title)
        {
            changes.Add($"Title changed from “{title.Text("from")}” to “{title.Text("to")}”");
        }

        if (fields.Child("advisorMustSign") is { } countersign)
        {
            changes.Add(countersign.Flag("to") == true ? "Countersignature by the advisor turned on" : "Countersignature by the advisor turned off");
        }

        return changes.Count == 0 ? "Contract details changed" : string.Join("; ", changes);
    }

    private static string StatusChanged(Fields fields)
    {
        var sentence = $"Status changed from {fields.Text("from")} to {fields.Text("to")}";
        var pinned = fields.Items("pinnedDocuments").Count;
        return pinned switch
        {
            0 => sentence,
            1 => $"{sentence} (1 document pinned)",
            _ => $"{sentence} ({pinned} documents pinned)",
        };
    }

    private static string DocumentUploaded(Fields fields)
    {
        var details = new List<string>();
        if (fields.Number("pages") is { } pages)
        {
            details.Add(pages == 1 ? "1 page" : string.Create(CultureInfo.InvariantCulture, $"{pages:0} pages"));
        }

        if (fields.Number("size") is { } size)
        {
            details.Add(Size((long)size));
        }

        if (fields.Text("sha256") is { Length: > 16 } hash)
        {
            details.Add($"SHA-256 {hash[..16]}…");
        }

        var name = fields.Text("fileName") ?? "(unnamed)";
        return details.Count == 0 ? $"Document {name} uploaded" : $"Document {name} uploaded ({string.Join(", ", details)})";
    }

    private static string PagesViewed(Fields fields)
    {
        var pages = fields.Items("pages");
        if (pages.Count == 0)
        {
            return "The customer viewed no page";
        }

        var text = new StringBuilder("Pages viewed by the customer: ");
        string? lastDocument = null;
        foreach (var page in pages)
        {
            var document = page.Text("fileName") ?? page.Text("documentId") ?? "a document";
            text.Append(document == lastDocument ? ", " : lastDocument is null ? "" : "; ");
            if (document != lastDocument)
            {
                text.Append(document).Append(' ');
            }

            text.Append(CultureInfo.InvariantCulture, $"page {page.Number("page"):0} ({Duration(TimeSpan.FromSeconds(page.Number("seconds") ?? 0))})");
            lastDocument = document;
        }

        return text.Append(CultureInfo.InvariantCulture, $"; in all {Duration(TimeSpan.FromSeconds(fields.Number("totalSeconds") ?? 0))}").ToString();
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    /// <summary>Typed, forgiving reads of an event's JSON object: a missing or differently typed field is null.</summary>
    private readonly struct Fields(JsonElement element)
    {
        public string? Text(string name) => Get(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

        public double? Number(string name) => Get(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

        public bool? Flag(string name) => Get(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

        public DateTimeOffset? Time(string name) =>
            Get(name) is { ValueKind: JsonValueKind.String } value && value.TryGetDateTimeOffset(out var time) ? time.ToUniversalTime() : null;

        public Fields? Child(string name) => Get(name) is { ValueKind: JsonValueKind.Object } value ? new Fields(value) : null;

        public IReadOnlyList<Fields> Items(string name) =>
            Get(name) is { ValueKind: JsonValueKind.Array } value
                ? value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => new Fields(i)).ToList()
                : [];

        private JsonElement? Get(string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;
    }
}
