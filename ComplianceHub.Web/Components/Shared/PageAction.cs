using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Web.Security;
using MudBlazor;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// How a page runs a change its user asked for: as the signed-in user, <see cref="Busy"/> while it runs
/// (the page disables its buttons), and a broken rule shown as a warning, its message being written for
/// the user. One per component (registered transient).
/// </summary>
public sealed class PageAction(ISnackbar snackbar, CurrentActor currentActor)
{
    public bool Busy { get; private set; }

    /// <summary>Runs <paramref name="action"/>; true when it went through, false when a rule refused it (already shown).</summary>
    public async Task<bool> RunAsync(Func<AuditActor, Task> action)
    {
        Busy = true;
        try
        {
            await action(await currentActor.GetAsync());
            return true;
        }
        catch (ComplianceRuleException ex)
        {
            snackbar.Add(ex.Message, Severity.Warning);
            return false;
        }
        finally
        {
            Busy = false;
        }
    }
}
