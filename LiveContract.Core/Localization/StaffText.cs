using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Localization;

/// <summary>
/// Marker for the staff portal's strings (<c>StaffText.resx</c>, English for now): inject
/// <c>IStringLocalizer&lt;StaffText&gt;</c>, so another language is one more resource file.
/// </summary>
public sealed class StaffText
{
    /// <summary>The same texts for code that runs outside dependency injection, such as the audit trail's sentences.</summary>
    internal static IStringLocalizer<StaffText> Standalone { get; } =
        new StringLocalizer<StaffText>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
}
