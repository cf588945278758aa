namespace ConsentHub.Web.Components.Pages.Signing;

/// <summary>The antiforgery field a plain HTML form posts back.</summary>
public sealed record SigningFormToken(string FieldName, string Value);
