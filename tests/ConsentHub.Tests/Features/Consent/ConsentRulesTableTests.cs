using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using static ConsentHub.Consent.AnswerKind;
using static ConsentHub.Consent.ConsentStatus;
using static ConsentHub.Tests.Consent.FactsBuilder;

namespace ConsentHub.Tests.Consent;

/// <summary>Every rule of policy §6.2 and its boundaries, one named case per line.</summary>
public sealed class ConsentRulesTableTests
{
    private sealed record Case(Func<FactsBuilder> Facts, ConsentStatus Expected, string? Says = null, bool? Conflict = null, bool? Banner = null, DateTimeOffset? At = null);

    private static readonly DateTimeOffset D = Now;

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // 1. Nursery, Reception, Years 1–6: a parent with parental responsibility.
        ["Nursery_ParentGrants_IsAllowed"] = new(() => Nursery().Parent(Mum, Grant), Allowed, "Nursery needs a parent."),
        ["Reception_ParentGrants_IsAllowed"] = new(() => Reception().Parent(Mum, Grant), Allowed, "Reception needs a parent. Mrs Jane Smith agreed on"),
        ["Reception_AskedNoAnswer_IsPending"] = new(() => Reception(), Pending, "Mrs Jane Smith has not answered yet"),
        ["Reception_NeverAsked_IsNotRequested"] = new(() => Reception().NotRequested(), NotRequested, "Nobody has been asked yet."),
        ["Year6_ParentGrants_PupilNotNeeded_IsAllowed"] = new(() => Year(6).Parent(Mum, Grant), Allowed),
        ["Year6_PupilsOwnRefusal_IsNotRequired_ParentGrantStands"] = new(() => Year(6).Parent(Mum, Grant).Pupil(Refuse), Allowed),
        ["Year6_ParentRefuses_IsNotAllowed"] = new(() => Year(6).Parent(Mum, Refuse), NotAllowed, "Mrs Jane Smith refused on"),
        ["Year3_OneOfTwoParentsGrants_IsAllowedByDefault"] = new(() => Year(3).WithDad().Parent(Mum, Grant), Allowed),
        ["Year3_TwoParentsDisagree_IsNotAllowed_AndAConflict"] = new(() => Year(3).WithDad().Parent(Mum, Grant).Parent(Dad, Refuse), NotAllowed, "the refusal applies", Conflict: true),
        ["Year3_EveryHolderRequired_OneGrant_IsPending"] = new(() => Year(3).WithDad().RequireEveryParent().Parent(Mum, Grant), Pending, "Mr John Smith has not answered yet"),
        ["Year3_EveryHolderRequired_BothGrant_IsAllowed"] = new(() => Year(3).WithDad().RequireEveryParent().Parent(Mum, Grant).Parent(Dad, Grant), Allowed, "every parent with parental responsibility"),
        ["Year3_NoParentAnswered_SaysSo"] = new(() => Year(3).WithDad(), Pending, "No parent has answered yet"),

        // 4. Contacts without parental responsibility, or with a no-contact order, never count.
        ["Year3_NonPrContactGrants_DoesNotCount"] = new(() => Year(3).WithGran().Parent(Gran, Grant), Pending),
        ["Year3_NonPrContactRefuses_DoesNotCount"] = new(() => Year(3).WithGran().Parent(Mum, Grant).Parent(Gran, Refuse), Allowed),
        ["Year3_NoContactOrderParentGrants_DoesNotCount"] = new(() => Year(3).MumHasNoContactOrder().WithDad().Parent(Mum, Grant), Pending),
        ["Year3_NoContactOrderParentRefuses_DoesNotCount"] = new(() => Year(3).MumHasNoContactOrder().WithDad().Parent(Mum, Refuse).Parent(Dad, Grant), Allowed),
        ["Year3_NobodyWithParentalResponsibility_IsPending"] = new(() => Year(3).NoContacts(), Pending, "No parent who can give consent is recorded — ask the office to add one."),

