using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Policies;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Policies;

/// <summary>
/// A policy's versions (draft, published and frozen with its hash, superseded, retired), its Markdown rendered without
/// anything that runs, and an employee's signature (the end reached, the box ticked, the profile's name typed, once
/// per version, never changed afterwards), on both databases.
/// </summary>
public abstract class PolicyServiceTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.0.0.1");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Text = "# WhatsApp business use\n\nUse only your **registered** business number.\n";

    private static PolicyDraft Draft(string content = Text) => new(content, Audience.Everyone, DueDays: 14);

    [Fact]
    public async Task AVersion_IsFrozenAndHashedWhenPublished_TheNextSupersedesIt_AndRetiringEndsIt()
    {
        await using var host = await TestHost.StartAsync(provider);
        var policies = host.Get<PolicyService>();

        var documentId = await policies.CreateAsync("WhatsApp business use policy", Draft(), Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.CreateAsync(" WhatsApp business use policy ", Draft(), Officer, Ct)))
            .Message.ShouldContain("already a policy called");

        var first = await policies.PublishAsync(documentId, null, material: false, Officer, Ct);
        (first.Number, first.Status, first.IsMaterial).ShouldBe((1, PolicyVersionStatus.Published, true)); // the first version always counts
        first.ContentSha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text))));
        first.DueAt.ShouldBe(first.PublishedAt!.Value.AddDays(14));
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.PublishAsync(documentId, "again", false, Officer, Ct))).Message.ShouldContain("no draft");

        // The next version: a draft beside the one in force, published only with a summary of changes.
        var draftId = await policies.SaveDraftAsync(documentId, Draft(Text + "\nNever discuss client orders in personal chats.\n"), Officer, Ct);
        (await policies.SaveDraftAsync(documentId, Draft(Text + "\nNever discuss client orders in any personal chat.\n"), Officer, Ct)).ShouldBe(draftId);
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.PublishAsync(documentId, "  ", true, Officer, Ct))).Message.ShouldContain("summary");
        var second = await policies.PublishAsync(documentId, "Personal chats may not carry client orders.", material: true, Officer, Ct);
        second.Number.ShouldBe(2);

        await using (var db = await host.CreateDbContextAsync())
        {
            var versions = await db.PolicyVersions.Where(v => v.DocumentId == documentId).OrderBy(v => v.Number).ToListAsync(Ct);
            versions.Select(v => v.Status).ShouldBe([PolicyVersionStatus.Superseded, PolicyVersionStatus.Published]);
            versions[0].EndedAt.ShouldBe(second.PublishedAt);
            versions[1].Content.ShouldEndWith("any personal chat.\n");
        }

        await policies.RetireAsync(documentId, Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.SaveDraftAsync(documentId, Draft(), Officer, Ct))).Message.ShouldContain("retired");
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.PolicyVersions.SingleAsync(v => v.Id == second.Id, Ct)).Status.ShouldBe(PolicyVersionStatus.Retired);
            (await db.AuditEvents.Where(e => e.SubjectType == "PolicyDocument").Select(e => e.Type).ToListAsync(Ct)).ShouldBe(
            [
                AuditEventType.PolicyDraftSaved, AuditEventType.PolicyPublished, AuditEventType.PolicyDraftSaved, AuditEventType.PolicyDraftSaved,
                AuditEventType.PolicyPublished, AuditEventType.PolicyRetired,
            ]);
        }
    }

    [Fact]
    public async Task APublishedVersion_CannotBeRewrittenInTheDatabase()
    {
        await using var host = await TestHost.StartAsync(provider);
        var policies = host.Get<PolicyService>();
        var documentId = await policies.CreateAsync("Record-keeping policy", Draft(), Officer, Ct);
        var version = await policies.PublishAsync(documentId, null, false, Officer, Ct);

        // Past the code: the database refuses to change a published text or hash, or to delete a version.
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"UPDATE \"PolicyVersions\" SET \"Content\" = 'changed' WHERE \"Id\" = {version.Id}"));
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"UPDATE \"PolicyVersions\" SET \"ContentSha256\" = '{new string('0', 64)}' WHERE \"Id\" = {version.Id}"));
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"DELETE FROM \"PolicyVersions\" WHERE \"Id\" = {version.Id}"));
        await using var db = await host.CreateDbContextAsync();
        (await db.PolicyVersions.SingleAsync(v => v.Id == version.Id, Ct)).Content.ShouldBe(Text);
    }

    [Fact]
    public async Task Signing_NeedsTheEndReached_TheBoxTicked_AndTheProfilesName_OncePerVersion_AndTheSignatureStaysAsGiven()
    {
        await using var host = await TestHost.StartAsync(provider);
        var policies = host.Get<PolicyService>();
        var userId = await host.Get<UserAdministrationService>().CreateUserAsync(new CreateUserRequest
        {
            Email = "emma@example.com", DisplayName = "Emma Employee", Password = "Long-enough-Password-2026!", Roles = [Roles.Employee],
        }, Officer, Ct);
        var employee = new AuditActor(userId, "emma@example.com", "192.0.2.10");
        var documentId = await policies.CreateAsync("WhatsApp business use policy", Draft(), Officer, Ct);
        var draftId = (await host.CreateDbContextAsync()).PolicyVersions.Single(v => v.DocumentId == documentId).Id;

        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AcknowledgeAsync(draftId, Signature("Emma Employee"), employee, Ct)))
            .Message.ShouldContain("draft cannot be signed");
        var version = await policies.PublishAsync(documentId, null, false, Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AcknowledgeAsync(version.Id, Signature("Emma Employee") with { ReachedEnd = false }, employee, Ct)))
            .Message.ShouldContain("to its end");
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AcknowledgeAsync(version.Id, Signature("Emma Employee") with { Agreed = false }, employee, Ct)))
            .Message.ShouldContain("I have read and will comply");
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AcknowledgeAsync(version.Id, Signature("Emma Smith"), employee, Ct)))
            .Message.ShouldContain("does not match your profile's full name");

        var signed = await policies.AcknowledgeAsync(version.Id, Signature("  emma   employee "), employee, Ct);
        (signed.FullName, signed.ContentSha256, signed.IpAddress, signed.UserAgent, signed.IsOnBehalf)
            .ShouldBe(("Emma Employee", version.ContentSha256!, "192.0.2.10", "Mozilla/5.0 (test)", false));
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AcknowledgeAsync(version.Id, Signature("Emma Employee"), employee, Ct)))
            .Message.ShouldContain("already signed by emma@example.com");

        // Immutable past the code too.
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"UPDATE \"PolicyAcknowledgements\" SET \"FullName\" = 'Someone Else' WHERE \"Id\" = {signed.Id}"));
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"DELETE FROM \"PolicyAcknowledgements\" WHERE \"Id\" = {signed.Id}"));

        // A superseded version can no longer be signed; on someone's behalf needs a reason and says so.
        await policies.SaveDraftAsync(documentId, Draft(Text + "\nAlso: no voice notes about trades.\n"), Officer, Ct);
        var next = await policies.PublishAsync(documentId, "Voice notes", material: true, Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AcknowledgeAsync(version.Id, Signature("Emma Employee"), employee, Ct)))
            .Message.ShouldContain("no longer in force");
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AcknowledgeOnBehalfAsync(next.Id, userId, "ill", Officer, Ct)))
            .Message.ShouldContain("Say why");
        var onBehalf = await policies.AcknowledgeOnBehalfAsync(next.Id, userId, "On long-term leave; confirmed by letter dated 2026-11-20.", Officer, Ct);
        (onBehalf.IsOnBehalf, onBehalf.OnBehalfBy).ShouldBe((true, "officer@example.com"));
        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.Where(e => e.SubjectType == "PolicyVersion").Select(e => e.Type).ToListAsync(Ct))
            .ShouldBe([AuditEventType.PolicyAcknowledged, AuditEventType.PolicyAcknowledgedOnBehalf]);
    }

    [Fact]
    public async Task Obligations_FollowTheAudience_NewJoinersOweFromThen_MaterialChangesAskAgain_AndSignaturesLapseForReattestation()
    {
        await using var host = await TestHost.StartAsync(provider);
        var policies = host.Get<PolicyService>();
        var obligations = host.Get<PolicyObligations>();
        var users = host.Get<UserAdministrationService>();
        async Task<string> UserAsync(string email, string name, string role) => await users.CreateUserAsync(new CreateUserRequest
        {
            Email = email, DisplayName = name, Password = "Long-enough-Password-2026!", Roles = [role],
        }, Officer, Ct);
        var emma = await UserAsync("emma@example.com", "Emma Employee", Roles.Employee);
        var hana = await UserAsync("hana@example.com", "Hana HR", Roles.HrManager);

        // Rates department only; HR managers; one person by address; and everyone, signed again every 12 months.
        await host.OnboardAsync("E1,Emma Employee,emma@example.com,Rates,,+447700900123,2025-01-01,,active\n");
        var rates = await policies.CreateAsync("Rates desk rules", new PolicyDraft(Text, new Audience(AudienceKind.Departments, ["Rates"]), 7), Officer, Ct);
        var hr = await policies.CreateAsync("HR handling", new PolicyDraft(Text, new Audience(AudienceKind.Roles, [Roles.HrManager]), 7), Officer, Ct);
        var named = await policies.CreateAsync("For Hana", new PolicyDraft(Text, new Audience(AudienceKind.People, ["HANA@example.com"]), 7), Officer, Ct);
        var all = await policies.CreateAsync("WhatsApp business use policy", new PolicyDraft(Text, Audience.Everyone, 14, ReattestMonths: 12), Officer, Ct);
        foreach (var id in new[] { rates, hr, named, all })
        {
            await policies.PublishAsync(id, null, false, Officer, Ct);
        }

        (await obligations.ForUserAsync(emma, Ct)).Select(o => o.Title).ShouldBe(["Rates desk rules", "WhatsApp business use policy"]);
        (await obligations.ForUserAsync(hana, Ct)).Select(o => o.Title).ShouldBe(["For Hana", "HR handling", "WhatsApp business use policy"]);

        // Hana joins the Rates desk later: she owes its rules from then, due seven days after.
        host.Clock.Advance(TimeSpan.FromDays(30));
        await host.OnboardAsync("E1,Emma Employee,emma@example.com,Rates,,+447700900123,2025-01-01,,active\nE2,Hana HR,hana@example.com,Rates,,+447700900124,2025-01-01,,active\n");
        var joinedRates = (await obligations.ForUserAsync(hana, Ct)).Single(o => o.Title == "Rates desk rules");
        (joinedRates.State, joinedRates.DueAt).ShouldBe((PolicyObligationState.Outstanding, host.Clock.GetUtcNow().AddDays(7)));

        // Emma is overdue on both; she signs the everyone policy.
        var emmas = await obligations.ForUserAsync(emma, Ct);
        emmas.Select(o => o.State).ShouldBe([PolicyObligationState.Overdue, PolicyObligationState.Overdue]);
        var business = emmas.Single(o => o.Title == "WhatsApp business use policy");
        await policies.AcknowledgeAsync(business.VersionId, Signature("Emma Employee"), new AuditActor(emma, "emma@example.com", null), Ct);
        (await obligations.ForUserAsync(emma, Ct)).Single(o => o.DocumentId == all).State.ShouldBe(PolicyObligationState.Signed);

        // A non-material new version keeps her signature; a material one asks again.
        await policies.SaveDraftAsync(all, new PolicyDraft(Text + "\nTypo fixed.\n", Audience.Everyone, 14, 12), Officer, Ct);
        await policies.PublishAsync(all, "Typo", material: false, Officer, Ct);
        var kept = (await obligations.ForUserAsync(emma, Ct)).Single(o => o.DocumentId == all);
        (kept.State, kept.VersionNumber, kept.SignedVersion).ShouldBe((PolicyObligationState.Signed, 2, 1));
        await policies.SaveDraftAsync(all, new PolicyDraft(Text + "\nNo voice notes about trades.\n", Audience.Everyone, 14, 12), Officer, Ct);
        var material = await policies.PublishAsync(all, "Voice notes", material: true, Officer, Ct);
        var asked = (await obligations.ForUserAsync(emma, Ct)).Single(o => o.DocumentId == all);
        (asked.State, asked.VersionNumber, asked.DueAt).ShouldBe((PolicyObligationState.Outstanding, 3, material.PublishedAt!.Value.AddDays(14)));

        // Signed again, it lapses twelve months later and is due from then.
        var signed = await policies.AcknowledgeAsync(material.Id, Signature("Emma Employee"), new AuditActor(emma, "emma@example.com", null), Ct);
        host.Clock.Advance(TimeSpan.FromDays(366));
        var lapsed = (await obligations.ForUserAsync(emma, Ct)).Single(o => o.DocumentId == all);
        (lapsed.State, lapsed.DueAt).ShouldBe((PolicyObligationState.Overdue, signed.AcknowledgedAt.AddMonths(12)));

        // A retired policy is owed by nobody.
        await policies.RetireAsync(rates, Officer, Ct);
        (await obligations.ForUserAsync(emma, Ct)).Select(o => o.Title).ShouldBe(["WhatsApp business use policy"]);
    }

    [Fact]
    public async Task ARosterNumber_LapsesWhileItsOwnerHasNotSigned_CannotBeActivated_AndCanOnceSigned()
    {
        await using var host = await TestHost.StartAsync(provider);
        var policies = host.Get<PolicyService>();
        var roster = host.Get<RosterService>();
        var emma = await host.Get<UserAdministrationService>().CreateUserAsync(new CreateUserRequest
        {
            Email = "emma@example.com", DisplayName = "Emma Employee", Password = "Long-enough-Password-2026!", Roles = [Roles.Employee],
        }, Officer, Ct);
        await host.OnboardAsync("E1,Emma Employee,emma@example.com,Rates,,+447700900123,2025-01-01,,active\n"); // no policy in force yet
        long numberId;
        await using (var db = await host.CreateDbContextAsync())
        {
            numberId = await db.AuthorizedNumbers.Where(n => n.PhoneE164 == "+447700900123").Select(n => n.Id).SingleAsync(Ct);
        }

        var documentId = await policies.CreateAsync("WhatsApp business use policy", Draft(), Officer, Ct);
        (await roster.ApplyLapsesAsync(Ct)).ShouldBe(0); // a draft asks nothing
        var version = await policies.PublishAsync(documentId, null, false, Officer, Ct);

        (await roster.ApplyLapsesAsync(Ct)).ShouldBe(1);
        await using (var db = await host.CreateDbContextAsync())
        {
            var number = await db.AuthorizedNumbers.SingleAsync(n => n.Id == numberId, Ct);
            number.Status.ShouldBe(AuthorizationStatus.Suspended);
        }

        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.ChangeStatusAsync(numberId, AuthorizationStatus.Active, null, Officer, Ct)))
            .Message.ShouldBe("+447700900123 cannot be active yet: Emma Employee has not signed \u201CWhatsApp business use policy\u201D (version 1).");

        // Signing restores what the lapse check suspended (the system's cause, the system's cure), and only that.
        (await roster.RestoreLapsedAsync(emma, Ct)).ShouldBe(0); // still unsigned: nothing restored
        await policies.AcknowledgeAsync(version.Id, Signature("Emma Employee"), new AuditActor(emma, "emma@example.com", null), Ct);
        await using (var db = await host.CreateDbContextAsync())
        {
            var number = await db.AuthorizedNumbers.Include(n => n.History).SingleAsync(n => n.Id == numberId, Ct);
            (number.Status, number.StatusReason).ShouldBe((AuthorizationStatus.Active, "Restored: what made the authorization lapse has been resolved."));
            number.History.OrderBy(h => h.Id).Last().ChangedBy.ShouldBe(AuditActor.System.Name);
        }

        (await roster.ApplyLapsesAsync(Ct)).ShouldBe(0);
        await roster.ChangeStatusAsync(numberId, AuthorizationStatus.Suspended, "Handset lost", Officer, Ct);
        (await roster.RestoreLapsedAsync(emma, Ct)).ShouldBe(0); // a person's suspension is theirs to lift

        // Someone on the roster without a sign-in account cannot sign, so is held back by a policy that takes them in as the
        // roster knows them (everyone here), not by one for a sign-in role they cannot have.
        var prerequisite = host.Get<IEnumerable<IAuthorizationPrerequisite>>().OfType<PolicyPrerequisite>().Single();
        var zed = new Person(PersonKind.Employee, "Zed Nobody", host.Clock.GetUtcNow());
        zed.SetEmployee("E9", "Zed Nobody", "zed@example.com", "Rates");
        (await prerequisite.BlockingReasonAsync(zed, Ct))
            .ShouldBe("Zed Nobody has no sign-in account with which to sign \u201CWhatsApp business use policy\u201D.");
        await policies.RetireAsync(documentId, Officer, Ct);
        var forRole = await policies.CreateAsync("Employees' rules", Draft() with { Audience = new Audience(AudienceKind.Roles, [Roles.Employee]) }, Officer, Ct);
        await policies.PublishAsync(forRole, null, false, Officer, Ct);
        (await prerequisite.BlockingReasonAsync(zed, Ct)).ShouldBeNull();
        var forRates = await policies.CreateAsync("Rates rules", Draft() with { Audience = new Audience(AudienceKind.Departments, ["rates"]) }, Officer, Ct);
        await policies.PublishAsync(forRates, null, false, Officer, Ct);
        (await prerequisite.BlockingReasonAsync(zed, Ct)).ShouldBe("Zed Nobody has no sign-in account with which to sign \u201CRates rules\u201D.");
    }

    [Fact]
    public async Task APdfAttachedToADraft_IsFrozenWithThePublishedVersion_CarriedToTheNext_AndNamedOnTheReceipt()
    {
        await using var host = await TestHost.StartAsync(provider);
        var policies = host.Get<PolicyService>();
        var documentId = await policies.CreateAsync("WhatsApp business use policy", Draft(), Officer, Ct);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% a signed original\n%%EOF\n");

        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AttachPdfAsync(documentId, new MemoryStream("not a pdf"u8.ToArray()), "policy.pdf", Officer, Ct)))
            .Message.ShouldBe("\"policy.pdf\" is not a PDF: it does not start with %PDF-.");
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AttachPdfAsync(documentId, new MemoryStream(pdf), "policy.docx", Officer, Ct)))
            .Message.ShouldContain("ending in .pdf");
        await policies.AttachPdfAsync(documentId, new MemoryStream(pdf), "Signed original.pdf", Officer, Ct);
        var version = await policies.PublishAsync(documentId, null, false, Officer, Ct);
        (version.AttachmentFileName, version.AttachmentLength, version.AttachmentSha256)
            .ShouldBe(("Signed original.pdf", pdf.Length, Convert.ToHexStringLower(SHA256.HashData(pdf))));

        // Frozen: no draft to attach to, and the database refuses a change to the published row.
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AttachPdfAsync(documentId, new MemoryStream(pdf), "other.pdf", Officer, Ct)))
            .Message.ShouldContain("has no draft");
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"UPDATE \"PolicyVersions\" SET \"AttachmentSha256\" = NULL WHERE \"Id\" = {version.Id}"));
        var opened = (await policies.OpenPdfAsync(version.Id, Ct))!.Value;
        await using (var content = opened.Content)
        {
            using var read = new MemoryStream();
            await content.CopyToAsync(read, Ct);
            opened.FileName.ShouldBe("Signed original.pdf");
            read.ToArray().ShouldBe(pdf);
        }

        // The next version starts with it; removing it from the draft leaves the published one as it was.
        var next = await policies.SaveDraftAsync(documentId, Draft(Text + "\nMore.\n"), Officer, Ct);
        (await policies.GetVersionAsync(next, Ct))!.Value.Version.AttachmentSha256.ShouldBe(version.AttachmentSha256);
        await policies.RemovePdfAsync(documentId, Officer, Ct);
        (await policies.GetVersionAsync(next, Ct))!.Value.Version.AttachmentSha256.ShouldBeNull();
        (await policies.GetVersionAsync(version.Id, Ct))!.Value.Version.AttachmentFileName.ShouldBe("Signed original.pdf");
    }

    private static PolicySignature Signature(string name) => new(name, ReachedEnd: true, Agreed: true, "192.0.2.10", "Mozilla/5.0 (test)");
}

