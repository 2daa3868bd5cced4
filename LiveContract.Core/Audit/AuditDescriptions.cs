using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveContract.Core.Fields;

namespace LiveContract.Core.Audit;

/// <summary>
/// What an audit event says, in a sentence for people (the timeline on the contract page, the
/// certificate of completion, the system stream on the Audit page). Reads the fields it knows from the event's data and ignores the
/// rest, so an event with less data than expected is still described.
/// </summary>
public static class AuditDescriptions
{
    private static string Purpose(Fields fields) => fields.Text("purpose") == "Sign" ? "for signing" : "for joining";

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
            AuditEventTypes.FieldAdded => $"{Field(fields)} added on {Place(fields)}",
            AuditEventTypes.FieldChanged => fields.Texts("changed") is { Count: > 0 } changed
                ? $"{Field(fields)} on {Place(fields)} changed: {string.Join(", ", changed)}"
                : $"{Field(fields)} on {Place(fields)} changed",
            AuditEventTypes.FieldRemoved => $"{Field(fields)} removed from {Place(fields)}",
            AuditEventTypes.SessionStarted => "Live session started",
            AuditEventTypes.SessionEnded => "Live session ended",
            AuditEventTypes.SessionCompleted => "Live session completed: the contract is signed",
            AuditEventTypes.LinkSent => fields.Time("expiresAt") is { } expires
                ? string.Create(CultureInfo.InvariantCulture, $"Customer link sent, valid until {expires:yyyy-MM-dd HH:mm} UTC")
                : "Customer link sent",
            AuditEventTypes.LinkRevoked => fields.Flag("replaced") == true ? "Customer link replaced by a new one" : "Customer link revoked",
            AuditEventTypes.LinkUsed => "Customer link opened",
            AuditEventTypes.ParticipantJoined => "Joined the live session",
            AuditEventTypes.ParticipantLeft => "Left the live session",
            AuditEventTypes.PagesViewed => PagesViewed(fields),
            AuditEventTypes.FieldValueSet => FieldValueSet(fields),
            AuditEventTypes.SignatureRecorded => fields.Text("fullName") is { } name ? $"Signature recorded: {name}" : "Signature recorded",
            AuditEventTypes.ContractSigned => "Contract signed: every required signature is recorded",
            AuditEventTypes.ContractSealed => "Sealed PDF created",
            AuditEventTypes.SealingRefused => fields.Text("reason") is { } refusal ? $"Sealing refused: {refusal}" : "Sealing refused",
            AuditEventTypes.SealedDownloaded => "Sealed PDF downloaded",
            AuditEventTypes.IdentityCodeSent => $"Identity code {Purpose(fields)} sent to {fields.Text("to") ?? "the customer"}",
            AuditEventTypes.IdentityCodeAccepted => $"Identity code {Purpose(fields)} accepted",
            AuditEventTypes.IdentityCodeRefused => fields.Number("triesLeft") is { } left
                ? string.Create(CultureInfo.InvariantCulture, $"Wrong identity code {Purpose(fields)} refused ({left} {(left == 1 ? "try" : "tries")} left)")
                : $"Wrong identity code {Purpose(fields)} refused",
            AuditEventTypes.IdentityCodeExpired => $"Expired identity code {Purpose(fields)} refused",
            AuditEventTypes.IdentityCodeExhausted => $"Identity code {Purpose(fields)} stopped working after too many wrong tries",
            AuditEventTypes.IdentityCheckWaived => fields.Flag("off") == false ? "Identity check turned on again" : "Identity check turned off by the advisor",
            AuditEventTypes.IdentityCheckRecorded => $"Identity checked {(fields.Text("method") == "Video" ? "by video" : "in person")} by the advisor ({fields.Text("documentType") ?? "document"} …{fields.Text("documentEnding")})",
            AuditEventTypes.IdentityPhoneSet => fields.Text("phone") is { } phone ? $"Customer's phone for identity codes set to {phone}" : "Customer's phone for identity codes removed",
            AuditEventTypes.ContractReassigned => $"Contract reassigned from {fields.Text("fromAdvisorName") ?? "its advisor"} to {fields.Text("toAdvisorName") ?? "another advisor"}",
            AuditEventTypes.UserSignedIn => $"{Account(fields)} signed in",
            AuditEventTypes.UserSignInFailed => fields.Text("reason") is { } reason
                ? $"Sign-in refused for {Account(fields)}: {reason}"
                : $"Sign-in refused for {Account(fields)}",
            AuditEventTypes.UserLockedOut => fields.Time("until") is { } until
                ? string.Create(CultureInfo.InvariantCulture, $"{Account(fields)} locked out after too many failed sign-ins, until {until:yyyy-MM-dd HH:mm} UTC")
                : $"{Account(fields)} locked out after too many failed sign-ins",
            AuditEventTypes.UserCreated => UserCreated(fields),
            AuditEventTypes.UserLocked => $"Account of {Account(fields)} locked",
            AuditEventTypes.UserUnlocked => $"Account of {Account(fields)} unlocked",
            AuditEventTypes.UserPasswordSet => $"Password of {Account(fields)} set by an administrator",
            AuditEventTypes.UserPasswordLinkSent => $"Password link emailed to {Account(fields)}",
            AuditEventTypes.UserPasswordChanged => fields.Text("how") == AccountAudit.EmailedLink
                ? $"{Account(fields)} chose a new password through an emailed link"
                : $"{Account(fields)} changed their password",
            AuditEventTypes.UserRolesChanged => $"Roles of {Account(fields)} changed from {RoleList(fields, "from")} to {RoleList(fields, "to")}",
            AuditEventTypes.UserDeactivated => UserDeactivated(fields),
            AuditEventTypes.UserReactivated => $"Account of {Account(fields)} reactivated",
            AuditEventTypes.TokenCreated => $"API token {Token(fields)} created",
            AuditEventTypes.TokenRevoked => $"API token {Token(fields)} revoked",
            AuditEventTypes.SettingsChanged => SettingsChanged(fields),
            AuditEventTypes.ChainsVerified => ChainsVerified(fields),
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

