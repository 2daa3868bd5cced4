using LiveContract.Core.Audit;
using LiveContract.Core.Localization;

namespace LiveContract.Tests.Unit;

public sealed class AuditDescriptionsTests
{
    [Theory]
    [InlineData(AuditEventTypes.ContractCreated, """{"reference":"LC-2026-000001","title":"Motor policy","customerName":"Chloé Dupont"}""", "Contract created: “Motor policy” for Chloé Dupont")]
    [InlineData(AuditEventTypes.ContractUpdated, """{"title":{"from":"A","to":"B"},"advisorMustSign":{"from":true,"to":false}}""", "Title changed from “A” to “B”; Countersignature by the advisor turned off")]
    [InlineData(AuditEventTypes.StatusChanged, """{"from":"Review","to":"Draft","pinnedDocuments":[]}""", "Status changed from Review to Draft")]
    [InlineData(AuditEventTypes.StatusChanged, """{"from":"Draft","to":"Review","pinnedDocuments":[{},{}]}""", "Status changed from Draft to Review (2 documents pinned)")]
    [InlineData(AuditEventTypes.DocumentUploaded, """{"fileName":"claim.pdf","size":1536,"pages":1,"sha256":"0123456789abcdef0123"}""", "Document claim.pdf uploaded (1 page, 1.5 KB, SHA-256 0123456789abcdef…)")]
    [InlineData(AuditEventTypes.LinkSent, """{"expiresAt":"2026-11-24T15:02:03.12+01:00"}""", "Customer link sent, valid until 2026-11-24 14:02 UTC")]
    [InlineData(AuditEventTypes.LinkRevoked, """{"replaced":true}""", "Customer link replaced by a new one")]
    [InlineData(AuditEventTypes.LinkRevoked, """{"replaced":false}""", "Customer link revoked")]
    [InlineData(AuditEventTypes.PagesViewed, """{"pages":[]}""", "The customer viewed no page")]
    [InlineData("something.new", """{"x":1}""", "something.new")]
    public void Each_event_reads_as_a_sentence(string type, string data, string expected) =>
        Assert.Equal(expected, AuditDescriptions.Describe(type, data));

    [Fact]
    public void Pages_viewed_are_listed_per_document_with_their_time_and_the_total()
    {
        const string data = """
            {"totalSeconds":3725.4,"pages":[
              {"fileName":"claim.pdf","page":1,"seconds":65.2},
              {"fileName":"claim.pdf","page":2,"seconds":0.3},
              {"documentId":"7d0c…","fileName":null,"page":4,"seconds":3660}]}
            """;

        Assert.Equal(
            "Pages viewed by the customer: claim.pdf page 1 (1 min 5 s), page 2 (less than a second); 7d0c… page 4 (1 h 1 min); in all 1 h 2 min",
            AuditDescriptions.Describe(AuditEventTypes.PagesViewed, data));
    }

    [Fact]
    public void Missing_or_unreadable_data_still_gives_a_sentence()
    {
        Assert.Equal("Contract created", AuditDescriptions.Describe(AuditEventTypes.ContractCreated, "not json"));
        Assert.Equal("Document (unnamed) uploaded", AuditDescriptions.Describe(AuditEventTypes.DocumentUploaded, "{}"));
        Assert.Equal("Customer link sent", AuditDescriptions.Describe(AuditEventTypes.LinkSent, "[]"));
    }

