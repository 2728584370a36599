using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Parsing;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>A company being loaded: its id, its clock and the object YCLIENTS returned for it.</summary>
internal sealed class CompanyInfo
{
    public CompanyInfo(long id, JsonObject row)
    {
        Id = id;
        Row = row;
        Clock = CompanyClock.FromCompany(row);
    }

    public long Id { get; }

    public JsonObject Row { get; }

    public CompanyClock Clock { get; }

    /// <summary>The id as a state key.</summary>
    public string Key => Id.ToString(CultureInfo.InvariantCulture);
}
