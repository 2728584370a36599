namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>One employee's part of a visit.</summary>
internal sealed record VisitSlot(SandboxStaff Staff, int StartMinute, IReadOnlyList<SandboxService> Services);
