using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveContract.Core.Fields;
using LiveContract.Core.Localization;

namespace LiveContract.Core.Audit;

/// <summary>
/// What an audit event says, in a sentence for people (the timeline on the contract page, the
/// certificate of completion, the system stream on the Audit page). Reads the fields it knows from the event's data and ignores the
/// rest, so an event with less data than expected is still described.
/// </summary>
public static class AuditDescriptions
{
    private static string Purpose(Fields fields) => T(fields.Text("purpose") == "Sign" ? "Audit.ForSigning" : "Audit.ForJoining");

    /// <summary>
    /// The sentence for an event of <paramref name="type"/> with <paramref name="data"/>, in the current UI culture
    /// (<see cref="CustomerText"/>'s languages: a contract's events are on its certificate of completion). Staff read
    /// it in English; the certificate in the contract's language (<see cref="Languages.Use"/>). The system stream's
    /// events, which only staff read, are <see cref="StaffText"/>. Times stay UTC.
    /// </summary>
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
                ? T("Audit.ContractCreatedFor", Quoted(fields.Text("title") ?? ""), customer)
                : T("Audit.ContractCreated"),
            AuditEventTypes.ContractUpdated => ContractUpdated(fields),
            AuditEventTypes.StatusChanged => StatusChanged(fields),
            AuditEventTypes.DocumentUploaded => DocumentUploaded(fields),
            AuditEventTypes.DocumentRemoved => T("Audit.DocumentRemoved", fields.Text("fileName") ?? T("Audit.Unnamed")),
            AuditEventTypes.FieldAdded => T("Audit.FieldAdded", Field(fields), Place(fields)),
            AuditEventTypes.FieldChanged => fields.Texts("changed") is { Count: > 0 } changed
                ? T("Audit.FieldChangedWhat", Field(fields), Place(fields), string.Join(", ", changed))
                : T("Audit.FieldChanged", Field(fields), Place(fields)),
            AuditEventTypes.FieldRemoved => T("Audit.FieldRemoved", Field(fields), Place(fields)),
            AuditEventTypes.SessionStarted => T("Audit.SessionStarted"),
            AuditEventTypes.SessionEnded => T("Audit.SessionEnded"),
            AuditEventTypes.SessionCompleted => T("Audit.SessionCompleted"),
            AuditEventTypes.LinkSent => fields.Time("expiresAt") is { } expires
                ? T("Audit.LinkSentUntil", expires.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                : T("Audit.LinkSent"),
            AuditEventTypes.LinkRevoked => T(fields.Flag("replaced") == true ? "Audit.LinkReplaced" : "Audit.LinkRevoked"),
            AuditEventTypes.LinkUsed => T("Audit.LinkUsed"),
            AuditEventTypes.ParticipantJoined => T("Audit.ParticipantJoined"),
            AuditEventTypes.ParticipantLeft => T("Audit.ParticipantLeft"),
            AuditEventTypes.PagesViewed => PagesViewed(fields),
            AuditEventTypes.FieldValueSet => FieldValueSet(fields),
            AuditEventTypes.SignatureRecorded => fields.Text("fullName") is { } name ? T("Audit.SignatureRecordedBy", name) : T("Audit.SignatureRecorded"),
            AuditEventTypes.ContractSigned => T("Audit.ContractSigned"),
            AuditEventTypes.ContractSealed => T("Audit.ContractSealed"),
            AuditEventTypes.SealingRefused => fields.Text("reason") is { } refusal ? T("Audit.SealingRefusedBecause", refusal) : T("Audit.SealingRefused"),
            AuditEventTypes.SealedDownloaded => T("Audit.SealedDownloaded"),
            AuditEventTypes.IdentityCodeSent => T("Audit.IdentityCodeSent", Purpose(fields), fields.Text("to") ?? T("Audit.TheCustomer")),
            AuditEventTypes.IdentityCodeAccepted => T("Audit.IdentityCodeAccepted", Purpose(fields)),
            AuditEventTypes.IdentityCodeRefused => fields.Number("triesLeft") switch
            {
                1 => T("Audit.IdentityCodeRefusedOneTryLeft", Purpose(fields)),
                { } left => T("Audit.IdentityCodeRefusedTriesLeft", Purpose(fields), Whole(left)),
                null => T("Audit.IdentityCodeRefused", Purpose(fields)),
            },
            AuditEventTypes.IdentityCodeExpired => T("Audit.IdentityCodeExpired", Purpose(fields)),
            AuditEventTypes.IdentityCodeExhausted => T("Audit.IdentityCodeExhausted", Purpose(fields)),
            AuditEventTypes.IdentityCheckWaived => T(fields.Flag("off") == false ? "Audit.IdentityCheckOn" : "Audit.IdentityCheckOff"),
            AuditEventTypes.IdentityCheckRecorded => T(
                "Audit.IdentityChecked",
                T(fields.Text("method") == "Video" ? "Audit.ByVideo" : "Audit.InPerson"),
                fields.Text("documentType") ?? T("Audit.IdentityDocument"),
                fields.Text("documentEnding") ?? ""),
            AuditEventTypes.IdentityPhoneSet => fields.Text("phone") is { } phone ? T("Audit.PhoneSet", phone) : T("Audit.PhoneRemoved"),
            AuditEventTypes.ContractReassigned => T(
                "Audit.ContractReassigned",
                fields.Text("fromAdvisorName") ?? T("Audit.ItsAdvisor"),
                fields.Text("toAdvisorName") ?? T("Audit.AnotherAdvisor")),
            AuditEventTypes.UserSignedIn => S("AuditEvent.SignedIn", Account(fields)),
            AuditEventTypes.UserSignInFailed => fields.Text("reason") is { } reason
                ? S("AuditEvent.SignInRefusedBecause", Account(fields), reason)
                : S("AuditEvent.SignInRefused", Account(fields)),
            AuditEventTypes.UserLockedOut => fields.Time("until") is { } until
                ? S("AuditEvent.LockedOutUntil", Account(fields), until.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                : S("AuditEvent.LockedOut", Account(fields)),
            AuditEventTypes.UserCreated => UserCreated(fields),
            AuditEventTypes.UserLocked => S("AuditEvent.AccountLocked", Account(fields)),
            AuditEventTypes.UserUnlocked => S("AuditEvent.AccountUnlocked", Account(fields)),
            AuditEventTypes.UserPasswordSet => S("AuditEvent.PasswordSet", Account(fields)),
            AuditEventTypes.UserPasswordLinkSent => S("AuditEvent.PasswordLinkSent", Account(fields)),
            AuditEventTypes.UserPasswordChanged => S(fields.Text("how") == AccountAudit.EmailedLink ? "AuditEvent.PasswordChosen" : "AuditEvent.PasswordChanged", Account(fields)),
            AuditEventTypes.UserRolesChanged => S("AuditEvent.RolesChanged", Account(fields), RoleList(fields, "from"), RoleList(fields, "to")),
            AuditEventTypes.UserDeactivated => UserDeactivated(fields),
            AuditEventTypes.UserReactivated => S("AuditEvent.AccountReactivated", Account(fields)),
            AuditEventTypes.TokenCreated => S("AuditEvent.TokenCreated", Token(fields)),
            AuditEventTypes.TokenRevoked => S("AuditEvent.TokenRevoked", Token(fields)),
            AuditEventTypes.SettingsChanged => SettingsChanged(fields),
            AuditEventTypes.ChainsVerified => ChainsVerified(fields),
            _ => type,
        };
    }

