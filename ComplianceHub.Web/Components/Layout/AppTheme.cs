using MudBlazor;

namespace ComplianceHub.Web.Components.Layout;

internal static class AppTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0f5d73",
            Secondary = "#2e7d5b",
            Tertiary = "#6b4fa3",
            AppbarBackground = "#0f3f4f",
            AppbarText = "#ffffff",
            Background = "#f5f7f8",
            DrawerBackground = "#ffffff",
            Success = "#2e7d32",
            Warning = "#b26a00",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#4fb3cc",
            Secondary = "#5fbf8f",
            Tertiary = "#a58be0",
            AppbarBackground = "#10252d",
            Background = "#121a1e",
            Surface = "#1a2429",
            DrawerBackground = "#162026",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Noto Sans", "Helvetica", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
