using System.Security.Claims;
using Bunit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// bUnit with MudBlazor, the portal's real authorization policies, a signed-in user with the given
/// roles, and the real Core services of a <see cref="TestHost"/> on SQLite.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    private TestHost? _host;

    protected TestHost Host => _host ?? throw new InvalidOperationException("InitializeAsync has not run.");

    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async ValueTask InitializeAsync()
    {
        _host = await TestHost.StartAsync(DatabaseProvider.Sqlite, HostSettings);
    }

    /// <summary>Configuration for the Core host (for example the WhatsApp section).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? HostSettings => null;

    /// <summary>Registers services for a user with <paramref name="roles"/>; call once, before rendering.</summary>
    protected void SignInAs(string email, params string[] roles)
    {
        Services.AddMudServices(options =>
        {
            options.PopoverOptions.CheckForPopoverProvider = false;
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        foreach (var descriptor in CoreServiceDescriptors())
        {
            Services.Add(descriptor);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "user-" + email), new Claim(ClaimTypes.Name, email), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            authenticationType: "Test");
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationStateProvider(new ClaimsPrincipal(identity)));
        Services.AddCascadingAuthenticationState();
        Services.AddComplianceHubAuthorization();
        // bUnit registers placeholders that throw; the portal's real policies evaluate instead.
        Services.Replace(ServiceDescriptor.Transient<IAuthorizationService, DefaultAuthorizationService>());
        Services.Replace(ServiceDescriptor.Transient<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>());
        Services.AddScoped<ClientAddress>();
        Services.AddScoped<CurrentActor>();
        Services.AddTransient<ComplianceHub.Web.Components.Shared.PageAction>();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Where dialogs opened by the page render.</summary>
    protected IRenderedComponent<MudDialogProvider>? DialogProvider { get; private set; }

    /// <summary>Renders a component inside the providers a page expects from MainLayout.</summary>
    protected IRenderedComponent<TComponent> RenderWithProviders<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameters = null)
        where TComponent : IComponent
    {
        Render<MudPopoverProvider>();
        DialogProvider = Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        return Render(parameters);
    }

    private IEnumerable<ServiceDescriptor> CoreServiceDescriptors()
    {
        // The host's singletons, shared so the component sees the same database and clock.
        yield return ServiceDescriptor.Singleton(Host.Get<TimeProvider>());
        foreach (var type in new[]
        {
            typeof(Microsoft.EntityFrameworkCore.IDbContextFactory<ComplianceHubDbContext>),
            typeof(ComplianceHub.Core.Audit.AuditLog),
            typeof(ComplianceHub.Core.Audit.AuditQueryService),
            typeof(ComplianceHub.Core.Audit.IntegrityVerificationService),
            typeof(ComplianceHub.Core.Integrity.CheckpointService),
            typeof(ComplianceHub.Core.Dashboard.DashboardService),
            typeof(UserAdministrationService),
            typeof(ComplianceHub.Core.Archive.Capture.CaptureMonitor),
            typeof(ComplianceHub.Core.Archive.Capture.WebhookRefusals),
            typeof(ComplianceHub.Core.Archive.Capture.WebhookProcessor),
            typeof(ComplianceHub.Core.Archive.Capture.MediaDownloader),
            typeof(ComplianceHub.Core.Archive.Capture.WebhookSignal),
            typeof(ComplianceHub.Core.Roster.RosterMonitor),
            typeof(ComplianceHub.Core.Roster.RosterQueryService),
            typeof(ComplianceHub.Core.Roster.RosterImportService),
            typeof(ComplianceHub.Core.Roster.RosterService),
            typeof(ComplianceHub.Core.Roster.OfficialGroupService),
            typeof(ComplianceHub.Core.Roster.GroupParticipantImportService),
            typeof(ComplianceHub.Core.Roster.RecertificationService),
            typeof(ComplianceHub.Core.Archive.ArchiveQueryService),
            typeof(ComplianceHub.Core.LegalHolds.LegalHoldService),
            typeof(ComplianceHub.Core.HoldNotices.HoldNoticeService),
            typeof(ComplianceHub.Core.Exports.ExportJobService),
            typeof(ComplianceHub.Core.Search.LegalHoldFromSearchService),
            typeof(ComplianceHub.Core.Search.MessageSearchService),
            typeof(ComplianceHub.Core.Search.SavedSearchService),
            typeof(ComplianceHub.Core.Transcripts.TranscriptService),
            typeof(ComplianceHub.Core.Archive.Ingestion.ExportImportService),
            typeof(ComplianceHub.Core.Archive.Ingestion.ImportStaging),
            typeof(ComplianceHub.Core.Policies.PolicyService),
            typeof(ComplianceHub.Core.Policies.PolicyObligations),
            typeof(ComplianceHub.Core.Policies.PolicyReport),
            typeof(ComplianceHub.Core.Policies.PolicyReminders),
            typeof(ComplianceHub.Core.Notifications.NotificationService),
            typeof(ComplianceHub.Core.Training.TrainingService),
            typeof(ComplianceHub.Core.Training.TrainingObligations),
            typeof(ComplianceHub.Core.Training.TrainingReport),
            typeof(ComplianceHub.Core.Training.QuizService),
            typeof(ComplianceHub.Core.Training.SeminarService),
            typeof(ComplianceHub.Core.Training.Scorm.ScormService),
        })
        {
            yield return ServiceDescriptor.Singleton(type, Host.Services.GetRequiredService(type));
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class FixedAuthenticationStateProvider(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
