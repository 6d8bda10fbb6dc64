using ComplianceHub.Core;
using ComplianceHub.Core.Storage;
using ComplianceHub.Web.Components;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Web.Endpoints;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.FileProviders;
using MudBlazor;
using MudBlazor.Services;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// The portal as one web application: services, middleware and endpoints. <c>Program</c> runs it;
/// <c>bench webhook</c> starts the same application on loopback to measure it.
/// </summary>
internal static class PortalApplication
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.PreventDuplicates = false;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
        });
        // ASP.NET Core's request lines carry the whole query string, and the webhook handshake puts its verify token
        // there: they stay out of the log whatever level is configured (the reverse proxy's access log has requests).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        var storage = StorageSettings.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddComplianceHubCore(storage)
            .AddSignInManager<AuditingSignInManager>()
            .AddClaimsPrincipalFactory<TwoFactorSetup.ClaimsFactory>()
            .AddDefaultTokenProviders();
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddBackgroundWalCheckpoints();
        builder.Services.AddHostedService<WalCheckpointWorker>();
        builder.Services.AddHostedService<CaptureWorker>();
        builder.Services.AddHostedService<WebhookRefusalsWorker>();
        builder.Services.AddHostedService<MediaDownloadWorker>();
        builder.Services.AddHostedService<RosterMonitorWorker>();
        builder.Services.AddHostedService<ExportWorker>();
        builder.Services.AddHostedService<NotificationWorker>();
        builder.Services.AddHostedService<IntegrityWorker>();
        builder.Services.AddHostedService<DispositionWorker>();
        builder.Services.AddHostedService<SignInThrottleWorker>();
        // Keys for auth cookies and antiforgery live beside the data, so sessions survive a restart, sealed under the archive key.
        builder.Services.AddDataProtection()
            .SetApplicationName("ComplianceHub")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(storage.DataDirectory, "keys")))
            .ProtectKeysWithArchiveKey();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IdentityRedirectManager>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.Cookie.Name = "ComplianceHub.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
        });
        builder.Services.AddComplianceHubAuthorization();
        builder.Services.AddScoped<ClientAddress>();
        builder.Services.AddScoped<CurrentActor>();
        builder.Services.AddTransient<ComplianceHub.Web.Components.Shared.PageAction>();
        builder.Services.AddSingleton<AccessDeniedAudit>();
        builder.Services.AddHttpContextAccessor();
        var behindProxy = ReverseProxySettings.Configure(builder.Services, builder.Configuration);
        var app = builder.Build();
        if (behindProxy)
        {
            // First, so that everything after sees the client's address, scheme and host.
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            // No developer exception page, no diagnostic endpoints outside Development.
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseSecurityHeaders();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets")),
            RequestPath = "/assets",
        });
        // Explicit order: static assets before routing, so the fallback policy never covers them.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapArchiveEndpoints();
        app.MapRosterEndpoints();
        app.MapExportEndpoints();
        app.MapPolicyEndpoints();
        app.MapTrainingEndpoints();
        app.MapWhatsAppWebhook();
        return app;
    }
}
