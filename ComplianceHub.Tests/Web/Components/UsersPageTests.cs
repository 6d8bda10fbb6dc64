using Bunit;
using TestContext = Xunit.TestContext;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Administration;
using Microsoft.AspNetCore.Components;

namespace ComplianceHub.Tests.Web.Components;

public sealed class UsersPageTests : ComponentTestContext
{
    [Fact]
    public async Task UsersPage_ListsAccountsWithRolesAndLockState()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        var users = Host.Get<UserAdministrationService>();
        var employee = (await users.ListUsersAsync(TestContext.Current.CancellationToken)).Single(u => u.Email == "employee@example.com");
        await users.LockAsync(employee.Id, "on leave", AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs("admin@example.com", Roles.Administrator);

        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=user-email]").Count.ShouldBe(5));
        cut.FindAll("[data-testid=user-email]").Select(e => e.TextContent).ShouldContain("hr@example.com");
        cut.FindAll("[data-testid=status-locked]").Count.ShouldBe(1);
        cut.Find("[data-testid=status-locked]").TextContent.Trim().ShouldBe("Locked");
    }

    [Fact]
    public async Task CreateUserDialog_WithAnEmailAlreadyTaken_ShowsTheReasonAndKeepsTheDialogOpen()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs("admin@example.com", Roles.Administrator);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=user-email]").Count.ShouldBe(5));

        await cut.InvokeAsync(() => cut.Find("[data-testid=create-user]").Click());
        var dialogs = DialogProvider!.FindComponents<CreateUserDialog>();
        dialogs.Count.ShouldBe(1);
        var dialog = dialogs[0];
        await dialog.Find("input[data-testid=new-user-name]").InputAsync(new ChangeEventArgs { Value = "Second Hugo" });
        await dialog.Find("input[data-testid=new-user-email]").InputAsync(new ChangeEventArgs { Value = "hr@example.com" });
        await dialog.Find("input[data-testid=new-user-password]").InputAsync(new ChangeEventArgs { Value = "Good-Enough-2026!" });
        await dialog.InvokeAsync(() => dialog.Find("[data-testid=save-user]").Click());

        dialog.WaitForAssertion(() => dialog.Find("[data-testid=dialog-error]").TextContent.ShouldContain("already taken"));
        (await Host.Get<UserAdministrationService>().CountUsersAsync(TestContext.Current.CancellationToken)).ShouldBe(5);
    }
}