    private static string FieldValueSet(Fields fields)
    {
        var label = fields.Text("label") is { Length: > 0 } text ? $"“{text}”" : "(unnamed)";
        return fields.Text("value") is { Length: > 0 } value
            ? $"Field {label} set to “{(value.Length > 80 ? value[..80] + "…" : value)}”"
            : $"Field {label} cleared";
    }

    private static string Account(Fields fields) => fields.Text("email") is { Length: > 0 } email ? email : "an account";

    private static string UserCreated(Fields fields)
    {
        var name = fields.Text("displayName");
        var who = name is null ? Account(fields) : $"{name} ({Account(fields)})";
        return fields.Text("role") is { } role ? $"Account created for {who} as {role}" : $"Account created for {who}";
    }

    private static string RoleList(Fields fields, string name) =>
        fields.Texts(name) is { Count: > 0 } roles ? string.Join(", ", roles) : "none";

    private static string UserDeactivated(Fields fields)
    {
        var details = new List<string>();
        if (fields.Number("contractsReassigned") is { } contracts)
        {
            var to = fields.Text("reassignedToName") is { } name ? $" to {name}" : "";
            details.Add(string.Create(CultureInfo.InvariantCulture, $"{contracts:0} {(contracts == 1 ? "contract" : "contracts")} reassigned{to}"));
        }

        if (fields.Number("sessionsEnded") is { } sessions)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"{sessions:0} live {(sessions == 1 ? "session" : "sessions")} ended"));
        }

        if (fields.Number("tokensRevoked") is { } tokens and > 0)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"{tokens:0} API {(tokens == 1 ? "token" : "tokens")} revoked"));
        }

        var sentence = $"Account of {Account(fields)} deactivated";
        return details.Count == 0 ? sentence : $"{sentence} ({string.Join(", ", details)})";
    }

    private static string Token(Fields fields)
    {
        var name = fields.Text("name") is { } text ? $"“{text}”" : "(unnamed)";
        return fields.Text("prefix") is { } prefix ? $"{name} ({prefix}…)" : name;
    }

    private static string SettingsChanged(Fields fields)
    {
        var changes = fields.Child("changes") is { } child ? child.Properties() : [];
        if (changes.Count == 0)
        {
            return "Settings changed";
        }

        var first = changes.All(c => c.Value.Text("from") is null);
        var parts = changes.Select(c => first
            ? $"{c.Name} = {c.Value.Text("to") ?? "(none)"}"
            : $"{c.Name} from {c.Value.Text("from") ?? "(none)"} to {c.Value.Text("to") ?? "(none)"}");
        return (first ? "Settings recorded: " : "Settings changed: ") + string.Join("; ", parts);
    }

    private static string ChainsVerified(Fields fields)
    {
        var streams = fields.Number("streams") ?? 0;
        var events = fields.Number("events") ?? 0;
        var broken = fields.Number("broken") ?? 0;
        var counted = string.Create(CultureInfo.InvariantCulture, $"Every audit chain verified: {streams:0} {(streams == 1 ? "stream" : "streams")}, {events:0} {(events == 1 ? "event" : "events")}");
        return broken == 0
            ? $"{counted}, all intact"
            : string.Create(CultureInfo.InvariantCulture, $"{counted}, {broken:0} broken: {string.Join(", ", fields.Texts("brokenStreams"))}");
    }

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

        switch (fields.Number("formFields"))
        {
            case 1:
                details.Add("1 form field found");
                break;
            case > 1 and var found:
                details.Add(string.Create(CultureInfo.InvariantCulture, $"{found:0} form fields found"));
                break;
        }

        var name = fields.Text("fileName") ?? "(unnamed)";
        return details.Count == 0 ? $"Document {name} uploaded" : $"Document {name} uploaded ({string.Join(", ", details)})";
    }

    /// <summary>"Field “Full name” (text, for the customer, required)".</summary>
    private static string Field(Fields fields)
    {
        var details = new List<string>();
        if (Enum.TryParse<FieldKind>(fields.Text("kind"), out var kind))
        {
            details.Add(FieldDefinitionRules.KindName(kind));
        }

        if (fields.Text("party") is { } party)
        {
            details.Add($"for the {party.ToLowerInvariant()}");
        }

        if (fields.Flag("required") is { } required)
        {
            details.Add(required ? "required" : "optional");
        }

        var label = fields.Text("label") is { } text ? $"Field “{text}”" : "A field";
        return details.Count == 0 ? label : $"{label} ({string.Join(", ", details)})";
    }

    /// <summary>"page 2 of contract.pdf".</summary>
    private static string Place(Fields fields)
    {
        var page = fields.Number("page") is { } number ? string.Create(CultureInfo.InvariantCulture, $"page {number:0}") : "a page";
        return fields.Text("fileName") is { } name ? $"{page} of {name}" : page;
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

        public IReadOnlyList<string> Texts(string name) =>
            Get(name) is { ValueKind: JsonValueKind.Array } value
                ? value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList()
                : [];

        public IReadOnlyList<(string Name, Fields Value)> Properties() =>
            element.ValueKind == JsonValueKind.Object
                ? element.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object).Select(p => (p.Name, new Fields(p.Value))).ToList()
                : [];

        public Fields? Child(string name) => Get(name) is { ValueKind: JsonValueKind.Object } value ? new Fields(value) : null;

        public IReadOnlyList<Fields> Items(string name) =>
            Get(name) is { ValueKind: JsonValueKind.Array } value
                ? value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => new Fields(i)).ToList()
                : [];

        private JsonElement? Get(string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;
    }
}
