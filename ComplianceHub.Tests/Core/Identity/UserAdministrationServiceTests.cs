using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Tests.Core.Identity;

public abstract class UserAdministrationServiceTests(DatabaseProvider provider)
{
    private static readonly AuditActor Admin = new("admin-id", "admin@example.com", "192.0.2.1");
    private const string Password = "Correct-Horse-42!";

    private static CreateUserRequest Request(string email = "carol@example.com", params string[] roles) => new()
    {
        Email = email,
        DisplayName = "Carol Compliance",
        Password = Password,
        Roles = roles.Length == 0 ? [Roles.ComplianceOfficer] : [.. roles],
    };

    private static async Task<List<AuditEvent>> AuditAsync(TestHost host)
    {
        await using var db = await host.CreateDbContextAsync();
        return await db.AuditEvents.OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task CreateUser_StoresAccountWithRoles_AndAuditsIt()
    {
        await using var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();

        var id = await users.CreateUserAsync(Request("carol@example.com", Roles.ComplianceOfficer, Roles.Auditor), Admin, TestContext.Current.CancellationToken);

        var listed = (await users.ListUsersAsync(TestContext.Current.CancellationToken)).Single();
        listed.Id.ShouldBe(id);
        listed.Email.ShouldBe("carol@example.com");
        listed.Roles.ShouldBe(["Auditor", "ComplianceOfficer"]);
        listed.IsLockedOut.ShouldBeFalse();
        var created = (await AuditAsync(host)).Single();
        created.Type.ShouldBe(AuditEventType.UserCreated);
        created.SubjectId.ShouldBe(id);
        created.ActorName.ShouldBe("admin@example.com");
        created.Details!.ShouldContain("ComplianceOfficer");
        created.Details!.ShouldNotContain(Password);
    }

    [Fact]
    public async Task CreateUser_DuplicateEmail_IsRefusedAndNothingIsStoredOrAudited()
    {
        await using var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();
        await users.CreateUserAsync(Request("carol@example.com"), Admin, TestContext.Current.CancellationToken);

        var ex = await Should.ThrowAsync<ComplianceRuleException>(() =>
            users.CreateUserAsync(Request("Carol@Example.com"), Admin, TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("Carol@Example.com");
        (await users.CountUsersAsync(TestContext.Current.CancellationToken)).ShouldBe(1);
        (await AuditAsync(host)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task CreateUser_WeakPassword_SaysWhatIsMissingAndStoresNothing()
    {
        await using var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();
        var request = Request();
        request.Password = "short";

        var ex = await Should.ThrowAsync<ComplianceRuleException>(() => users.CreateUserAsync(request, Admin, TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("at least 12 characters");
        (await users.CountUsersAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        (await AuditAsync(host)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateUser_UnknownRole_IsRefused()
    {
        await using var host = await TestHost.StartAsync(provider);

        var ex = await Should.ThrowAsync<ComplianceRuleException>(() =>
            host.Get<UserAdministrationService>().CreateUserAsync(Request("x@example.com", "Superuser"), Admin, TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("'Superuser' is not a role");
    }

    [Fact]
    public async Task SetRoles_ReplacesRoles_AndAuditsWhatWasAddedAndRemoved()
    {
        await using var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();
        var id = await users.CreateUserAsync(Request(), Admin, TestContext.Current.CancellationToken);

        await users.SetRolesAsync(id, [Roles.HrManager], Admin, TestContext.Current.CancellationToken);

        (await users.ListUsersAsync(TestContext.Current.CancellationToken)).Single().Roles.ShouldBe(["HrManager"]);
        var changed = (await AuditAsync(host)).Last();
        changed.Type.ShouldBe(AuditEventType.UserRolesChanged);
        changed.Details.ShouldBe("{\"email\":\"carol@example.com\",\"added\":[\"HrManager\"],\"removed\":[\"ComplianceOfficer\"]}");
    }

    [Fact]
    public async Task SetRoles_RemovingOwnAdministratorRole_IsRefused()
    {
        await using var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();
        var id = await users.CreateUserAsync(Request("root@example.com", Roles.Administrator), Admin, TestContext.Current.CancellationToken);
        var self = new AuditActor(id, "root@example.com", null);

        await Should.ThrowAsync<ComplianceRuleException>(() => users.SetRolesAsync(id, [Roles.Employee], self, TestContext.Current.CancellationToken));

        (await users.ListUsersAsync(TestContext.Current.CancellationToken)).Single().Roles.ShouldBe(["Administrator"]);
    }

    [Fact]
    public async Task LockAndUnlock_BlockThenAllowPasswordSignIn_AndAreAudited()
    {
        await using var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();
        var id = await users.CreateUserAsync(Request(), Admin, TestContext.Current.CancellationToken);

        await users.LockAsync(id, "left the firm", Admin, TestContext.Current.CancellationToken);
        (await users.ListUsersAsync(TestContext.Current.CancellationToken)).Single().IsLockedOut.ShouldBeTrue();
        (await IsLockedOutAsync(host, id)).ShouldBeTrue();

        await users.UnlockAsync(id, Admin, TestContext.Current.CancellationToken);
        (await users.ListUsersAsync(TestContext.Current.CancellationToken)).Single().IsLockedOut.ShouldBeFalse();
        (await IsLockedOutAsync(host, id)).ShouldBeFalse();

        (await AuditAsync(host)).Select(e => e.Type).ShouldBe([AuditEventType.UserCreated, AuditEventType.UserLocked, AuditEventType.UserUnlocked]);
        (await AuditAsync(host))[1].Details!.ShouldContain("left the firm");
    }

    [Fact]
    public async Task Lock_WithoutReasonOrOwnAccount_IsRefused()
    {
        await using var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();
        var id = await users.CreateUserAsync(Request(), Admin, TestContext.Current.CancellationToken);

        await Should.ThrowAsync<ComplianceRuleException>(() => users.LockAsync(id, " ", Admin, TestContext.Current.CancellationToken));
        await Should.ThrowAsync<ComplianceRuleException>(() => users.LockAsync(id, "testing", new AuditActor(id, "carol", null), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ResetPassword_NewPasswordWorks_OldDoesNot_AndIsAuditedWithoutThePassword()
    {
        await using var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();
        var id = await users.CreateUserAsync(Request(), Admin, TestContext.Current.CancellationToken);

        await users.ResetPasswordAsync(id, "Another-Secret-77?", Admin, TestContext.Current.CancellationToken);

        await using var scope = host.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await manager.FindByIdAsync(id))!;
        (await manager.CheckPasswordAsync(user, "Another-Secret-77?")).ShouldBeTrue();
        (await manager.CheckPasswordAsync(user, Password)).ShouldBeFalse();
        var reset = (await AuditAsync(host)).Last();
        reset.Type.ShouldBe(AuditEventType.PasswordResetByAdministrator);
        reset.Details!.ShouldNotContain("Another-Secret");
    }

    [Fact]
    public async Task SeedDemo_CreatesOneAccountPerRole_AndIsIdempotent()
    {
        await using var host = await TestHost.StartAsync(provider);
        var seeder = host.Get<DemoDataSeeder>();

        var first = await seeder.SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        var second = await seeder.SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);

        first.CreatedAccounts.Count.ShouldBe(Roles.All.Count);
        second.CreatedAccounts.ShouldBeEmpty();
        var listed = await host.Get<UserAdministrationService>().ListUsersAsync(TestContext.Current.CancellationToken);
        listed.SelectMany(u => u.Roles).Order().ShouldBe(Roles.All.Order());
        (await AuditAsync(host)).Count(e => e.Type == AuditEventType.DemoDataSeeded).ShouldBe(1);
    }

    private static async Task<bool> IsLockedOutAsync(TestHost host, string id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await manager.IsLockedOutAsync((await manager.FindByIdAsync(id))!);
    }
}

public sealed class SqliteUserAdministrationServiceTests() : UserAdministrationServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresUserAdministrationServiceTests() : UserAdministrationServiceTests(DatabaseProvider.Postgres);
