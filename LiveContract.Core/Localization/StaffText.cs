namespace LiveContract.Core.Localization;

/// <summary>
/// Marker for the staff portal's strings (<c>StaffText.resx</c>, English for now): inject
/// <c>IStringLocalizer&lt;StaffText&gt;</c>, so another language is one more resource file.
/// </summary>
public sealed class StaffText;
