using System.Globalization;
using LiveContract.Core.Fields;
using LiveContract.Core.Localization;
using LiveContract.Core.Signing;
using static LiveContract.Tests.Unit.Fields.FieldValueRulesTests;

namespace LiveContract.Tests.Unit.Fields;

/// <summary>
/// A field's problems and refusals in the reader's language, dates and numbers in them written as that language writes
/// them, while the problem the live session shares stays English whatever the current culture.
/// </summary>
public sealed class FieldValueRulesLanguageTests
{
    private static readonly FieldDefinition StartDate =
        Field(FieldKind.Date, "Date d'effet", rules: new FieldRuleSet(MinDate: new DateOnly(2025, 1, 1), MaxDate: new DateOnly(2025, 12, 31)));

    private static readonly FieldDefinition Amount = Field(FieldKind.Number, "Montant", rules: new FieldRuleSet(MinNumber: 10.5m, MaxNumber: 1250.5m));

    [Theory]
    [InlineData("fr", "Date d'effet doit être une date écrite jour/mois/année, par exemple 31/03/2025.", "Date d'effet doit être le 01/01/2025 ou plus tard.", "Date d'effet doit être le 31/12/2025 ou plus tôt.")]
    [InlineData("de", "Date d'effet muss ein Datum in der Form Tag.Monat.Jahr sein, zum Beispiel 31.03.2025.", "Date d'effet darf nicht vor dem 01.01.2025 liegen.", "Date d'effet darf nicht nach dem 31.12.2025 liegen.")]
    [InlineData("en", "Date d'effet must be a date written as year-month-day, such as 2025-03-31.", "Date d'effet must be on or after 2025-01-01.", "Date d'effet must be on or before 2025-12-31.")]
    public void Dates_in_a_problem_are_written_as_the_readers_language_writes_them(string language, string notADate, string tooEarly, string tooLate)
    {
        var culture = CultureInfo.GetCultureInfo(language);

        Assert.Equal(notADate, FieldValueRules.Problem(StartDate, "31/03/2025", culture));
        Assert.Equal(tooEarly, FieldValueRules.Problem(StartDate, "2024-12-31", culture));
        Assert.Equal(tooLate, FieldValueRules.Problem(StartDate, "2026-01-01", culture));
        Assert.Null(FieldValueRules.Problem(StartDate, "2025-03-31", culture));
    }

    [Theory]
    [InlineData("fr", "Montant doit être un nombre écrit en chiffres, avec une virgule pour les décimales, par exemple 1250,50.", "Montant doit valoir au moins 10,5.", "Montant doit valoir au plus 1250,5.")]
    [InlineData("de", "Montant muss eine Zahl aus Ziffern sein, mit einem Komma vor den Nachkommastellen, zum Beispiel 1250,50.", "Montant muss mindestens 10,5 betragen.", "Montant darf höchstens 1250,5 betragen.")]
    [InlineData("en", "Montant must be a number written with digits and a decimal point, such as 1250.50.", "Montant must be at least 10.5.", "Montant must be at most 1250.5.")]
    public void Numbers_in_a_problem_are_written_as_the_readers_language_writes_them(string language, string notANumber, string tooSmall, string tooLarge)
    {
        var culture = CultureInfo.GetCultureInfo(language);

        Assert.Equal(notANumber, FieldValueRules.Problem(Amount, "douze", culture));
        Assert.Equal(tooSmall, FieldValueRules.Problem(Amount, "10.4", culture));
        Assert.Equal(tooLarge, FieldValueRules.Problem(Amount, "1250.51", culture));
    }

