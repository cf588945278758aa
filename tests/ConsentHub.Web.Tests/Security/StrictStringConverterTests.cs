using System.Text.Json;
using ConsentHub.Web.Security;

namespace ConsentHub.Web.Tests.Security;

/// <summary>
/// The app's strict string converter also handles dictionary keys: a Dictionary&lt;string, …&gt; written with the
/// app's JSON options (a problem's extensions, request headers on the development error page) used to throw, which
/// turned an error page into a 500; a key holding NUL is refused like a value.
/// </summary>
public sealed class StrictStringConverterTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new StrictStringConverter() } };

    [Fact]
    public void ADictionaryWithStringKeys_IsWrittenAndReadBack()
    {
        var headers = new Dictionary<string, string> { ["Accept"] = "application/json", ["X-Łukasz"] = "Đặng" };
        var json = JsonSerializer.Serialize(headers, Options);
        Assert.Equal(headers, JsonSerializer.Deserialize<Dictionary<string, string>>(json, Options));
    }

    [Fact]
    public void AKeyHoldingNul_IsRefused_AsAValueIs()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Dictionary<string, string>>("{\"a\\u0000b\":\"x\"}", Options));
        Assert.Equal(StrictStringConverter.NulMessage, ex.Message);
    }
}
