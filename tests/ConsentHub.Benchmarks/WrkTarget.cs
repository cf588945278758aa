namespace ConsentHub.Benchmarks;

/// <summary>
/// What wrk loads: a base URL and a Lua script that defines at least <c>request()</c>, so each request can
/// pick its own key (a fixed URL would only measure one hot row). The runner appends its own <c>done()</c>.
/// </summary>
public sealed record WrkTarget(Uri Url, string RequestScript);
