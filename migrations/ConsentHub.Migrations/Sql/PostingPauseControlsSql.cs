namespace ConsentHub.Migrations.Sql;

/// <summary>
/// Pauses set before the notice job existed: those already begun (or over) count as told, so the job does not
/// email the administrative contacts about a pause long under way or long gone.
/// </summary>
internal static class PostingPauseControlsSql
{
    public const string Up = """
        UPDATE consenthub.posting_pauses SET start_notice_at = set_at WHERE start_notice_at IS NULL AND "from" <= now();
        UPDATE consenthub.posting_pauses SET end_notice_at = until WHERE end_notice_at IS NULL AND until <= now();
        """;
}