        // 5. Most restrictive wins; the latest answer of each party counts.
        ["Year3_WithdrawalAfterGrant_IsNotAllowed"] = new(() => Year(3).Parent(Mum, Grant, D.AddDays(-60)).Parent(Mum, Withdraw, D.AddDays(-1)), NotAllowed, "withdrew consent on"),
        ["Year3_GrantAfterWithdrawal_IsAllowed"] = new(() => Year(3).Parent(Mum, Withdraw, D.AddDays(-60)).Parent(Mum, Grant, D.AddDays(-1)), Allowed),
        ["Year3_RefusalThenGrant_LatestCounts"] = new(() => Year(3).Parent(Mum, Refuse, D.AddDays(-60)).Parent(Mum, Grant, D.AddDays(-2)), Allowed),
        ["Year3_GrantAndRefusalAtTheSameInstant_LaterRecordWins"] = new(() => Year(3).Parent(Mum, Refuse, D.AddDays(-2)).Parent(Mum, Grant, D.AddDays(-2)), Allowed),
        ["Year3_AnswersOutOfOrder_ByTimeNotByRecording"] = new(() => Year(3).Parent(Mum, Grant, D.AddDays(-1)).Parent(Mum, Refuse, D.AddDays(-9)), Allowed),

        // 2. Years 7–11: the pupil and a parent.
        ["Year7_ParentGrants_PupilNotYet_IsPending"] = new(() => Year(7).Parent(Mum, Grant), Pending, "the pupil has not answered yet"),
        ["Year7_PupilGrants_ParentNotYet_IsPending"] = new(() => Year(7).Pupil(Grant), Pending, "Mrs Jane Smith has not answered yet"),
        ["Year7_BothGrant_IsAllowed"] = new(() => Year(7).Parent(Mum, Grant).Pupil(Grant), Allowed),
        ["Year9_ParentYesPupilNo_IsNotAllowed_AndAConflict"] = new(() => Year(9).Parent(Mum, Grant).Pupil(Refuse), NotAllowed, "the pupil refused on", Conflict: true),
        ["Year9_ParentNoPupilYes_IsNotAllowed"] = new(() => Year(9).Parent(Mum, Refuse).Pupil(Grant), NotAllowed, Conflict: true),
        ["Year9_TeacherSentence"] = new(() => Year(9).Parent(Mum, Grant, new DateTimeOffset(2026, 9, 3, 9, 0, 0, TimeSpan.FromHours(1))), Pending,
            "Year 9 needs the pupil and a parent. Mrs Jane Smith agreed on 3 Sep 2026; the pupil has not answered yet."),
        ["Year11_BothGrant_IsAllowed"] = new(() => Year(11).Parent(Mum, Grant).Pupil(Grant), Allowed),
        ["Year11_PupilWithdraws_IsNotAllowed"] = new(() => Year(11).Parent(Mum, Grant).Pupil(Grant, D.AddDays(-20)).Pupil(Withdraw, D.AddDays(-1)), NotAllowed),

        // 3. Sixth form: the pupil; a parent only where staff flagged a reason.
        ["Year12_PupilGrants_IsAllowed"] = new(() => Year(12).Pupil(Grant), Allowed, "Year 12 needs the pupil."),
        ["Year12_Unflagged_ParentRefusal_DoesNotCount"] = new(() => Year(12).Parent(Mum, Refuse).Pupil(Grant), Allowed),
        ["Year12_Flagged_ParentNotYet_IsPending"] = new(() => Year(12).AlsoAskParent().Pupil(Grant), Pending, "as staff asked, a parent"),
        ["Year12_Flagged_BothGrant_IsAllowed"] = new(() => Year(12).AlsoAskParent().Pupil(Grant).Parent(Mum, Grant), Allowed),
        ["Year12_Flagged_ParentRefuses_IsNotAllowed"] = new(() => Year(12).AlsoAskParent().Pupil(Grant).Parent(Mum, Refuse), NotAllowed),
        ["Year13_PupilRefuses_IsNotAllowed"] = new(() => Year(13).Pupil(Refuse), NotAllowed),
        ["Year13_OnlyParentGrants_IsPending"] = new(() => Year(13).Parent(Mum, Grant), Pending),

