namespace ConsentHub.Web.Components;

/// <summary>The icons the app draws as inline SVG (Shared/Icon.razor); in this namespace because "Shared" is a VB keyword.</summary>
public enum IconKind
{
    Unknown = 0,
    Yes = 1,
    No = 2,
    Stop = 3,
    Close = 4,
}
