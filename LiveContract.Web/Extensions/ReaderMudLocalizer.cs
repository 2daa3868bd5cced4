using LiveContract.Core.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LiveContract.Web.Extensions;

/// <summary>
/// MudBlazor's own words in the reader's language: the Close button of a dialog, snackbar or alert, a field's
/// Clear button and "Required", which a customer meets in the signing dialog and the live view. Any other key is
/// answered "not found", so MudBlazor keeps its own English for it.
/// </summary>
internal sealed class ReaderMudLocalizer(IStringLocalizer<CustomerText> text) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            LocalizedString? ours = key switch
            {
                "MudDialog_Close" or "MudSnackbar_Close" or "MudAlert_Close" => text["Mud.Close"],
                "MudInput_Clear" => text["Mud.Clear"],
                "MudFormComponent_Required" => text["Mud.Required"],
                _ => null,
            };
            return ours is null ? base[key] : new LocalizedString(key, ours.Value);
        }
    }
}
