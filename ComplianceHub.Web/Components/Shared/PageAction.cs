using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Web.Security;
using MudBlazor;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// How a page or dialog runs a change its user asked for: as the signed-in user, <see cref="Busy"/> while
/// it runs (the component disables its buttons), and a broken rule shown to the user, its message being
/// written for them: as a warning on a page, beside the fields in a dialog (<see cref="Error"/>, shown by
/// <c>RuleError</c>). One per component (registered transient).
/// </summary>
public sealed class PageAction(ISnackbar snackbar, CurrentActor currentActor)
{
    public bool Busy { get; private set; }

    /// <summary>The rule the last in-place run broke; null once a run starts.</summary>
    public string? Error { get; private set; }

    /// <summary>Runs <paramref name="action"/>; true when it went through, false when a rule refused it (shown as a warning).</summary>
    public Task<bool> RunAsync(Func<AuditActor, Task> action) => RunAsync(action, inPlace: false);

    /// <summary>As <see cref="RunAsync(Func{AuditActor, Task})"/>, for a dialog: a broken rule is kept in <see cref="Error"/> to show beside its fields.</summary>
    public Task<bool> RunInPlaceAsync(Func<AuditActor, Task> action) => RunAsync(action, inPlace: true);

    private async Task<bool> RunAsync(Func<AuditActor, Task> action, bool inPlace)
    {
        Busy = true;
        Error = null;
        try
        {
            await action(await currentActor.GetAsync());
            return true;
        }
        catch (ComplianceRuleException ex)
        {
            if (inPlace)
            {
                Error = ex.Message;
            }
            else
            {
                snackbar.Add(ex.Message, Severity.Warning);
            }

            return false;
        }
        finally
        {
            Busy = false;
        }
    }
}
