namespace ComplianceHub.Web.Security;

/// <summary>
/// The remote address (and user agent) of the browser behind the current circuit. HttpContext is gone once a circuit
/// runs, so App.razor reads it during the initial request and Routes stores it here.
/// </summary>
public sealed class ClientAddress
{
    public string? Value { get; set; }

    /// <summary>The browser's User-Agent header from the same request.</summary>
    public string? UserAgent { get; set; }
}
