namespace LiveContract.Core.Localization;

/// <summary>
/// Marker for the customer-facing strings (<c>CustomerText.resx</c> in English, <c>.fr.resx</c>, <c>.de.resx</c>):
/// inject <c>IStringLocalizer&lt;CustomerText&gt;</c>. Keys are dotted identifiers named after where the text
/// shows (<c>Join.Title</c>); every key exists in every language (a unit test checks it).
/// </summary>
public sealed class CustomerText;