    /// <summary>The role an audit event's actor acted in ("Customer", "Advisor", "Admin" as stored), in the current UI culture.</summary>
    public static string Role(string? role) => role switch
    {
        AuditActor.CustomerRole => T("Party.Customer"),
        AuditActor.AdvisorRole => T("Party.Advisor"),
        AuditActor.AdminRole => T("Audit.Role.Admin"),
        _ => role ?? "",
    };

    /// <summary>A duration as people read it: "less than a second", "42 s", "3 min 5 s", "1 h 2 min" (in the current UI culture).</summary>
    public static string Duration(TimeSpan duration) => Math.Round(duration.TotalSeconds) switch
    {
        < 1 => T("Audit.LessThanASecond"),
        < 60 and var s => T("Audit.Seconds", Whole(s)),
        < 3600 and var s => T("Audit.MinutesSeconds", Whole(Math.Floor(s / 60)), Whole(s % 60)),
        var s => T("Audit.HoursMinutes", Whole(Math.Floor(s / 3600)), Whole(Math.Floor(s % 3600 / 60))),
    };

    /// <summary>A sentence of <see cref="CustomerText"/> in the current UI culture.</summary>
    private static string T(string key, params object[] arguments) => CustomerText.Standalone[key, arguments].Value;

    /// <summary>A sentence of <see cref="StaffText"/>: the system stream's events (accounts, tokens, settings) are read by staff only.</summary>
    private static string S(string key, params object[] arguments) => StaffText.Standalone[key, arguments].Value;

    /// <summary>A label or value in the language's quotation marks: “…” in English.</summary>
    private static string Quoted(string text) => T("Audit.Quoted", text);

    private static string Whole(double number) => number.ToString("0", CultureInfo.InvariantCulture);