        // 10. The current year group decides.
        ["MovedUpToYear7_ParentsYear6Grant_NowNeedsThePupil"] = new(() => Year(7).Parent(Mum, Grant, new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero)), Pending, "the pupil has not answered yet"),
        ["MovedUpToYear12_ParentsYear11Refusal_NoLongerCounts"] = new(() => Year(12).Parent(Mum, Refuse, new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero)).Pupil(Grant), Allowed),
        ["LeftYesterday_IsNotAllowed"] = new(() => Year(5).Parent(Mum, Grant).Left(DateOnly.FromDateTime(D.UtcDateTime).AddDays(-1)), NotAllowed, "Left the academy"),
        ["LeavesTomorrow_IsStillAllowed"] = new(() => Year(5).Parent(Mum, Grant).Left(DateOnly.FromDateTime(D.UtcDateTime).AddDays(1)), Allowed),

        // 6. Safeguarding.
        ["Safeguarding_EvenWithEveryGrant_IsNotAllowed"] = new(() => Year(9).Parent(Mum, Grant).Pupil(Grant).NeverFeature(), NotAllowed, "Do not photograph or feature.", Banner: true),
        ["Safeguarding_OnAPublicTaskPurpose_IsNotAllowed"] = new(() => Year(9).Purpose(LawfulBasis.PublicTask).NeverFeature(), NotAllowed, Banner: true),

        // 7. Posting pause on publishing purposes, from (inclusive) until (exclusive).
        ["Pause_Active_PublishingPurpose_IsNotAllowed"] = new(() => Year(4).Parent(Mum, Grant).Paused(D.AddDays(-1), D.AddDays(1)), NotAllowed, "Posting paused until 25 Nov 2026", Banner: true),
        ["Pause_DoesNotTouchInternalDisplays"] = new(() => Year(4).Parent(Mum, Grant).Purpose(publishes: false).Paused(D.AddDays(-1), D.AddDays(1)), Allowed),
        ["Pause_StartingThisInstant_IsNotAllowed"] = new(() => Year(4).Parent(Mum, Grant).Paused(D, D.AddDays(1)), NotAllowed),
        ["Pause_EndingThisInstant_IsAllowedAgain"] = new(() => Year(4).Parent(Mum, Grant).Paused(D.AddDays(-3), D), Allowed),
        ["Pause_NotYetStarted_IsAllowed"] = new(() => Year(4).Parent(Mum, Grant).Paused(D.AddMinutes(1), D.AddDays(1)), Allowed),
        ["Pause_OpenEnded_IsNotAllowed"] = new(() => Year(4).Parent(Mum, Grant).Paused(D.AddDays(-3), null), NotAllowed, "until further notice"),

        // 8. A grant counts only while valid.
        ["TwelveMonths_DayBeforeExpiry_IsAllowed"] = new(() => Year(4).Purpose(validity: PurposeValidity.ForMonths(12)).Parent(Mum, Grant, D.AddYears(-1).AddDays(1)), Allowed),
        ["TwelveMonths_OnTheExpiryDay_IsPendingRenewal"] = new(() => Year(4).Purpose(validity: PurposeValidity.ForMonths(12)).Parent(Mum, Grant, D.AddYears(-1)), Pending, "expired on 24 Nov 2026 and needs renewing"),
        ["EndOfAcademicYear_GrantedLastYear_IsPendingRenewal"] = new(() => Year(4).Purpose(validity: PurposeValidity.EndOfAcademicYear).Parent(Mum, Grant, new DateTimeOffset(2025, 9, 3, 9, 0, 0, TimeSpan.Zero)), Pending, "expired on 1 Sep 2026"),
        ["EndOfAcademicYear_GrantedThisYear_IsAllowed"] = new(() => Year(4).Purpose(validity: PurposeValidity.EndOfAcademicYear).Parent(Mum, Grant, new DateTimeOffset(2026, 9, 1, 9, 0, 0, TimeSpan.Zero)), Allowed),
        ["EndOfAcademicYear_LastDayOfTheYear_IsAllowed"] = new(() => Year(4).Purpose(validity: PurposeValidity.EndOfAcademicYear).Parent(Mum, Grant, new DateTimeOffset(2025, 9, 3, 9, 0, 0, TimeSpan.Zero)), Allowed, At: new DateTimeOffset(2026, 8, 31, 20, 0, 0, TimeSpan.Zero)),
        ["RetiredFormWording_IsPendingRenewal"] = new(() => Year(4).Parent(Mum, Grant, D.AddDays(-90), formValidThrough: DateOnly.FromDateTime(D.UtcDateTime).AddDays(-1)), Pending, "needs renewing"),
        ["TwelveMonths_RefusalNeverExpires"] = new(() => Year(4).Purpose(validity: PurposeValidity.ForMonths(12)).Parent(Mum, Refuse, D.AddYears(-3)), NotAllowed),

        // 9. Public task (and legitimate interests): allowed unless a counted party objected.
        ["PublicTask_NoAnswers_IsAllowed"] = new(() => Year(8).Purpose(LawfulBasis.PublicTask).NotRequested(), Allowed, "nobody has objected"),
        ["PublicTask_ParentObjects_IsNotAllowed"] = new(() => Year(8).Purpose(LawfulBasis.PublicTask).Parent(Mum, Refuse), NotAllowed, "Mrs Jane Smith refused on"),
        ["PublicTask_SixthFormUnflaggedParentObjects_IsAllowed"] = new(() => Year(12).Purpose(LawfulBasis.PublicTask).Parent(Mum, Refuse), Allowed),
        ["LegitimateInterests_PupilObjects_IsNotAllowed"] = new(() => Year(10).Purpose(LawfulBasis.LegitimateInterests).Pupil(Withdraw), NotAllowed),
    };

    /// <summary>Every sentence the engine can give, word for word (issue 16: reasons that misled the office).</summary>
    private static readonly Dictionary<string, (Func<FactsBuilder> Facts, string Reason)> Reasons = new()
    {
        ["NeverAsked"] = (() => Reception().NotRequested(), "Reception needs a parent. Nobody has been asked yet."),
        ["NoContactsAtAll_NotAsked_TellsTheOfficeToAddAParent"] = (() => Year(3).NoContacts().NotRequested(),
            "Year 3 needs a parent. No parent who can give consent is recorded — ask the office to add one."),
        ["OnlyAGrandparent_NotAsked_TellsTheOfficeToAddAParent"] = (() => Year(3).NoContacts().WithGran().NotRequested(),
            "Year 3 needs a parent. No parent who can give consent is recorded — ask the office to add one."),
        ["CourtOrderParentOnly_SaysTheyHavePrButMayNotBeAsked"] = (() => Year(3).MumHasNoContactOrder(),
            "Year 3 needs a parent. Mrs Jane Smith has parental responsibility but may not be asked; no parent who can give consent is recorded — ask the office to add one."),
        ["GrandparentReturnedAForm_NotAsked_SaysItDoesNotCount"] = (() => Year(3).NoContacts().WithGran().Parent(Gran, Grant).NotRequested(),
            "Year 3 needs a parent. No parent who can give consent is recorded — ask the office to add one. Mrs Ada Jones answered but does not have parental responsibility, so that answer does not count."),
        ["GrandparentReturnedAForm_ParentNotAsked_IsNotNobodyAsked"] = (() => Year(3).WithGran().Parent(Gran, Grant).NotRequested(),
            "Year 3 needs a parent. Nobody who can give consent has been asked yet. Mrs Ada Jones answered but does not have parental responsibility, so that answer does not count."),
        ["CourtOrderParentAnswered_SaysItDoesNotCount"] = (() => Year(3).MumHasNoContactOrder().WithDad().Parent(Mum, Grant),
            "Year 3 needs a parent. Mr John Smith has not answered yet. Mrs Jane Smith answered but may not be asked, so that answer does not count."),
        ["SixthFormer_ParentAnswered_SaysThePupilDecides"] = (() => Year(13).Parent(Mum, Grant, new DateTimeOffset(2026, 9, 3, 9, 0, 0, TimeSpan.Zero)),
            "Year 13 needs the pupil. The pupil has not answered yet. Mrs Jane Smith's answer does not count: in the sixth form the pupil decides unless staff ask for a parent too."),
        ["Year8_NoParentRecorded_PupilAgreed"] = (() => Year(8).NoContacts().Pupil(Grant, new DateTimeOffset(2026, 9, 3, 9, 0, 0, TimeSpan.Zero)),
            "Year 8 needs the pupil and a parent. No parent who can give consent is recorded — ask the office to add one; the pupil agreed on 3 Sep 2026."),
        ["Allowed"] = (() => Year(3).Parent(Mum, Grant, new DateTimeOffset(2026, 9, 3, 9, 0, 0, TimeSpan.Zero)), "Year 3 needs a parent. Mrs Jane Smith agreed on 3 Sep 2026."),
        ["Refused"] = (() => Year(3).Parent(Mum, Refuse, new DateTimeOffset(2026, 9, 3, 9, 0, 0, TimeSpan.Zero)), "Year 3 needs a parent. Mrs Jane Smith refused on 3 Sep 2026."),
        ["Conflict"] = (() => Year(3).WithDad().Parent(Mum, Grant, new DateTimeOffset(2026, 9, 3, 9, 0, 0, TimeSpan.Zero)).Parent(Dad, Withdraw, new DateTimeOffset(2026, 9, 4, 9, 0, 0, TimeSpan.Zero)),
            "Year 3 needs a parent. Mr John Smith withdrew consent on 4 Sep 2026; Mrs Jane Smith agreed on 3 Sep 2026. The answers disagree, so the refusal applies."),
        ["Expired"] = (() => Year(4).Purpose(validity: PurposeValidity.ForMonths(12)).Parent(Mum, Grant, D.AddYears(-1)),
            "Year 4 needs a parent. Mrs Jane Smith agreed on 24 Nov 2025 but that consent expired on 24 Nov 2026 and needs renewing."),
        ["PausedUntil"] = (() => Year(4).Parent(Mum, Grant).Paused(D.AddDays(-1), new DateTimeOffset(2026, 12, 5, 17, 0, 0, TimeSpan.Zero)),
            "Posting paused until 5 Dec 2026: nothing may be posted on trust accounts, so do not photograph or feature."),
        ["PausedOpenEnded"] = (() => Year(4).Parent(Mum, Grant).Paused(D.AddDays(-1), null),
            "Posting paused until further notice: nothing may be posted on trust accounts, so do not photograph or feature."),
        ["PublicTaskNoObjection"] = (() => Year(8).Purpose(LawfulBasis.PublicTask).NotRequested(), "Used without consent (public task); nobody has objected."),
        ["SafeguardingNeverSaysWhy"] = (() => Year(8).NeverFeature(), "Do not photograph or feature."),
    };

    public static TheoryData<string> ReasonNames() => [.. Reasons.Keys];

    [Theory]
    [MemberData(nameof(ReasonNames))]
    public void Reason(string name)
    {
        var (facts, expected) = Reasons[name];
        Assert.Equal(expected, ConsentRules.Decide(facts().Build(), Now).Reason);
    }

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Rule(string name)
    {
        var c = Cases[name];
        var decision = ConsentRules.Decide(c.Facts().Build(), c.At ?? Now);

        Assert.True(c.Expected == decision.Status, $"{name}: expected {c.Expected}, got {decision.Status} — \"{decision.Reason}\"");
        if (c.Says is not null) Assert.Contains(c.Says, decision.Reason, StringComparison.Ordinal);
        if (c.Conflict is not null) Assert.Equal(c.Conflict, decision.Conflict);
        if (c.Banner is not null) Assert.Equal(c.Banner, decision.DoNotFeature);
    }

    [Fact]
    public void ThereAreAtLeastFortyNamedCases() => Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");

    [Fact]
    public void SafeguardingReason_IsNeverShown()
    {
        var decision = ConsentRules.Decide(Year(9).NeverFeature().Build(), Now);
        Assert.Equal("Do not photograph or feature.", decision.Reason);
    }
}
