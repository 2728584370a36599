using System.Diagnostics.CodeAnalysis;

namespace MyBi.Abstractions.Connectors;

/// <summary>
/// A request budget a connector awaits before each request. The lease it gets is disposed when the request has
/// completed (its answer read): the budget counts a request from when it may reach the server until it is done.
/// </summary>
public abstract class RateBudget
{
    /// <summary>Waits until a request may start; dispose the lease when the request has completed.</summary>
    public abstract ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes a lease if a request may start now, without waiting.</summary>
    public abstract bool TryAcquire([NotNullWhen(true)] out IDisposable? lease);
}
