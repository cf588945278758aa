using ConsentHub.Pupils;

namespace ConsentHub.Tests.Pupils;

/// <summary>An email opens as a person would write it: by title and surname when both are known, else by name, else neutrally.</summary>
public sealed class SalutationTests
{
    [Theory]
    [InlineData("Ms", "Lan", "Đặng", "en", "Dear Ms Đặng")]
    [InlineData(" Mr. ", "Łukasz", "O'Brien", "en", "Dear Mr O'Brien")]
    [InlineData("Dr", "Ana", "Mureșan", "en-GB", "Dear Dr Mureșan")]
    [InlineData(null, "Minh", "Nguyễn", "en", "Dear Minh Nguyễn")]
    [InlineData("", "Zoë", "Ødegård", "en", "Dear Zoë Ødegård")]
    [InlineData("Mrs", "", "", "en", "Dear parent or carer")]
    [InlineData("Ms", "Lan", "", "en", "Dear Lan")]
    [InlineData("see note 2", "Minh", "Nguyễn", "en", "Dear Minh Nguyễn")]
    [InlineData("Mrs", "Anna", "Nowak", "pl", "Szanowna Pani Nowak")]
    [InlineData("Mr", "Piotr", "Nowak", "pl", "Szanowny Panie Nowak")]
    [InlineData(null, "Piotr", "Nowak", "pl", "Dzień dobry, Piotr Nowak")]
    [InlineData("Mrs", "Ana", "Mureșan", "ro", "Stimată doamnă Mureșan")]
    [InlineData(null, "Ana", "Mureșan", "ro", "Bună ziua, Ana Mureșan")]
    [InlineData("Mr", "محمد", "خان", "ar", "عزيزي محمد خان")]
    [InlineData("Mrs", "عائشة", "خان", "ur", "محترمہ عائشة خان")]
    [InlineData(null, "Harpreet", "Kaur", "pa", "ਪਿਆਰੇ Harpreet Kaur ਜੀ")]
    public void TheGreeting_ReadsNaturally(string? title, string first, string last, string language, string expected) =>
        Assert.Equal(expected, Salutation.For(title, first, last, language));
}