public sealed class SqlitePolicyServiceTests() : PolicyServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresPolicyServiceTests() : PolicyServiceTests(DatabaseProvider.Postgres);

/// <summary>Policy text becomes markup only through Markdig with raw HTML off, then the sanitiser: nothing that runs survives.</summary>
public sealed class PolicyMarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("[click](javascript:alert(1))", "javascript:")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("<a href=\"#\" onclick=\"steal()\">x</a>", "onclick")]
    [InlineData("<svg><script>alert(1)</script></svg>", "<svg")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "<iframe")]
    [InlineData("<style>body{display:none}</style>", "<style")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:")]
    public void RawHtmlAndScriptLinks_NeverBecomeMarkup(string markdown, string forbidden)
    {
        // Raw HTML may stay visible as text (escaped); it must never be inside a tag.
        var html = PolicyMarkdown.ToHtml(markdown);
        Regex.IsMatch(html, "<[^>]*" + Regex.Escape(forbidden.TrimStart('<')), RegexOptions.IgnoreCase).ShouldBeFalse(html);
    }

    [Fact]
    public void Markdown_StillRendersHeadingsEmphasisListsTablesAndSafeLinks()
    {
        var html = PolicyMarkdown.ToHtml("# Policy\n\nUse **only** the registered number.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[Intranet](https://intranet.example/policy)");

        html.ShouldContain("<h1");
        html.ShouldContain("<strong>only</strong>");
        html.ShouldContain("<li>two</li>");
        html.ShouldContain("<td>2</td>");
        html.ShouldContain("href=\"https://intranet.example/policy\"");
    }
}
