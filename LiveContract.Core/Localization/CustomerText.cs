using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Localization;

/// <summary>
/// Marker for the customer-facing strings (<c>CustomerText.resx</c> in English, <c>.fr.resx</c>, <c>.de.resx</c>):
/// inject <c>IStringLocalizer&lt;CustomerText&gt;</c>. Keys are dotted identifiers named after where the text
/// shows (<c>Join.Title</c>); every key exists in every language (a unit test checks it).
/// </summary>
public sealed class CustomerText
{
    /// <summary>The same texts for code that runs outside dependency injection, such as the certificate of completion's writer.</summary>
    internal static IStringLocalizer<CustomerText> Standalone { get; } =
        new StringLocalizer<CustomerText>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
}
