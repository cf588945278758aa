using Npgsql;

namespace ConsentHub.Email;

/// <summary>
/// Told when the drain gives up on messages for good (a 5xx reply, or still failing at MaxAttempts), inside the
/// transaction that records it: whatever it writes commits with the outcome or not at all. Chasing uses it to mark
/// the address failing and put the party on the office follow-up list.
/// </summary>
public interface IDeliveryFailureObserver
{
    Task OnFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<long> outboxIds, CancellationToken cancellationToken);
}
