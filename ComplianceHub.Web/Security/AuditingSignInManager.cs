using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Security;

/// <summary>
/// Identity's sign-in manager, with every sign-in, failed sign-in, lockout and sign-out written to the
/// audit trail in the same transaction as Identity's own bookkeeping (failure count, lockout end). Repeated failures
/// are answered by <see cref="SignInThrottle"/>'s progressive delays rather than by locking the account (so nobody can
/// lock another out by guessing); an attempt made before its wait is over gets a <see cref="ThrottledSignInResult"/>
/// and its password is not looked at. A password is hashed whether or not the e-mail address has an account, so the
/// answer takes as long either way and its timing says nothing about which addresses have accounts.
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
    SignInThrottle throttle,
    IOptions<SignInSecurityOptions> signInOptions,
    TimeProvider clock)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>A hash of a password nobody knows, checked against when there is no account to check against.</summary>
    private static string? s_standInHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var address = ClientAddress;
        if (throttle.WaitBeforeAttempt(address, userName) is { } wait)
        {
            throttle.Refused(address, userName);
            return new ThrottledSignInResult(wait);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = await UserManager.FindByNameAsync(userName);
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        SignInResult result;
        if (user is null || wasLockedOut)
        {
            // The same work as checking a real password, for an answer that takes as long.
            UserManager.PasswordHasher.VerifyHashedPassword(new ApplicationUser(), StandInHash(), password);
            result = user is null ? SignInResult.Failed : SignInResult.LockedOut;
        }
        else
        {
            result = await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        }

        Count(result, address, userName);
        await RecordAsync(result, user, userName, wasLockedOut, "password");
        await transaction.CommitAsync();
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        if (user is not null && throttle.WaitBeforeAttempt(ClientAddress, user.UserName!) is { } wait)
        {
            throttle.Refused(ClientAddress, user.UserName!);
            return new ThrottledSignInResult(wait);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (user is not null)
        {
            Count(result, ClientAddress, user.UserName!);
        }

        await RecordAsync(result, user, user?.UserName ?? "unknown", wasLockedOut, "authenticator");
        await transaction.CommitAsync();
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        if (user is not null && throttle.WaitBeforeAttempt(ClientAddress, user.UserName!) is { } wait)
        {
            throttle.Refused(ClientAddress, user.UserName!);
            return new ThrottledSignInResult(wait);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        if (user is not null)
        {
            Count(result, ClientAddress, user.UserName!);
        }

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

        var ip = ClientAddress;
        var subject = user is null ? null : AuditSubject.User(user.Id);
        if (result.Succeeded)
        {
            user!.LastSignInAt = clock.GetUtcNow();
            await UserManager.UpdateAsync(user);
            audit.Record(db, AuditEventType.SignInSucceeded, new AuditActor(user.Id, user.UserName!, ip), subject, new { method });
            if (signInOptions.Value.RequireTwoFactor && !user.TwoFactorEnabled
                && (await UserManager.GetRolesAsync(user)).Intersect(TwoFactorSetup.RequiredForRoles).FirstOrDefault() is { } role)
            {
                audit.Record(db, AuditEventType.TwoFactorSetupRequired, new AuditActor(user.Id, user.UserName!, ip), subject, new { role });
            }
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
                // Second-factor failures count towards the account's lockout; password failures towards the throttle's delays.
                failedAttempts = method == "password" ? (int?)null : user?.AccessFailedCount,
            });
        }

        await db.SaveChangesAsync();
    }

    private string? ClientAddress => Context.Connection.RemoteIpAddress?.ToString();

    private string StandInHash() =>
        s_standInHash ??= UserManager.PasswordHasher.HashPassword(new ApplicationUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    /// <summary>Tells the throttle: a right password (even one still owing its second factor) clears the account's count.</summary>
    private void Count(SignInResult result, string? address, string userName)
    {
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            throttle.Succeeded(userName);
        }
        else
        {
            throttle.Failed(address, userName);
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
