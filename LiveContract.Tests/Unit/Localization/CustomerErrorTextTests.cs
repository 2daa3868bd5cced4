using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LiveContract.Core.Common;
using LiveContract.Core.IdentityChecks;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Localization;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Unit.Localization;

/// <summary>
/// Refusals a customer can meet are worded in the language of whoever reads them (issue #18): the same error,
/// made once, reads in French under a French culture, in German under a German one, and in the same English as
/// before everywhere else.
/// </summary>
public sealed partial class CustomerErrorTextTests
{
    [Theory]
    [InlineData("en", "This live session has ended.", "Page 7 does not exist; this document has pages 1 to 5.", "That code is not right; 2 tries left.")]
    [InlineData("fr", "Cette session en direct est terminée.", "La page 7 n'existe pas ; ce document a les pages 1 à 5.", "Ce code n'est pas le bon ; il vous reste 2 essais.")]
    [InlineData("de", "Diese Live-Sitzung ist beendet.", "Seite 7 gibt es nicht; dieses Dokument hat die Seiten 1 bis 5.", "Dieser Code ist nicht richtig; Sie haben noch 2 Versuche.")]
    public void A_refusal_reads_in_the_current_language(string language, string ended, string noSuchPage, string wrongCode)
    {
        var pageRefusal = LiveSessionErrors.PageOutOfRange(7, 5);
        var codeRefusal = OperationError.ForCustomer(ErrorKind.Invalid, "Error.Code.WrongTriesLeft", 2);

        using (Languages.Use(language))
        {
            Assert.Equal(ended, LiveSessionErrors.Ended.Message);
            Assert.Equal(noSuchPage, pageRefusal.Message);
            Assert.Equal(wrongCode, codeRefusal.Message);
        }
    }

    [Fact]
    public void Counted_refusals_say_one_and_many_apart_in_each_language()
    {
        var settings = new IdentityCheckOptions();
        var now = DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var justSent = IdentityCheckService.TooSoon([now - settings.ResendInterval + TimeSpan.FromSeconds(1)], now, settings)!;

        Assert.Equal("A code was sent a moment ago; wait 1 second before asking for another.", justSent.Message);
        Assert.Equal("You are already connected to this live session in another window or tab; close it and try again.", LiveSessionErrors.TooManyConnections(1).Message);
        Assert.Equal("You are already connected to this live session 3 times (other windows, tabs or programs); close one and try again.", LiveSessionErrors.TooManyConnections(3).Message);
        using (Languages.Use("fr"))
        {
            Assert.Equal("Un code vient d'être envoyé ; attendez 1 seconde avant d'en demander un autre.", justSent.Message);
            Assert.Equal("Vous êtes déjà connecté 3 fois à cette session en direct (autres fenêtres, onglets ou programmes) ; fermez-en un et réessayez.", LiveSessionErrors.TooManyConnections(3).Message);
        }

        using (Languages.Use("de"))
        {
            Assert.Equal("Gerade wurde ein Code gesendet; warten Sie 1 Sekunde, bevor Sie einen weiteren anfordern.", justSent.Message);
            Assert.Equal("Seite 2 gibt es nicht; dieses Dokument hat 1 Seite.", LiveSessionErrors.PageOutOfRange(2, 1).Message);
        }
    }

    [Fact]
    public void A_refusal_made_in_one_language_reads_in_the_readers_and_stays_equal_to_itself()
    {
        OperationError madeInFrench;
        using (Languages.Use("fr"))
        {
            madeInFrench = LiveSessionErrors.PageOutOfRange(4, 3);
        }

        Assert.Equal("Page 4 does not exist; this document has pages 1 to 3.", madeInFrench.Message);
        Assert.Equal(LiveSessionErrors.PageOutOfRange(4, 3), madeInFrench);
        Assert.Equal(new OperationError(ErrorKind.Invalid, "Page 4 does not exist; this document has pages 1 to 3."), madeInFrench);
        Assert.NotEqual(LiveSessionErrors.PageOutOfRange(5, 3), madeInFrench);
        Assert.NotEqual(OperationError.ForCustomer(ErrorKind.NotFound, "Error.Session.Ended"), LiveSessionErrors.Ended);
        using (Languages.Use("de"))
        {
            Assert.Equal(LiveSessionErrors.Ended, OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.Ended"));
            Assert.Equal(LiveSessionErrors.Ended.GetHashCode(), OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.Ended").GetHashCode());
            Assert.NotEqual(LiveSessionErrors.Ended, LiveSessionErrors.Stopping);
        }
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("de")]
    public void Every_shared_customer_refusal_is_translated(string language)
    {
        var refusals = new[] { typeof(LiveSessionErrors), typeof(SealedDocuments) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(OperationError))
            .Select(f => (f.DeclaringType!.Name + "." + f.Name, (OperationError)f.GetValue(null)!))
            .Append(("LiveSessionService.IdentityNotChecked", LiveSessionService.IdentityNotChecked))
            .ToList();
        var english = refusals.ToDictionary(r => r.Item1, r => r.Item2.Message);

        using (Languages.Use(language))
        {
            foreach (var (name, refusal) in refusals)
            {
                Assert.False(refusal.Message.StartsWith("Error.", StringComparison.Ordinal), $"{name} has no text.");
                Assert.NotEqual(english[name], refusal.Message);
            }
        }

        Assert.Contains("LiveSessionErrors.FieldsHeld", english.Keys);
        Assert.Equal("A signature is being recorded; the fields cannot change at this moment.", english["LiveSessionErrors.FieldsHeld"]);
    }

    [Fact]
    public void Every_key_a_refusal_names_exists_in_the_customer_texts()
    {
        var known = XDocument.Load(Path.Combine(RepositoryRoot.Path, "LiveContract.Core", "Localization", "CustomerText.resx")).Root!
            .Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        var found = 0;
        foreach (var project in new[] { "LiveContract.Core", "LiveContract.Web" })
        {
            var folder = Path.Combine(RepositoryRoot.Path, project);
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                         .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")))
            {
                foreach (Match use in ForCustomerCall().Matches(File.ReadAllText(file)))
                {
                    found++;
                    var keys = KeyLiteral().Matches(use.Groups["keys"].Value).Select(m => m.Groups["key"].Value).ToList();
                    if (keys.Count == 0)
                    {
                        problems.Add($"{Path.GetRelativePath(RepositoryRoot.Path, file)}: a refusal names its key other than by literals: {use.Value}");
                    }

                    problems.AddRange(keys.Where(k => !known.Contains(k)).Select(k => $"{Path.GetRelativePath(RepositoryRoot.Path, file)}: \"{k}\" is not in CustomerText.resx."));
                }
            }
        }

        Assert.True(found > 50, $"Only {found} refusals were found; has ForCustomer been renamed?");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>A call <c>ForCustomer(ErrorKind.X, "Key"…)</c> or <c>ForCustomer(ErrorKind.X, a ? "One" : "Other"…)</c>: the part where its key is.</summary>
    [GeneratedRegex(@"OperationError\.ForCustomer\(\s*ErrorKind\.\w+,\s*(?<keys>[^,)]+)")]
    private static partial Regex ForCustomerCall();

    [GeneratedRegex(@"""(?<key>[^""]+)""")]
    private static partial Regex KeyLiteral();
}
