using System.Security.Claims;
using ComplianceHub.Core.Audit;
using Microsoft.AspNetCore.Components.Authorization;

namespace ComplianceHub.Web.Security;

/// <summary>Turns the signed-in user of a circuit or request into the <see cref="AuditActor"/> Core records.</summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication, ClientAddress clientAddress)
{
    public async Task<AuditActor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return From(state.User, clientAddress.Value);
    }

    public static AuditActor From(ClaimsPrincipal user, string? ipAddress) =>
        user.Identity?.IsAuthenticated == true
            ? new AuditActor(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity.Name ?? "unknown", ipAddress)
            : new AuditActor(null, "anonymous", ipAddress);

    public static AuditActor From(HttpContext context) =>
        From(context.User, context.Connection.RemoteIpAddress?.ToString());
}
