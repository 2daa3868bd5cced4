using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveContract.Core.Localization;

namespace LiveContract.Core.Signing;

/// <summary>
/// The text every signer agrees to before signing electronically, shown in full in the signer's language; a
/// signature records the SHA-256 of the text shown, and is refused when it is not one of these texts. The texts
/// live here rather than in a resource file because each one is evidence: changing a word changes its hash.
/// </summary>
public static class SigningConsent
{
    public const string Text =
        "I agree to sign this contract electronically. My typed full name and my drawn signature are my "
        + "signature and have the same effect as my handwritten signature on paper. I have read the "
        + "documents of this contract as they are shown in this session, and I sign exactly those documents. "
        + "I understand that once every party has signed, the contract is final and cannot be changed, and that "
        + "the time, my IP address and my browser are recorded with my signature. I can download the signed "
        + "contract and its certificate of completion after signing.";

    private const string French =
        "J'accepte de signer ce contrat par voie électronique. Mon nom complet saisi et ma signature dessinée "
        + "constituent ma signature et ont le même effet que ma signature manuscrite sur papier. J'ai lu les "
        + "documents de ce contrat tels qu'ils sont présentés dans cette session, et je signe exactement ces documents. "
        + "Je comprends qu'une fois que toutes les parties ont signé, le contrat est définitif et ne peut plus être modifié, "
        + "et que l'heure, mon adresse IP et mon navigateur sont enregistrés avec ma signature. Je peux télécharger le "
        + "contrat signé et son certificat d'achèvement après la signature.";

    private const string German =
        "Ich bin damit einverstanden, diesen Vertrag elektronisch zu unterschreiben. Mein eingegebener vollständiger Name "
        + "und meine gezeichnete Unterschrift sind meine Unterschrift und haben dieselbe Wirkung wie meine handschriftliche "
        + "Unterschrift auf Papier. Ich habe die Dokumente dieses Vertrags so gelesen, wie sie in dieser Sitzung angezeigt "
        + "werden, und ich unterschreibe genau diese Dokumente. Mir ist bewusst, dass der Vertrag endgültig ist und nicht "
        + "mehr geändert werden kann, sobald alle Parteien unterschrieben haben, und dass die Uhrzeit, meine IP-Adresse und "
        + "mein Browser mit meiner Unterschrift gespeichert werden. Nach dem Unterschreiben kann ich den unterschriebenen "
        + "Vertrag und sein Abschlusszertifikat herunterladen.";

    private static readonly Dictionary<string, ConsentText> Texts = new[] { ("en", Text), ("fr", French), ("de", German) }
        .ToDictionary(t => t.Item1, t => new ConsentText(t.Item1, t.Item2, Hash(t.Item2)), StringComparer.Ordinal);

    /// <summary>SHA-256 of the UTF-8 English <see cref="Text"/>, lower-case hex.</summary>
    public static string Sha256 { get; } = Texts["en"].Sha256;

    /// <summary>The consent in <paramref name="language"/> (English for a language without one).</summary>
    public static ConsentText For(string language) => Texts.GetValueOrDefault(language) ?? Texts[Languages.Default];

    /// <summary>The consent in the current UI culture's language: what a page shows its signer.</summary>
    public static ConsentText Current => For(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);

    /// <summary>The consent whose text hashes to <paramref name="sha256"/>, or null when none does.</summary>
    public static ConsentText? Find(string? sha256) => Texts.Values.FirstOrDefault(t => t.Sha256 == sha256);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>One language's consent text and the SHA-256 (UTF-8, lower-case hex) a signature records.</summary>
public sealed record ConsentText(string Language, string Text, string Sha256);
