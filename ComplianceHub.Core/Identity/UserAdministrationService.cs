using System.ComponentModel.DataAnnotations;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Identity;

/// <summary>
/// What an administrator does to sign-in accounts: create, assign roles, lock, unlock, reset passwords.
/// Each operation runs in its own DI scope (a fresh DbContext and UserManager, safe in a long-lived
/// Blazor circuit) and one transaction with its audit record.
/// </summary>
public sealed class UserAdministrationService(IServiceScopeFactory scopeFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>Lists every account with its roles and lockout state, by display name.</summary>
    public async Task<IReadOnlyList<UserSummary>> ListUsersAsync(CancellationToken ct = default)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceHubDbContext>();
        var now = clock.GetUtcNow();
        var users = await db.Users.AsNoTracking().ToListAsync(ct);
        var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name!, ct);
        var userRoles = (await db.UserRoles.AsNoTracking().ToListAsync(ct))
            .ToLookup(ur => ur.UserId, ur => roleNames[ur.RoleId]);

        return users
            .Select(u => new UserSummary(
                u.Id, u.Email ?? "", u.DisplayName, userRoles[u.Id].Order(StringComparer.Ordinal).ToList(),
                u.LockoutEnd is { } end && end > now, u.LockoutEnd, u.AccessFailedCount, u.CreatedAt, u.LastSignInAt,
                u.TwoFactorEnabled))
            .OrderBy(u => u.DisplayName, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public async Task<int> CountUsersAsync(CancellationToken ct = default)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceHubDbContext>();
        return await db.Users.CountAsync(ct);
    }

    /// <summary>Creates an account with an initial password and roles. The e-mail must be unused.</summary>
    public async Task<string> CreateUserAsync(CreateUserRequest request, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateRoles(request.Roles);
        var email = request.Email.Trim();
        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim();

        return await InTransactionAsync(async (users, db) =>
        {
            var user = new ApplicationUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = displayName,
                CreatedAt = clock.GetUtcNow(),
            };
            Check(await users.CreateAsync(user, request.Password), "create the user");
            Check(await users.AddToRolesAsync(user, request.Roles.Order(StringComparer.Ordinal)), "assign roles");
            audit.Record(db, AuditEventType.UserCreated, actor, AuditSubject.User(user.Id), new
            {
                email,
                displayName,
                roles = request.Roles.Order(StringComparer.Ordinal),
            });
            await db.SaveChangesAsync(ct);
            return user.Id;
        }, ct);
    }

    /// <summary>Replaces an account's roles. An administrator cannot remove their own Administrator role.</summary>
    public async Task SetRolesAsync(string userId, IReadOnlyCollection<string> roles, AuditActor actor, CancellationToken ct = default)
    {
        ValidateRoles(roles);
        if (userId == actor.UserId && !roles.Contains(Roles.Administrator))
        {
            throw new ComplianceRuleException("You cannot remove your own Administrator role; ask another administrator.");
        }

        await InTransactionAsync<bool>(async (users, db) =>
        {
            var user = await FindAsync(users, userId);
            var current = await users.GetRolesAsync(user);
            var toRemove = current.Except(roles, StringComparer.Ordinal).ToList();
            var toAdd = roles.Except(current, StringComparer.Ordinal).ToList();
            if (toRemove.Count == 0 && toAdd.Count == 0)
            {
                return false;
            }

            if (toRemove.Count > 0)
            {
                Check(await users.RemoveFromRolesAsync(user, toRemove), "remove roles");
            }

            if (toAdd.Count > 0)
            {
                Check(await users.AddToRolesAsync(user, toAdd), "add roles");
            }

            audit.Record(db, AuditEventType.UserRolesChanged, actor, AuditSubject.User(user.Id), new
            {
                email = user.Email,
                added = toAdd.Order(StringComparer.Ordinal),
                removed = toRemove.Order(StringComparer.Ordinal),
            });
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }

    /// <summary>Locks an account until an administrator unlocks it. Administrators cannot lock themselves out.</summary>
    public async Task LockAsync(string userId, string reason, AuditActor actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ComplianceRuleException("Give a reason for locking the account.");
        }

        if (userId == actor.UserId)
        {
            throw new ComplianceRuleException("You cannot lock your own account.");
        }

        await InTransactionAsync<bool>(async (users, db) =>
        {
            var user = await FindAsync(users, userId);
            Check(await users.SetLockoutEnabledAsync(user, true), "enable lockout");
            Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue), "lock the account");
            audit.Record(db, AuditEventType.UserLocked, actor, AuditSubject.User(user.Id), new { email = user.Email, reason = reason.Trim() });
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }

    /// <summary>Lifts a lockout (administrative or after failed sign-ins) and clears the failure count.</summary>
    public async Task UnlockAsync(string userId, AuditActor actor, CancellationToken ct = default)
    {
        await InTransactionAsync<bool>(async (users, db) =>
        {
            var user = await FindAsync(users, userId);
            Check(await users.SetLockoutEndDateAsync(user, null), "unlock the account");
            Check(await users.ResetAccessFailedCountAsync(user), "reset failed sign-ins");
            audit.Record(db, AuditEventType.UserUnlocked, actor, AuditSubject.User(user.Id), new { email = user.Email });
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }

    /// <summary>Sets a new password chosen by the administrator; the user's other sessions end at their next validation.</summary>
    public async Task ResetPasswordAsync(string userId, string newPassword, AuditActor actor, CancellationToken ct = default)
    {
        await InTransactionAsync<bool>(async (users, db) =>
        {
            var user = await FindAsync(users, userId);
            // Remove-then-add inside the transaction: a password the policy rejects leaves the old one in place.
            Check(await users.RemovePasswordAsync(user), "reset the password");
            Check(await users.AddPasswordAsync(user, newPassword), "reset the password");
            audit.Record(db, AuditEventType.PasswordResetByAdministrator, actor, AuditSubject.User(user.Id), new { email = user.Email });
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }

    private async Task<T> InTransactionAsync<T>(
        Func<UserManager<ApplicationUser>, ComplianceHubDbContext, Task<T>> work, CancellationToken ct)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceHubDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await work(users, db);
        await transaction.CommitAsync(ct);
        return result;
    }

    private static async Task<ApplicationUser> FindAsync(UserManager<ApplicationUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw new ComplianceRuleException("That user no longer exists.");

    private static void ValidateRoles(IReadOnlyCollection<string> roles)
    {
        if (roles.Count == 0)
        {
            throw new ComplianceRuleException("Choose at least one role.");
        }

        var unknown = roles.FirstOrDefault(r => !Roles.IsKnown(r));
        if (unknown is not null)
        {
            throw new ComplianceRuleException($"'{unknown}' is not a role. Roles: {string.Join(", ", Roles.All)}.");
        }
    }

    private static void Check(IdentityResult result, string action)
    {
        if (!result.Succeeded)
        {
            throw new ComplianceRuleException(
                $"Could not {action}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}

public sealed record UserSummary(
    string Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    bool IsLockedOut,
    DateTimeOffset? LockoutEnd,
    int AccessFailedCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt,
    bool TwoFactorEnabled)
{
    /// <summary>Locked by an administrator (no end date), as opposed to a temporary lockout after failed sign-ins.</summary>
    public bool IsLockedIndefinitely => IsLockedOut && LockoutEnd is { Year: >= 9999 };
}

public sealed class CreateUserRequest
{
    [Required, EmailAddress, MaxLength(256)]
    public string Email { get; set; } = "";

    [Required, MaxLength(128)]
    public string DisplayName { get; set; } = "";

    [Required, MinLength(12, ErrorMessage = "At least 12 characters.")]
    public string Password { get; set; } = "";

    [MinLength(1, ErrorMessage = "Choose at least one role.")]
    public HashSet<string> Roles { get; set; } = [Identity.Roles.Employee];
}
