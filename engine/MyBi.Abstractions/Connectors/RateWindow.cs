namespace MyBi.Abstractions.Connectors;

/// <summary>At most <see cref="Limit"/> requests in any span of <see cref="Span"/>, as a server counts them.</summary>
/// <param name="Limit">Requests allowed in one window; at least 1.</param>
/// <param name="Span">The length of the window; positive.</param>
public readonly record struct RateWindow(int Limit, TimeSpan Span);
