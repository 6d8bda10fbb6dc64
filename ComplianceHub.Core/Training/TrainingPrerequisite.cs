using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Training;

/// <summary>
/// The roster's prerequisite for an active WhatsApp number: its owner's required courses are completed and current
/// (<see cref="TrainingObligations"/>). Without it a number is not activated, and an active one lapses (the roster's lapse
/// check), when a required course is missing or its completion has expired. An owner without a sign-in account is held
/// back by a required course assigned to them as the roster knows them (everyone, their department, their work e-mail).
/// </summary>
public sealed class TrainingPrerequisite(IDbContextFactory<ComplianceHubDbContext> dbFactory, TrainingObligations obligations) : IAuthorizationPrerequisite
{
    public async Task<string?> BlockingReasonAsync(Person employee, CancellationToken ct)
    {
        string? userId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var required = await db.TrainingAssignments.AsNoTracking().Where(a => a.WithdrawnAt == null)
                .Join(db.Courses.Where(c => c.RetiredAt == null && c.IsRequired), a => a.CourseId, c => c.Id, (a, c) => new { a.AudienceKind, a.AudienceValues, c.Title })
                .ToListAsync(ct);
            if (required.Count == 0)
            {
                return null;
            }

            userId = employee.UserId ?? (employee.WorkEmail is { } email
                ? await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => u.Id).FirstOrDefaultAsync(ct)
                : null);
            if (userId is null)
            {
                var owed = required.Where(r => Audience.From(r.AudienceKind, r.AudienceValues)
                    .Includes(employee.WorkEmail, roles: [], employee.Department is { } department ? [department] : [])).Select(r => r.Title).Distinct().ToList();
                return owed.Count == 0
                    ? null
                    : $"{employee.Name} has no sign-in account with which to complete {string.Join(", ", owed.Select(t => $"\u201C{t}\u201D"))}.";
            }
        }

        var missing = (await obligations.ForUserAsync(userId, ct)).Where(o => o.IsRequired && !o.IsCompleted).ToList();
        return missing.Count == 0
            ? null
            : $"{employee.Name} has not completed {string.Join(", ", missing.Select(o => o.ExpiresAt is { } expired
                ? $"\u201C{o.Title}\u201D (expired {expired.UtcDateTime:yyyy-MM-dd})"
                : $"\u201C{o.Title}\u201D"))}.";
    }
}
