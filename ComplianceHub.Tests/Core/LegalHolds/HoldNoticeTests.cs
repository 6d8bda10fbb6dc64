using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.HoldNotices;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.LegalHolds;

/// <summary>
/// Legal-hold notices on both providers: issued to the hold's custodians with accounts (named, and those of the conversations
/// it names), acknowledged as a policy is signed, versioned (an amendment is acknowledged again), reminded, released with a
/// notice; acknowledgements immutable and audited.
/// </summary>
public abstract class HoldNoticeTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.0.0.1");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HoldNoticeSignature Signature(string name) => new(name, true, true, "192.0.2.10", "test");

    private async Task<(TestHost Host, AuditActor Emma, AuditActor Sam, long Hold)> HoldWithCustodiansAsync()
    {
        var host = await TestHost.StartAsync(provider);
        var users = host.Get<UserAdministrationService>();
        async Task<AuditActor> UserAsync(string email, string name) => new(await users.CreateUserAsync(new CreateUserRequest
        {
            Email = email, DisplayName = name, Password = "Long-enough-Password-2026!", Roles = [Roles.Employee],
        }, Officer, Ct), email, "192.0.2.10");
        var emma = await UserAsync("emma@example.com", "Emma Employee");
        var sam = await UserAsync("sam@example.com", "Sam Patel");

        // Sam keeps a conversation the hold names; Emma is a named custodian; nobody@ has no account.
        using var files = new ExportFiles();
        await host.Get<ExportImportService>().ImportAsync(files.Text("WhatsApp Chat with Pat Doe.txt", "[05/01/2025, 10:00:00] Pat Doe: Hello\r\n"),
            "WhatsApp Chat with Pat Doe.txt", new ImportOptions("Europe/London", "sam@example.com"), Officer, ct: Ct);
        long conversation;
        await using (var db = await host.CreateDbContextAsync())
        {
            conversation = await db.Conversations.Select(c => c.Id).SingleAsync(Ct);
        }

        var hold = await host.Get<LegalHoldService>().PlaceAsync(
            new LegalHoldDraft("Doe v. Firm", "M-12", "Pat's dealings", [conversation], ["emma@example.com", "nobody@example.com"], null, null), Officer, Ct);
        return (host, emma, sam, hold);
    }

    [Fact]
    public async Task ANotice_ReachesEachCustodianWithAnAccount_WhoAcknowledgesItAsAPolicyIsSigned()
    {
        var (host, emma, sam, hold) = await HoldWithCustodiansAsync();
        await using var _ = host;
        var notices = host.Get<HoldNoticeService>();

        var notice = await notices.IssueAsync(hold, HoldNoticeService.DefaultText("Doe v. Firm", "M-12"), Officer, Ct);
        notice.Version.ShouldBe(1);
        var status = (await notices.ForHoldAsync(hold, Ct)).Single();
        status.Recipients.Select(r => r.Email).ShouldBe(["emma@example.com", "sam@example.com"], ignoreOrder: true);
        (await notices.PendingForAsync(emma.UserId!, Ct)).Single().NoticeId.ShouldBe(notice.Id);
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.Notifications.CountAsync(n => n.Category == HoldNoticeService.Category && n.Period == "issued", Ct)).ShouldBe(2);
        }

        (await Should.ThrowAsync<ComplianceRuleException>(() => notices.AcknowledgeAsync(notice.Id, Signature("Emma Employee") with { ReachedEnd = false }, emma, Ct)))
            .Message.ShouldContain("to its end");
        (await Should.ThrowAsync<ComplianceRuleException>(() => notices.AcknowledgeAsync(notice.Id, Signature("Emma Employee") with { Agreed = false }, emma, Ct)))
            .Message.ShouldContain("will preserve what it asks");
        (await Should.ThrowAsync<ComplianceRuleException>(() => notices.AcknowledgeAsync(notice.Id, Signature("Emma Smith"), emma, Ct)))
            .Message.ShouldContain("does not match your profile's full name");
        (await Should.ThrowAsync<ComplianceRuleException>(() => notices.AcknowledgeAsync(notice.Id, Signature("Officer"), Officer, Ct)))
            .Message.ShouldContain("not sent to you");

        var acknowledged = await notices.AcknowledgeAsync(notice.Id, Signature("  emma   EMPLOYEE "), emma, Ct);
        (acknowledged.FullName, acknowledged.TextSha256).ShouldBe(("Emma Employee", notice.TextSha256));
        (await notices.PendingForAsync(emma.UserId!, Ct)).ShouldBeEmpty();
        (await notices.PendingForAsync(sam.UserId!, Ct)).Count.ShouldBe(1);
        (await Should.ThrowAsync<ComplianceRuleException>(() => notices.AcknowledgeAsync(notice.Id, Signature("Emma Employee"), emma, Ct))).Message.ShouldContain("You acknowledged");
        (await notices.ForHoldAsync(hold, Ct)).Single().Acknowledged.ShouldBe(1);

        // Immutable and audited.
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync("UPDATE \"HoldNoticeAcknowledgements\" SET \"FullName\" = 'Someone else'"));
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync("DELETE FROM \"HoldNotices\""));
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.LegalHoldNoticeIssued, Ct)).ShouldBe(1);
            (await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.LegalHoldNoticeAcknowledged, Ct)).ActorName.ShouldBe("emma@example.com");
        }
    }

    [Fact]
    public async Task AnAmendedNotice_IsAcknowledgedAgain_RemindersGoToThoseWhoHaveNot_AndReleaseTellsEveryone()
    {
        var (host, emma, sam, hold) = await HoldWithCustodiansAsync();
        await using var _ = host;
        var notices = host.Get<HoldNoticeService>();
        var first = await notices.IssueAsync(hold, "Keep every chat with Pat Doe.", Officer, Ct);
        await notices.AcknowledgeAsync(first.Id, Signature("Emma Employee"), emma, Ct);

        var second = await notices.IssueAsync(hold, "Keep every chat with Pat Doe, and the voice notes too.", Officer, Ct);
        second.Version.ShouldBe(2);
        (await notices.PendingForAsync(emma.UserId!, Ct)).Single().NoticeId.ShouldBe(second.Id);
        (await Should.ThrowAsync<ComplianceRuleException>(() => notices.AcknowledgeAsync(first.Id, Signature("Sam Patel"), sam, Ct))).Message.ShouldContain("amended");

        // Reminders: one each this period to the two who owe the latest version, none twice.
        (await notices.SendDueAsync(Ct)).ShouldBe(2);
        (await notices.SendDueAsync(Ct)).ShouldBe(0);
        await notices.AcknowledgeAsync(second.Id, Signature("Sam Patel"), sam, Ct);

        // Released: nothing is owed any more, and everyone sent a notice is told, once.
        await host.Get<LegalHoldService>().ReleaseAsync(hold, "Settled", Officer, Ct);
        (await notices.PendingForAsync(emma.UserId!, Ct)).ShouldBeEmpty();
        (await notices.NotifyReleaseAsync(hold, Ct)).ShouldBe(2);
        (await notices.SendDueAsync(Ct)).ShouldBe(0);
        (await Should.ThrowAsync<ComplianceRuleException>(() => notices.IssueAsync(hold, "More", Officer, Ct))).Message.ShouldContain("released");
        await using var db = await host.CreateDbContextAsync();
        (await db.Notifications.CountAsync(n => n.Title.StartsWith("Legal hold released"), Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task AHoldWhoseCustodiansHaveNoAccount_CannotSendANotice()
    {
        await using var host = await TestHost.StartAsync(provider);
        var hold = await host.Get<LegalHoldService>().PlaceAsync(new LegalHoldDraft("H", null, "d", [], ["nobody@example.com"], null, null), Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => host.Get<HoldNoticeService>().IssueAsync(hold, "Keep it all", Officer, Ct)))
            .Message.ShouldContain("None of this hold's custodians has a sign-in account");
        (await Should.ThrowAsync<ComplianceRuleException>(() => host.Get<HoldNoticeService>().IssueAsync(hold, "  ", Officer, Ct))).Message.ShouldContain("needs its text");
    }
}

public sealed class SqliteHoldNoticeTests() : HoldNoticeTests(DatabaseProvider.Sqlite);

public sealed class PostgresHoldNoticeTests() : HoldNoticeTests(DatabaseProvider.Postgres);
