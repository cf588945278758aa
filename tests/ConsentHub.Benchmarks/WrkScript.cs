using System.Globalization;

namespace ConsentHub.Benchmarks;

/// <summary>Lua pieces for wrk scripts.</summary>
public static class WrkScript
{
    /// <summary>
    /// Each wrk thread has its own Lua state and LuaJIT seeds them all alike, so <c>setup</c> numbers the threads
    /// and <c>init</c> seeds with that number; otherwise both threads would walk the same key sequence.
    /// </summary>
    private const string ThreadSeeding = """
        local thread_count = 0
        function setup(thread)
          thread_count = thread_count + 1
          thread:set("thread_number", thread_count)
        end

        function init(args)
          math.randomseed(os.time() * 1000 + thread_number)
        end

        """;

    /// <summary>Requests <c>{pathPrefix}{id}</c> with id drawn uniformly from [min, max].</summary>
    public static string RandomIdRequest(string pathPrefix, int min, int max) => ThreadSeeding + string.Create(CultureInfo.InvariantCulture, $$"""
        function request()
          return wrk.format("GET", "{{pathPrefix}}" .. math.random({{min}}, {{max}}))
        end
        """);

    /// <summary>
    /// Requests <c>{pathPrefix}{id}{pathSuffix}</c> with the id drawn uniformly from a fixed list (e.g. pupil
    /// uuids), sending the given headers.
    /// </summary>
    public static string RandomListRequest(string pathPrefix, IReadOnlyList<string> ids, string pathSuffix, IReadOnlyDictionary<string, string> headers)
    {
        var list = string.Join(",\n", ids.Select(id => "\"" + id + "\""));
        var head = string.Join(", ", headers.Select(h => $"[\"{h.Key}\"] = \"{h.Value}\""));
        return string.Create(CultureInfo.InvariantCulture, $$"""
            local ids = {
            {{list}}
            }
            local headers = { {{head}} }
            """) + "\n" + ThreadSeeding + string.Create(CultureInfo.InvariantCulture, $$"""
            function request()
              return wrk.format("GET", "{{pathPrefix}}" .. ids[math.random(#ids)] .. "{{pathSuffix}}", headers)
            end
            """);
    }

    /// <summary>
    /// Appended to every script by <see cref="WrkRunner"/>: prints one "@wrk key value" line per figure so the
    /// harness parses numbers instead of wrk's human-oriented summary (which rounds and switches units).
    /// </summary>
    public const string Reporter = """

        function done(summary, latency, requests)
          local function out(key, value) io.write(string.format("@wrk %s %.0f\n", key, value)) end
          out("requests", summary.requests)
          out("duration_us", summary.duration)
          out("errors_connect", summary.errors.connect)
          out("errors_read", summary.errors.read)
          out("errors_write", summary.errors.write)
          out("errors_status", summary.errors.status)
          out("errors_timeout", summary.errors.timeout)
          out("p50_us", latency:percentile(50))
          out("p95_us", latency:percentile(95))
          out("p99_us", latency:percentile(99))
        end
        """;
}
