using System.Security.Claims;
using Bunit;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Staff;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust;
using ConsentHub.Web.Components.Pages.Staff;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Components.Staff;

/// <summary>
/// A trust administrator disables and re-enables an account, gives and takes away roles, and is stopped from
/// locking the trust out of its own staff accounts. Every change ends the person's sessions and is audited.
/// </summary>
public sealed class StaffAccountPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;
    private readonly Guid _adminId = Guid.NewGuid();

    public StaffAccountPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListAcademies>();
        Services.AddSingleton<GetStaffAccount>();
        Services.AddSingleton<SetStaffAccountDisabled>();
        Services.AddSingleton<GrantStaffRole>();
        Services.AddSingleton<RevokeStaffRole>();
        Services.AddSingleton<SignOutStaffEverywhere>();
        Auth.SetAuthorized("Ada Admin").SetRoles(StaffRoles.TrustAdmin).SetClaims(
            new Claim(ClaimTypes.NameIdentifier, _adminId.ToString()),
            new Claim(StaffClaims.Scope, StaffClaims.Format(StaffRoles.TrustAdmin, ScopeLevel.Trust, null)));
    }

    private async Task<(TestTrust Trust, StaffUser Teacher)> ArrangeAsync(bool adminInDatabase = true)
    {
        await using var db = _database.CreateDbContext();
        var trust = await TestTrust.CreateAsync(db);
        var teacher = NewUser("Tom Teacher", StaffRoleAssignment.ForAcademy(StaffRoles.Teacher, trust.NorthAcademyId));
        db.Users.Add(teacher);
        if (adminInDatabase) db.Users.Add(NewUser("Ada Admin", StaffRoleAssignment.ForTrust(StaffRoles.TrustAdmin), _adminId));
        await db.SaveChangesAsync();
        return (trust, teacher);
    }

    private static StaffUser NewUser(string name, StaffRoleAssignment role, Guid? id = null)
    {
        var email = $"{Guid.NewGuid():N}@trust.example.org";
        return new StaffUser
        {
            Id = id ?? Guid.NewGuid(),
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            DisplayName = name,
            SecurityStamp = "original-stamp",
            PasswordHash = "not-a-real-hash",
            Assignments = [role],
        };
    }

    private static async Task ClickAsync(IRenderedComponent<StaffAccount> page, string button) =>
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == button).Click());

    private async Task<StaffUser> ReloadAsync(Guid id)
    {
        await using var db = _database.CreateDbContext();
        return await db.Users.AsNoTracking().Include(u => u.Assignments).SingleAsync(u => u.Id == id);
    }

    [Fact]
    public async Task DisablingATeacher_EndsTheirSessions_IsAudited_AndCanBeUndone()
    {
        var (_, teacher) = await ArrangeAsync();
        var page = Render<StaffAccount>(p => p.Add(x => x.UserId, teacher.Id));
        page.WaitForAssertion(() =>
        {
            Assert.Equal("Active", page.Find("[data-testid=status]").TextContent);
            Assert.Contains("North Academy", page.Find("table[aria-label=Roles]").TextContent, StringComparison.Ordinal);
        });

        await ClickAsync(page, "Disable account");
        page.WaitForAssertion(() =>
        {
            Assert.Equal("Disabled: cannot sign in", page.Find("[data-testid=status]").TextContent);
            Assert.Contains("Tom Teacher's account is disabled", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
        });
        var stored = await ReloadAsync(teacher.Id);
        Assert.True(stored.Disabled);
        Assert.NotEqual("original-stamp", stored.SecurityStamp);
        await using (var db = _database.CreateDbContext())
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "staff.disabled" && e.EntityId == teacher.Id.ToString() && e.Actor == $"staff:{_adminId}"));

        await ClickAsync(page, "Enable account");
        page.WaitForAssertion(() => Assert.Equal("Active", page.Find("[data-testid=status]").TextContent));
        Assert.False((await ReloadAsync(teacher.Id)).Disabled);
    }

    [Fact]
    public async Task GivingARole_NeedsTheAcademy_ThenAddsIt_AndTheOnlyRoleCannotBeRemoved()
    {
        var (trust, teacher) = await ArrangeAsync();
        var page = Render<StaffAccount>(p => p.Add(x => x.UserId, teacher.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("table[aria-label=Roles] tbody tr")));

        // The only role: removing it would leave an account that can sign in to nothing.
        await ClickAsync(page, "Remove Teacher (North Academy)");
        page.WaitForAssertion(() => Assert.Contains("only role", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Single((await ReloadAsync(teacher.Id)).Assignments);

        await page.InvokeAsync(() => page.Find("#grant-role").Change(StaffRoles.OfficeStaff));
        await ClickAsync(page, "Give role");
        page.WaitForAssertion(() => Assert.Contains("works in one academy: choose the academy", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Single((await ReloadAsync(teacher.Id)).Assignments);

        await page.InvokeAsync(() => page.Find("#grant-role").Change(StaffRoles.OfficeStaff));
        await page.InvokeAsync(() => page.Find("#grant-scope").Change(trust.SouthAcademyId.ToString()));
        await ClickAsync(page, "Give role");
        page.WaitForAssertion(() =>
        {
            Assert.Equal(2, page.FindAll("table[aria-label=Roles] tbody tr").Count);
            Assert.Contains("South Academy", page.Find("table[aria-label=Roles]").TextContent, StringComparison.Ordinal);
        });
        var stored = await ReloadAsync(teacher.Id);
        Assert.Contains(stored.Assignments, a => a.Role == StaffRoles.OfficeStaff && a.AcademyId == trust.SouthAcademyId);
        Assert.NotEqual("original-stamp", stored.SecurityStamp);

        // The same role twice is refused; the Teacher role can now go.
        await page.InvokeAsync(() => page.Find("#grant-role").Change(StaffRoles.OfficeStaff));
        await page.InvokeAsync(() => page.Find("#grant-scope").Change(trust.SouthAcademyId.ToString()));
        await ClickAsync(page, "Give role");
        page.WaitForAssertion(() => Assert.Contains("already holds OfficeStaff there", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));

        await ClickAsync(page, "Remove Teacher (North Academy)");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("table[aria-label=Roles] tbody tr")));
        Assert.Equal(StaffRoles.OfficeStaff, Assert.Single((await ReloadAsync(teacher.Id)).Assignments).Role);
        await using var db = _database.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "staff.role-granted" && e.EntityId == teacher.Id.ToString()));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "staff.role-revoked" && e.EntityId == teacher.Id.ToString()));
    }

    [Fact]
    public async Task TheLastActiveAdministrator_CannotBeDisabledOrLoseTheRole_AndNobodyDisablesThemself()
    {
        await ArrangeAsync(adminInDatabase: false);
        StaffUser onlyAdmin;
        await using (var db = _database.CreateDbContext())
        {
            // Other test classes' administrators share nothing with this database: this one is the only one here.
            var academy = await db.Academies.Select(a => a.Id).FirstAsync();
            foreach (var other in await db.Users.Where(u => u.Assignments.Any(a => a.Role == StaffRoles.TrustAdmin)).ToListAsync()) other.Disabled = true;
            onlyAdmin = NewUser("Olive Only", StaffRoleAssignment.ForTrust(StaffRoles.TrustAdmin));
            onlyAdmin.Assignments.Add(StaffRoleAssignment.ForAcademy(StaffRoles.Teacher, academy));
            db.Users.Add(onlyAdmin);
            await db.SaveChangesAsync();
        }
        var page = Render<StaffAccount>(p => p.Add(x => x.UserId, onlyAdmin.Id));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("table[aria-label=Roles] tbody tr").Count));

        await ClickAsync(page, "Disable account");
        page.WaitForAssertion(() => Assert.Contains("last active administrator", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        await ClickAsync(page, "Remove TrustAdmin (The whole trust)");
        page.WaitForAssertion(() => Assert.Contains("last active administrator", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        var stored = await ReloadAsync(onlyAdmin.Id);
        Assert.False(stored.Disabled);
        Assert.Equal(2, stored.Assignments.Count);
        Assert.Equal("original-stamp", stored.SecurityStamp);

        // Administrators never disable their own account, even when another administrator exists.
        await using (var db = _database.CreateDbContext())
        {
            db.Users.Add(NewUser("Ada Admin", StaffRoleAssignment.ForTrust(StaffRoles.TrustAdmin), _adminId));
            await db.SaveChangesAsync();
        }
        var self = Render<StaffAccount>(p => p.Add(x => x.UserId, _adminId));
        self.WaitForAssertion(() => Assert.Equal("Active", self.Find("[data-testid=status]").TextContent));
        await self.InvokeAsync(() => self.FindAll("button").Single(b => b.TextContent.Trim() == "Disable account").Click());
        self.WaitForAssertion(() => Assert.Contains("cannot disable your own account", self.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.False((await ReloadAsync(_adminId)).Disabled);
    }

    [Fact]
    public async Task AnUnknownAccount_SaysSo()
    {
        await ArrangeAsync();
        var page = Render<StaffAccount>(p => p.Add(x => x.UserId, Guid.NewGuid()));
        page.WaitForAssertion(() => Assert.Contains("There is no such staff account.", page.Markup, StringComparison.Ordinal));
    }
}
