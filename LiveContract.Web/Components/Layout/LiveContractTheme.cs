using MudBlazor;

namespace LiveContract.Web.Components.Layout;

internal static class LiveContractTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e79",
            Secondary = "#2e7d6b",
            AppbarBackground = "#1f4e79",
        },
    };
}