    [Theory]
    [InlineData("fr", AuditEventTypes.FieldValueSet, """{"label":"Date of birth","party":"Customer","value":"2026-12-31"}""", "Champ « Date of birth » rempli avec « 2026-12-31 »")]
    [InlineData("de", AuditEventTypes.FieldValueSet, """{"label":"Date of birth","party":"Customer","value":"2026-12-31"}""", "Feld „Date of birth“ auf „2026-12-31“ gesetzt")]
    [InlineData("fr", AuditEventTypes.FieldValueSet, """{"label":"Notes","value":""}""", "Champ « Notes » vidé")]
    [InlineData("fr", AuditEventTypes.SignatureRecorded, """{"fullName":"Chloé Dupont"}""", "Signature enregistrée : Chloé Dupont")]
    [InlineData("de", AuditEventTypes.SignatureRecorded, """{"fullName":"Chloé Dupont"}""", "Unterschrift erfasst: Chloé Dupont")]
    [InlineData("fr", AuditEventTypes.LinkSent, """{"expiresAt":"2026-11-24T15:02:03.12+01:00"}""", "Lien client envoyé, valable jusqu'au 2026-11-24 14:02 UTC")]
    [InlineData("de", AuditEventTypes.LinkSent, """{"expiresAt":"2026-11-24T15:02:03.12+01:00"}""", "Kundenlink gesendet, gültig bis 2026-11-24 14:02 UTC")]
    [InlineData("fr", AuditEventTypes.StatusChanged, """{"from":"Draft","to":"Review","pinnedDocuments":[{},{}]}""", "Statut passé de Brouillon à En relecture (2 documents figés)")]
    [InlineData("de", AuditEventTypes.StatusChanged, """{"from":"Review","to":"Signed","pinnedDocuments":[]}""", "Status von In Prüfung zu Unterschrieben geändert")]
    [InlineData("fr", AuditEventTypes.DocumentUploaded, """{"fileName":"claim.pdf","size":1536,"pages":1,"sha256":"0123456789abcdef0123"}""", "Document claim.pdf téléversé (1 page, 1,5 Ko, SHA-256 0123456789abcdef…)")]
    [InlineData("de", AuditEventTypes.FieldAdded, """{"label":"Full name","kind":"Text","party":"Customer","required":true,"page":2,"fileName":"contract.pdf"}""", "Feld „Full name“ (Text, für den Kunden, Pflichtfeld) auf Seite 2 von contract.pdf hinzugefügt")]
    [InlineData("fr", AuditEventTypes.IdentityCodeRefused, """{"purpose":"Sign","triesLeft":2}""", "Code d'identité erroné pour la signature refusé (2 essais restants)")]
    [InlineData("de", AuditEventTypes.PagesViewed, """{"totalSeconds":65.2,"pages":[{"fileName":"claim.pdf","page":1,"seconds":65.2}]}""", "Vom Kunden angesehene Seiten: claim.pdf Seite 1 (1 Min. 5 Sek.); insgesamt 1 Min. 5 Sek.")]
    public void Each_event_reads_in_the_current_ui_language(string language, string type, string data, string expected)
    {
        using (Languages.Use(language))
        {
            Assert.Equal(expected, AuditDescriptions.Describe(type, data));
        }

        // The caller's language again once the scope ends.
        Assert.NotEqual(expected, AuditDescriptions.Describe(type, data));
    }

    [Theory]
    [InlineData("en", "Customer", "Advisor", "Admin")]
    [InlineData("fr", "Client", "Conseiller", "Administrateur")]
    [InlineData("de", "Kunde", "Berater", "Administrator")]
    public void An_actors_role_is_named_in_the_current_ui_language(string language, string customer, string advisor, string admin)
    {
        using (Languages.Use(language))
        {
            Assert.Equal([customer, advisor, admin, "System"], new[] { "Customer", "Advisor", "Admin", "System" }.Select(AuditDescriptions.Role));
        }
    }

    [Theory]
    [InlineData(AuditEventTypes.UserDeactivated, """{"email":"ana@example.com","contractsReassigned":2,"reassignedToName":"Bob Meyer","sessionsEnded":1,"tokensRevoked":0}""", "Account of ana@example.com deactivated (2 contracts reassigned to Bob Meyer, 1 live session ended)")]
    [InlineData(AuditEventTypes.ChainsVerified, """{"streams":1,"events":12,"broken":0}""", "Every audit chain verified: 1 stream, 12 events, all intact")]
    [InlineData(AuditEventTypes.SettingsChanged, """{"changes":{"Sealing:Organisation":{"from":"A","to":"B"}}}""", "Settings changed: Sealing:Organisation from A to B")]
    [InlineData(AuditEventTypes.TokenCreated, """{"name":"CI","prefix":"lc_ab"}""", "API token “CI” (lc_ab…) created")]
    public void The_system_streams_sentences_are_staff_text_in_english_whatever_the_culture(string type, string data, string expected)
    {
        Assert.Equal(expected, AuditDescriptions.Describe(type, data));
        using (Languages.Use("de"))
        {
            Assert.Equal(expected, AuditDescriptions.Describe(type, data));
        }
    }
}
