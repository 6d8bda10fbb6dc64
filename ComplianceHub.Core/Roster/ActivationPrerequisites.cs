namespace ComplianceHub.Core.Roster;

/// <summary>
/// A condition an employee must meet before one of their numbers may be active (the messaging policy
/// acknowledged, required training current). Each returns why not, or null. Registered by the features
/// that own the condition.
/// </summary>
public interface IAuthorizationPrerequisite
{
    Task<string?> BlockingReasonAsync(Person employee, CancellationToken ct);
}

/// <summary>Every registered <see cref="IAuthorizationPrerequisite"/>, asked in turn: the first reason found blocks activation.</summary>
public sealed class ActivationPrerequisites(IEnumerable<IAuthorizationPrerequisite> prerequisites)
{
    public async Task<string?> BlockingReasonAsync(Person employee, CancellationToken ct)
    {
        foreach (var prerequisite in prerequisites)
        {
            if (await prerequisite.BlockingReasonAsync(employee, ct) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }
}
