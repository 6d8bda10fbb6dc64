using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Security;

/// <summary>
/// Identity's sign-in manager, with every sign-in, failed sign-in, lockout and sign-out written to the
/// audit trail in the same transaction as Identity's own bookkeeping (failure count, lockout end).
/// </summary>
public sealed class AuditingSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    ComplianceHubDbContext db,
    AuditLog audit,
    TimeProvider clock)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = await UserManager.FindByNameAsync(userName);
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        var result = user is null
            ? SignInResult.Failed
            : await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        await RecordAsync(result, user, userName, wasLockedOut, "password");
        await transaction.CommitAsync();
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = await GetTwoFactorAuthenticationUserAsync();
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        await RecordAsync(result, user, user?.UserName ?? "unknown", wasLockedOut, "authenticator");
        await transaction.CommitAsync();
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = await GetTwoFactorAuthenticationUserAsync();
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        await RecordAsync(result, user, user?.UserName ?? "unknown", wasLockedOut, "recovery code");
        await transaction.CommitAsync();
        return result;
    }

    public override async Task SignOutAsync()
    {
        var principal = Context.User;
        await base.SignOutAsync();
        if (principal.Identity?.IsAuthenticated == true)
        {
            var actor = CurrentActor.From(Context);
            audit.Record(db, AuditEventType.SignedOut, actor, actor.UserId is { } id ? AuditSubject.User(id) : null);
            await db.SaveChangesAsync();
        }
    }

    private async Task RecordAsync(SignInResult result, ApplicationUser? user, string attemptedName, bool wasLockedOut, string method)
    {
        if (result.RequiresTwoFactor)
        {
            // The password was right; the sign-in completes (and is recorded) after the second factor.
            return;
        }

        var ip = Context.Connection.RemoteIpAddress?.ToString();
        var subject = user is null ? null : AuditSubject.User(user.Id);
        if (result.Succeeded)
        {
            user!.LastSignInAt = clock.GetUtcNow();
            await UserManager.UpdateAsync(user);
            audit.Record(db, AuditEventType.SignInSucceeded, new AuditActor(user.Id, user.UserName!, ip), subject, new { method });
        }
        else
        {
            var type = result.IsLockedOut && !wasLockedOut ? AuditEventType.AccountLockedOut
                : method == "password" ? AuditEventType.SignInFailed
                : AuditEventType.TwoFactorSignInFailed;
            var reason = result.IsLockedOut ? (wasLockedOut ? "account is locked" : "too many failed attempts")
                : result.IsNotAllowed ? "not allowed"
                : user is null ? "unknown user"
                : "wrong credentials";
            audit.Record(db, type, new AuditActor(user?.Id, user?.UserName ?? Truncate(attemptedName.Trim(), 256), ip), subject, new
            {
                method,
                reason,
                failedAttempts = user?.AccessFailedCount,
            });
        }

        await db.SaveChangesAsync();
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
