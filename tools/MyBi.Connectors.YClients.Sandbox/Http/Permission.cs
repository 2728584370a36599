namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Rights a user may have in a company, one per group of endpoints.</summary>
[Flags]
internal enum Permission
{
    None = 0,
    Catalog = 1,
    Clients = 2,
    Records = 4,
    Finance = 8,
    Storage = 16,
    Settings = 32,
    All = Catalog | Clients | Records | Finance | Storage | Settings,
}
