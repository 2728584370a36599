namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Builds the whole dataset; the result depends only on seed, anchor date and sizes.</summary>
internal static class SandboxDataGenerator
{
    public static (IReadOnlyList<CompanyDataParts> Companies, IdSequences Ids) Generate(SandboxOptions options, DateOnly today)
    {
        var ids = new IdSequences();
        var companies = new List<CompanyDataParts>();
        for (var index = 0; index <= options.Companies; index++)
        {
            var restricted = index == options.Companies;
            var branch = restricted ? CompanyCatalog.ForeignBranch : CompanyCatalog.ForIndex(index);
            var company = new SandboxCompany
            {
                Id = CompanyCatalog.FirstCompanyId + index,
                Title = branch.Title,
                ShortDescription = restricted ? "Барбершоп" : "Салон красоты",
                TimeZoneName = branch.Zone,
                UtcOffset = TimeSpan.FromHours(branch.OffsetHours),
                CityId = branch.CityId,
                City = branch.City,
                Address = branch.Address,
                Zip = branch.Zip,
                Phone = branch.Phone,
                CoordinateLat = branch.Lat,
                CoordinateLon = branch.Lon,
                ChainId = restricted ? 0 : CompanyCatalog.ChainId,
                ChainTitle = restricted ? "" : CompanyCatalog.ChainTitle,
                MainUserHasAccess = !restricted,
            };

            // A fixed mix, not HashCode.Combine: that one is randomized per process.
            var random = new GenerationRandom(unchecked((options.Seed * 7919) ^ (index * 104729)));
            var context = new CompanyGenerationContext(options, company, index, today, random, ids);
            CatalogGenerator.Generate(context);
            ClientGenerator.Generate(context);
            ScheduleGenerator.Generate(context);
            StockAndExpenseGenerator.Generate(context);
            ClientStatistics.Apply(context);
            companies.Add(context.ToParts());
        }

        return (companies, ids);
    }
}
