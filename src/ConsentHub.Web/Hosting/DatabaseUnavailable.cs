using Npgsql;

namespace ConsentHub.Web.Hosting;

/// <summary>
/// When the database cannot be reached (no server accepts the connection, a promotion under way, a connection
/// timing out), the request is answered <c>503 Service Unavailable</c> with <c>Retry-After</c> — what it is, and what a
/// client or nginx can act on — instead of a 500 that reads as a bug. A write that could not connect never started;
/// one whose connection broke mid-way may or may not have committed, so the message asks to check before retrying
/// (API clients: retry with the same Idempotency-Key). Errors of a reachable database are not touched.
/// </summary>
public static class DatabaseUnavailable
{
    public const int RetryAfterSeconds = 5;

    public static IApplicationBuilder UseConsentHubDatabaseUnavailable(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (IsUnreachable(e) && !context.Response.HasStarted)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseUnavailable));
                logger.LogWarning("The database could not be reached: answered 503 ({Error})", e.GetBaseException().Message);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers.CacheControl = "no-store";
                const string detail = "ConsentHub cannot reach its database for a moment. Please try again in a few seconds; if you were saving something, check whether it was saved first.";
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail)
                        .ExecuteAsync(context);
                }
                else
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync($"""
                        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                        <title>Try again in a moment – ConsentHub</title></head>
                        <body><main><h1>Try again in a moment</h1><p>{detail}</p></main></body></html>
                        """);
                }
            }
        });

    /// <summary>A failure to reach a server, as opposed to an error the server returned.</summary>
    public static bool IsUnreachable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException) return false;
            if (x is NpgsqlException npgsql && (npgsql.IsTransient || npgsql.Message.Contains("No suitable host", StringComparison.Ordinal)))
                return true;
        }
        return false;
    }
}