    [Fact]
    public void Every_problem_and_refusal_has_its_french_and_german_sentence()
    {
        var fr = CultureInfo.GetCultureInfo("fr");
        var de = CultureInfo.GetCultureInfo("de");
        var unnamed = Field(FieldKind.Text, "", rules: new FieldRuleSet(MaxLength: 5));
        var postcode = Field(FieldKind.Text, "Code postal", rules: new FieldRuleSet(Pattern: "[0-9]{5}"));
        var checkbox = Field(FieldKind.Checkbox, "J'accepte");
        var plan = Field(FieldKind.Radio, "Formule", options: ["Basic", "Plus"]);
        var noOptions = Field(FieldKind.Choice, "Formule");
        var spot = Field(FieldKind.SignatureSpot, "Signature");
        var tooLong = new string('a', FieldValueRules.HardMaxLength + 1);

        Assert.Equal("Ce champ ne peut pas dépasser 5 caractères.", FieldValueRules.Problem(unnamed, "abcdef", fr));
        Assert.Equal("Dieses Feld darf höchstens 5 Zeichen lang sein.", FieldValueRules.Problem(unnamed, "abcdef", de));
        Assert.Equal("Ce champ doit tenir sur une seule ligne.", FieldValueRules.Problem(unnamed, "a\nb", fr));
        Assert.Equal("Code postal n'est pas au format attendu.", FieldValueRules.Problem(postcode, "123", fr));
        Assert.Equal("J'accepte est une case à cocher : sa valeur est « true » (cochée) ou vide.", FieldValueRules.Refusal(checkbox, "oui", fr));
        Assert.Equal("Formule ne propose que « Basic », « Plus ».", FieldValueRules.Refusal(plan, "Gold", fr));
        Assert.Equal("Formule bietet nur „Basic“, „Plus“ zur Auswahl.", FieldValueRules.Refusal(plan, "Gold", de));
        Assert.Equal("Formule ne propose aucune option.", FieldValueRules.Refusal(noOptions, "x", fr));
        Assert.Equal("Formule offers only no options.", FieldValueRules.Refusal(noOptions, "x"));
        Assert.Equal("Signature se remplit en signant ; on ne peut rien y saisir.", FieldValueRules.Refusal(spot, "Ada", fr));
        Assert.Equal("Ce champ ne peut contenir ni caractères de contrôle (hors sauts de ligne et tabulations) ni caractères invalides.", FieldValueRules.Refusal(unnamed, "a\u0000", fr));
        Assert.Equal("Dieses Feld kann höchstens 10.000 Zeichen enthalten.", FieldValueRules.Refusal(unnamed, tooLong, de));
        Assert.Equal($"Ce champ ne peut pas contenir plus de {10_000.ToString("N0", fr)} caractères.", FieldValueRules.Refusal(unnamed, tooLong, fr));
        Assert.Equal("Remplissez d'abord les champs obligatoires : Ce champ, Code postal.", FieldValueRules.FillInFirst([unnamed, postcode], fr));
    }

    [Fact]
    public void The_shared_problem_is_english_with_stored_dates_and_numbers_even_in_a_french_thread()
    {
        using var french = Languages.Use("fr");

        Assert.Equal("Date d'effet must be on or after 2025-01-01.", FieldValueRules.Problem(StartDate, "2024-12-31"));
        Assert.Equal("Montant must be at least 10.5.", FieldValueRules.Problem(Amount, "10.4"));
        Assert.Equal("Fill in the required fields first: This field.", FieldValueRules.FillInFirst([Field(FieldKind.Text, " ")]));
        Assert.Equal("Montant doit valoir au moins 10,5.", FieldValueRules.Problem(Amount, "10.4", CultureInfo.CurrentUICulture));
    }

    [Fact]
    public void A_signers_typed_name_and_drawing_are_refused_in_their_language()
    {
        using (Languages.Use("fr"))
        {
            Assert.Equal("Saisissez votre nom complet pour signer.", SignatureRules.CheckFullName(" ")!.Message);
            Assert.Equal(
                "Le nom saisi ne correspond pas au nom figurant sur ce contrat (Chloé Dupont). Saisissez votre nom complet tel qu'il y est écrit ; s'il est erroné, adressez-vous à votre conseiller.",
                SignatureRules.CheckCustomerName("Claire Dupont", "Chloé Dupont")!.Message);
            Assert.Equal("Votre nom complet ne peut pas dépasser 200 caractères.", SignatureRules.CheckFullName(new string('a', 201))!.Message);
            Assert.Equal("Dessinez votre signature pour signer.", SignatureRules.CheckImage([])!.Message);
        }

        using (Languages.Use("de"))
        {
            Assert.Equal("Die gezeichnete Unterschrift muss ein PNG-Bild sein.", SignatureRules.CheckImage([1, 2, 3])!.Message);
        }

        Assert.Equal("The full name contains a character that cannot be shown (a control character or a text-direction override).", SignatureRules.CheckFullName("Ada\u202E")!.Message);
    }
}