    private static string FieldValueSet(Fields fields)
    {
        var label = fields.Text("label") is { Length: > 0 } text ? Quoted(text) : T("Audit.Unnamed");
        return fields.Text("value") is { Length: > 0 } value
            ? T("Audit.FieldValueSet", label, Quoted(value.Length > 80 ? value[..80] + "…" : value))
            : T("Audit.FieldValueCleared", label);
    }

    private static string Account(Fields fields) => fields.Text("email") is { Length: > 0 } email ? email : S("AuditEvent.AnAccount");

    private static string UserCreated(Fields fields)
    {
        var name = fields.Text("displayName");
        var who = name is null ? Account(fields) : $"{name} ({Account(fields)})";
        return fields.Text("role") is { } role ? S("AuditEvent.AccountCreatedAs", who, role) : S("AuditEvent.AccountCreated", who);
    }

    private static string RoleList(Fields fields, string name) =>
        fields.Texts(name) is { Count: > 0 } roles ? string.Join(", ", roles) : S("AuditEvent.NoRoles");

    private static string UserDeactivated(Fields fields)
    {
        var details = new List<string>();
        if (fields.Number("contractsReassigned") is { } contracts)
        {
            details.Add(fields.Text("reassignedToName") is { } name
                ? (contracts == 1 ? S("AuditEvent.OneContractReassignedTo", name) : S("AuditEvent.ContractsReassignedTo", Whole(contracts), name))
                : (contracts == 1 ? S("AuditEvent.OneContractReassigned") : S("AuditEvent.ContractsReassigned", Whole(contracts))));
        }

        if (fields.Number("sessionsEnded") is { } sessions)
        {
            details.Add(sessions == 1 ? S("AuditEvent.OneSessionEnded") : S("AuditEvent.SessionsEnded", Whole(sessions)));
        }

        if (fields.Number("tokensRevoked") is { } tokens and > 0)
        {
            details.Add(tokens == 1 ? S("AuditEvent.OneTokenRevoked") : S("AuditEvent.TokensRevoked", Whole(tokens)));
        }

        var sentence = S("AuditEvent.AccountDeactivated", Account(fields));
        return details.Count == 0 ? sentence : $"{sentence} ({string.Join(", ", details)})";
    }

    private static string Token(Fields fields)
    {
        var name = fields.Text("name") is { } text ? $"“{text}”" : S("AuditEvent.Unnamed");
        return fields.Text("prefix") is { } prefix ? $"{name} ({prefix}…)" : name;
    }

    private static string SettingsChanged(Fields fields)
    {
        var changes = fields.Child("changes") is { } child ? child.Properties() : [];
        if (changes.Count == 0)
        {
            return S("AuditEvent.SettingsChanged");
        }

        var none = S("AuditEvent.NoSetting");
        var first = changes.All(c => c.Value.Text("from") is null);
        var parts = changes.Select(c => first
            ? $"{c.Name} = {c.Value.Text("to") ?? none}"
            : S("AuditEvent.SettingFromTo", c.Name, c.Value.Text("from") ?? none, c.Value.Text("to") ?? none));
        return S(first ? "AuditEvent.SettingsRecordedList" : "AuditEvent.SettingsChangedList", string.Join("; ", parts));
    }

    private static string ChainsVerified(Fields fields)
    {
        var streams = fields.Number("streams") ?? 0;
        var events = fields.Number("events") ?? 0;
        var broken = fields.Number("broken") ?? 0;
        var counted = S(
            "AuditEvent.ChainsVerified",
            streams == 1 ? S("AuditEvent.OneStream") : S("AuditEvent.Streams", Whole(streams)),
            events == 1 ? S("AuditEvent.OneEvent") : S("AuditEvent.Events", Whole(events)));
        return broken == 0
            ? S("AuditEvent.ChainsIntact", counted)
            : S("AuditEvent.ChainsBroken", counted, Whole(broken), string.Join(", ", fields.Texts("brokenStreams")));
    }

    private static string ContractUpdated(Fields fields)
    {
        var changes = new List<string>();
        if (fields.Child("title") is { } title)
        {
            changes.Add(T("Audit.TitleChanged", Quoted(title.Text("from") ?? ""), Quoted(title.Text("to") ?? "")));
        }

        if (fields.Child("advisorMustSign") is { } countersign)
        {
            changes.Add(T(countersign.Flag("to") == true ? "Audit.CountersignatureOn" : "Audit.CountersignatureOff"));
        }

        return changes.Count == 0 ? T("Audit.ContractDetailsChanged") : string.Join("; ", changes);
    }

    private static string StatusChanged(Fields fields)
    {
        var sentence = T("Audit.StatusChanged", Status(fields.Text("from")), Status(fields.Text("to")));
        var pinned = fields.Items("pinnedDocuments").Count;
        return pinned switch
        {
            0 => sentence,
            1 => T("Audit.OneDocumentPinned", sentence),
            _ => T("Audit.DocumentsPinned", sentence, Whole(pinned)),
        };
    }

