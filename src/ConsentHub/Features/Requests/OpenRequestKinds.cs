namespace ConsentHub.Requests;

/// <summary>
/// How an open request reached its party, stated once for the office's home figures and the open-requests list
/// (alias r = signature_requests, c = its contact, LEFT JOINed).
/// </summary>
public static class OpenRequestKinds
{
    /// <summary>The form went out on paper (no usable address at issue, or the office chose paper).</summary>
    public const string PaperSql = "(coalesce(r.delivery, 'Email') = 'Paper')";

    /// <summary>The contact's address has failed since (a bounce): the email will not reach them.</summary>
    public const string FailingSql = "(r.party_kind <> 'Pupil' AND c.email_failing_since IS NOT NULL)";
}

/// <summary>How an open request reached its party, as the office filters them.</summary>
public enum OpenRequestDelivery
{
    /// <summary>By email, to an address that works.</summary>
    Email = 0,

    /// <summary>On paper: a return to record.</summary>
    Paper = 1,

    /// <summary>By email, to an address that has failed since: paper is needed.</summary>
    EmailFailing = 2,
}
