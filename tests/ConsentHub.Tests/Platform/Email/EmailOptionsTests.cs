using ConsentHub.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Email;

public sealed class EmailOptionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddConsentHubEmail();
        return services.BuildServiceProvider();
    }

    private static OptionsValidationException Invalid(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmailOptions>>().Value);
    }

    [Fact]
    public void NoSettings_AreValid_AndWriteToTheMailDrop()
    {
        using var services = Services([]);

        Assert.IsType<MailDropEmailSender>(services.GetRequiredService<IEmailSender>());
        Assert.Equal("localhost", services.GetRequiredService<IOptions<EmailOptions>>().Value.ResolveMessageIdDomain());
    }

    [Fact]
    public void SmtpHost_SelectsTheSmtpSender()
    {
        using var services = Services(new()
        {
            ["Email:FromAddress"] = "consent@trust.example",
            ["Email:Smtp:Host"] = "smtp.trust.example",
            ["Email:Smtp:Security"] = "SslOnConnect",
            ["Email:Smtp:Port"] = "465",
        });

        Assert.IsType<MailKitEmailSender>(services.GetRequiredService<IEmailSender>());
        var options = services.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Equal((SmtpSecurity.SslOnConnect, 465, "trust.example"), (options.Smtp.Security, options.Smtp.Port, options.ResolveMessageIdDomain()));
    }

    [Fact]
    public void SmtpHost_WithThePlaceholderSender_IsRefused()
    {
        var e = Invalid(new() { ["Email:Smtp:Host"] = "smtp.trust.example" });

        Assert.Contains(e.Failures, f => f.Contains("Email:FromAddress", StringComparison.Ordinal) && f.Contains("mail drop", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Email:FromAddress", "not an address", "Email:FromAddress")]
    [InlineData("Email:BatchSize", "0", "Email:BatchSize is 0; it must be between 1 and 500.")]
    [InlineData("Email:MaxAttempts", "0", "Email:MaxAttempts")]
    [InlineData("Email:MessageIdDomain", "bad domain!", "Email:MessageIdDomain")]
    public void BadSetting_IsNamedInTheError(string key, string value, string expected)
    {
        var e = Invalid(new() { [key] = value });

        Assert.Contains(e.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void UserNameWithoutPassword_IsRefused()
    {
        var e = Invalid(new()
        {
            ["Email:FromAddress"] = "consent@trust.example",
            ["Email:Smtp:Host"] = "smtp.trust.example",
            ["Email:Smtp:UserName"] = "consent",
        });

        Assert.Contains(e.Failures, f => f.Contains("Email:Smtp:UserName and Email:Smtp:Password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidSettings_StopTheHostFromStarting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Email:BatchSize"] = "-1" });
        builder.Services.AddConsentHubEmail();
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
