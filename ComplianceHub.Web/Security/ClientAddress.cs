namespace ComplianceHub.Web.Security;

/// <summary>
/// The remote address of the browser behind the current circuit. HttpContext is gone once a circuit
/// runs, so App.razor reads it during the initial request and Routes stores it here.
/// </summary>
public sealed class ClientAddress
{
    public string? Value { get; set; }
}
