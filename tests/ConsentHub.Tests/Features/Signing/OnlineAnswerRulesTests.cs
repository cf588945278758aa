using ConsentHub.Consent;
using ConsentHub.Signing;

namespace ConsentHub.Tests.Signing;

/// <summary>What an online yes or no records, the language chosen, and what the form requires.</summary>
public sealed class OnlineAnswerRulesTests
{
    [Theory]
    [InlineData(true, null, false, AnswerKind.Grant)]
    [InlineData(true, AnswerKind.Refuse, false, AnswerKind.Grant)]
    [InlineData(true, AnswerKind.Grant, false, AnswerKind.Grant)]
    [InlineData(false, null, false, AnswerKind.Refuse)]
    [InlineData(false, AnswerKind.Grant, false, AnswerKind.Withdraw)]
    [InlineData(false, AnswerKind.Withdraw, false, AnswerKind.Refuse)]
    [InlineData(true, AnswerKind.Grant, true, null)]
    [InlineData(false, AnswerKind.Refuse, true, null)]
    [InlineData(false, AnswerKind.Withdraw, true, null)]
    [InlineData(false, AnswerKind.Grant, true, AnswerKind.Withdraw)]
    [InlineData(true, AnswerKind.Withdraw, true, AnswerKind.Grant)]
    [InlineData(false, null, true, AnswerKind.Refuse)]
    public void ANoAfterAYes_IsAWithdrawal_AndAChangeRecordsOnlyWhatChanged(bool yes, AnswerKind? current, bool onlyChanges, AnswerKind? expected) =>
        Assert.Equal(expected, OnlineAnswerWriter.KindFor(yes, current, onlyChanges));

    [Theory]
    [InlineData("pl", "en", "pl")]
    [InlineData(null, "pl-PL", "pl")]
    [InlineData("de", "pl", "pl")]
    [InlineData("", "fr", "en")]
    [InlineData("EN", "pl", "en")]
    public void TheLanguageAskedFor_ThenThePreferredOne_ThenEnglish(string? requested, string? preferred, string expected) =>
        Assert.Equal(expected, SigningLanguage.Choose(requested, preferred));

    private static SigningForm Form(PartyKind party) => new(
        new SigningTarget(SigningTargetKind.Request, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), party, party == PartyKind.Contact ? Guid.NewGuid() : null, Guid.NewGuid(), "en"),
        "Ava", Guid.NewGuid(), "2026.1",
        [
            new SigningFormPurpose(Guid.NewGuid(), "academy-social", "Academy social media", "…", "en", null),
            new SigningFormPurpose(Guid.NewGuid(), "press-media", "Press and media", "…", "en", null),
        ]);

    [Fact]
    public void AParent_MustAnswerEveryPurpose_TickResponsibility_AndTypeAName()
    {
        var (errors, _, _) = SigningValidation.Validate(Form(PartyKind.Contact),
            new SigningAnswers(new Dictionary<string, string?> { ["answer-academy-social"] = "yes", ["answer-press-media"] = "maybe" }, false, " x "));
        Assert.Equal(
            [("answer-press-media", SigningErrorKind.ChooseYesOrNo), ("responsibility", SigningErrorKind.ConfirmResponsibility), ("signature-name", SigningErrorKind.TypeFullName)],
            errors.Select(e => (e.Field, e.Kind)));
    }

    [Fact]
    public void APupil_NeedsNoResponsibilityTick_AndTheNameIsTidied()
    {
        var (errors, yes, name) = SigningValidation.Validate(Form(PartyKind.Pupil),
            new SigningAnswers(new Dictionary<string, string?> { ["answer-academy-social"] = "Yes", ["answer-press-media"] = "no" }, false, "  Sam   Pupil "));
        Assert.Empty(errors);
        Assert.Equal([true, false], yes.Values);
        Assert.Equal("Sam Pupil", name);
    }
}
