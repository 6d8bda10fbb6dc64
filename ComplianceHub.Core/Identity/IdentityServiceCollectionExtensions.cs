using ComplianceHub.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>Failed sign-ins before an account is locked.</summary>
    public const int MaxFailedAccessAttempts = 5;

    public static TimeSpan LockoutDuration { get; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Identity on our DbContext with the product's password and lockout policy. The web host adds the
    /// sign-in manager and token providers on top; the command line uses it as is.
    /// </summary>
    public static IdentityBuilder AddComplianceHubIdentityCore(this IServiceCollection services)
    {
        var builder = services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;

                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = true;
                options.Password.RequireNonAlphanumeric = true;
                options.Password.RequiredUniqueChars = 6;

                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = MaxFailedAccessAttempts;
                options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ComplianceHubDbContext>();
        services.AddOptions<SignInSecurityOptions>().BindConfiguration(SignInSecurityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<UserAdministrationService>();
        services.AddSingleton<IAfterMigrations, RoleSeeding>();
        return builder;
    }
}