    /// <summary>A contract status as stored ("Review") in the current UI culture; anything else as it is.</summary>
    private static string Status(string? status) => status switch
    {
        nameof(Contracts.ContractStatus.Draft) => T("Status.Draft"),
        nameof(Contracts.ContractStatus.Review) => T("Status.Review"),
        nameof(Contracts.ContractStatus.Signed) => T("Status.Signed"),
        _ => status ?? "",
    };

    private static string DocumentUploaded(Fields fields)
    {
        var details = new List<string>();
        if (fields.Number("pages") is { } pages)
        {
            details.Add(pages == 1 ? T("Audit.OnePage") : T("Audit.Pages", Whole(pages)));
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
                details.Add(T("Audit.OneFormField"));
                break;
            case > 1 and var found:
                details.Add(T("Audit.FormFields", Whole(found)));
                break;
        }

        var name = fields.Text("fileName") ?? T("Audit.Unnamed");
        return details.Count == 0 ? T("Audit.DocumentUploaded", name) : T("Audit.DocumentUploadedDetails", name, string.Join(", ", details));
    }

    /// <summary>"Field “Full name” (text, for the customer, required)".</summary>
    private static string Field(Fields fields)
    {
        var details = new List<string>();
        if (Enum.TryParse<FieldKind>(fields.Text("kind"), out var kind))
        {
            details.Add(KindName(kind));
        }

        switch (fields.Text("party"))
        {
            case nameof(FieldParty.Customer):
                details.Add(T("Audit.ForTheCustomer"));
                break;
            case nameof(FieldParty.Advisor):
                details.Add(T("Audit.ForTheAdvisor"));
                break;
            case { } party:
                details.Add($"for the {party.ToLowerInvariant()}");
                break;
        }

        if (fields.Flag("required") is { } required)
        {
            details.Add(T(required ? "Audit.Required" : "Audit.Optional"));
        }

        var label = fields.Text("label") is { } text ? T("Audit.FieldLabel", Quoted(text)) : T("Audit.AField");
        return details.Count == 0 ? label : $"{label} ({string.Join(", ", details)})";
    }

    /// <summary>A field kind's name in the current UI culture ("multi-line text").</summary>
    private static string KindName(FieldKind kind) => kind switch
    {
        FieldKind.Text => T("Audit.Kind.Text"),
        FieldKind.MultilineText => T("Audit.Kind.MultilineText"),
        FieldKind.Date => T("Audit.Kind.Date"),
        FieldKind.Number => T("Audit.Kind.Number"),
        FieldKind.Checkbox => T("Audit.Kind.Checkbox"),
        FieldKind.Radio => T("Audit.Kind.Radio"),
        FieldKind.Choice => T("Audit.Kind.Choice"),
        FieldKind.Initials => T("Audit.Kind.Initials"),
        FieldKind.SignatureSpot => T("Audit.Kind.SignatureSpot"),
        _ => kind.ToString(),
    };

    /// <summary>"page 2 of contract.pdf".</summary>
    private static string Place(Fields fields)
    {
        var page = fields.Number("page") is { } number ? T("Audit.Page", Whole(number)) : T("Audit.APage");
        return fields.Text("fileName") is { } name ? T("Audit.PageOf", page, name) : page;
    }

    private static string PagesViewed(Fields fields)
    {
        var pages = fields.Items("pages");
        if (pages.Count == 0)
        {
            return T("Audit.NoPagesViewed");
        }

        var text = new StringBuilder();
        string? lastDocument = null;
        foreach (var page in pages)
        {
            var document = page.Text("fileName") ?? page.Text("documentId") ?? T("Audit.ADocument");
            text.Append(document == lastDocument ? ", " : lastDocument is null ? "" : "; ");
            if (document != lastDocument)
            {
                text.Append(document).Append(' ');
            }

            text.Append(T("Audit.PageViewed", page.Number("page") is { } number ? Whole(number) : "", Duration(TimeSpan.FromSeconds(page.Number("seconds") ?? 0))));
            lastDocument = document;
        }

        return T("Audit.PagesViewed", text.ToString(), Duration(TimeSpan.FromSeconds(fields.Number("totalSeconds") ?? 0)));
    }

    /// <summary>A size in bytes, KB or MB, one decimal in the current culture's writing ("1.5 KB").</summary>
    private static string Size(long bytes) => bytes switch
    {
        < 1024 => T("Audit.Bytes", bytes.ToString(CultureInfo.InvariantCulture)),
        < 1024 * 1024 => T("Audit.Kilobytes", (bytes / 1024.0).ToString("0.#", CultureInfo.CurrentCulture)),
        _ => T("Audit.Megabytes", (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.CurrentCulture)),
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
