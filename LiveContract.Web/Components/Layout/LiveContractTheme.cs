using MudBlazor;

namespace LiveContract.Web.Components.Layout;

internal static class LiveContractTheme
{
    /// <summary>
    /// MudBlazor's default status colours are too light for text on white or on their own pale
    /// alert backgrounds (e.g. warning 2.9:1, info 3.1:1, error 3.7:1); these keep at least 4.5:1
    /// (WCAG 2.1 AA) both as text there and behind white text.
    /// </summary>
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e79",
            Secondary = "#2e7d6b",
            AppbarBackground = "#1f4e79",
            Info = "#0d6fb8",
            Success = "#1b7a3d",
            Warning = "#a15c00",
            Error = "#c62828",
        },
    };
}
