namespace ConsentHub.Api;

/// <summary>Tells this instance's key cache that a key was revoked here, so it is refused from the next request.</summary>
public sealed class ApiKeyRevocations
{
    public event Action<string>? KeyRevoked;

    public void Revoked(string prefix) => KeyRevoked?.Invoke(prefix);
}
