namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Generates the slowly changing reference data of a company: storages, tills, goods, price list, staff, labels.</summary>
internal static class CatalogGenerator
{
    public static void Generate(CompanyGenerationContext context)
    {
        AddStoragesAndAccounts(context);
        AddGoods(context);
        var serviceCategories = AddPriceList(context);
        AddStaff(context, serviceCategories);
        AddLabels(context);
    }

    private static void AddStoragesAndAccounts(CompanyGenerationContext context)
    {
        var companyId = context.Company.Id;
        context.Storages.Add(new SandboxStorage { Id = context.Ids.NextStorage(), CompanyId = companyId, Title = "Расходники", ForService = true, ForSale = false, Comment = "Для автосписания по техкартам" });
        context.Storages.Add(new SandboxStorage { Id = context.Ids.NextStorage(), CompanyId = companyId, Title = "Товары", ForService = false, ForSale = true, Comment = "Розничная продажа" });
        context.Accounts.Add(new SandboxAccount { Id = context.Ids.NextAccount(), CompanyId = companyId, Title = "Основная касса", Type = 0, Comment = "Наличные на ресепшене" });
        context.Accounts.Add(new SandboxAccount { Id = context.Ids.NextAccount(), CompanyId = companyId, Title = "Эквайринг", Type = 1, Comment = "Терминал Сбер" });
        context.Suppliers.Add((1968 + context.CompanyIndex * 10, "ООО «ПрофКосметик»"));
        context.Suppliers.Add((1969 + context.CompanyIndex * 10, "ИП Соколов А. В."));
    }

    private static void AddGoods(CompanyGenerationContext context)
    {
        foreach (var template in GoodsCatalog.Goods)
        {
            var storage = template.IsConsumable ? context.ServiceStorage : context.SaleStorage;
            context.Goods.Add(new SandboxGood
            {
                Id = context.Ids.NextGood(),
                CompanyId = context.Company.Id,
                Title = template.Title,
                Article = template.Article,
                Cost = template.Price,
                ActualCost = template.CostPrice,
                UnitActualCost = Money.Normalize(decimal.Round(template.CostPrice / template.UnitEquals, 2, MidpointRounding.AwayFromZero)),
                UnitId = GoodsCatalog.PieceUnitId,
                UnitShortTitle = "шт",
                ServiceUnitId = template.ServiceUnitId,
                ServiceUnitShortTitle = GoodsCatalog.Unit(template.ServiceUnitId).ShortTitle,
                UnitEquals = template.UnitEquals,
                Barcode = $"46{context.Random.Between(10000000, 99999999)}{context.Random.Between(100, 999)}",
                StorageId = storage.Id,
                StockAmount = context.Random.Between(3, 40),
                IsConsumable = template.IsConsumable,
                LastChangeDate = context.Cap(context.Anchor.AddMinutes(-context.Random.Between(60, 60 * 24 * 90))),
            });
        }
    }

    private static Dictionary<long, ServiceCatalog.CategoryTemplate> AddPriceList(CompanyGenerationContext context)
    {
        var categoryIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var templatesByCategory = new Dictionary<long, ServiceCatalog.CategoryTemplate>();
        var weight = 100;
        foreach (var (categoryTemplate, serviceTemplate) in ServiceCatalog.Take(context.Options.ServicesPerCompany))
        {
            if (!categoryIds.TryGetValue(categoryTemplate.Title, out var categoryId))
            {
                categoryId = context.Ids.NextCategory();
                categoryIds[categoryTemplate.Title] = categoryId;
                templatesByCategory[categoryId] = categoryTemplate;
            }

            var serviceId = context.Ids.NextService();
            long cardId = 0;
            if (serviceTemplate.Consumables.Count > 0)
            {
                cardId = context.Ids.NextTechCard();
                context.TechnologicalCards.Add(new SandboxTechnologicalCard
                {
                    Id = cardId,
                    CompanyId = context.Company.Id,
                    ServiceId = serviceId,
                    Title = serviceTemplate.Title,
                    Items = [.. serviceTemplate.Consumables.Select(use => CardItem(context, cardId, use))],
                });
            }

            context.Services.Add(new SandboxService
            {
                Id = serviceId,
                CompanyId = context.Company.Id,
                CategoryId = categoryId,
                Title = serviceTemplate.Title,
                BookingTitle = serviceTemplate.Title,
                PrintTitle = serviceTemplate.PrintTitle,
                PriceMin = serviceTemplate.PriceMin,
                PriceMax = serviceTemplate.PriceMax,
                DurationSeconds = serviceTemplate.Minutes * 60,
                Weight = weight--,
                ApiId = "",
                StaffIds = [],
                TechnologicalCardId = cardId,
            });
        }

        weight = 10;
        foreach (var (title, id) in categoryIds)
        {
            var services = context.Services.Where(s => s.CategoryId == id).ToList();
            context.Categories.Add(new SandboxServiceCategory
            {
                Id = id,
                CompanyId = context.Company.Id,
                Title = title,
                ApiId = templatesByCategory[id].ApiId,
                Weight = weight--,
                PriceMin = services.Min(s => s.PriceMin),
                PriceMax = services.Max(s => s.PriceMax),
                StaffIds = [],
            });
        }

        return templatesByCategory;
    }

    private static SandboxTechnologicalCardItem CardItem(CompanyGenerationContext context, long cardId, ServiceCatalog.ConsumableUse use)
    {
        var good = context.Goods.First(g => g.Title == use.GoodTitle);
        return new SandboxTechnologicalCardItem
        {
            Id = context.Ids.NextTechCardItem(),
            GoodId = good.Id,
            StorageId = good.StorageId,
            Amount = use.Amount,
            Price = Money.Normalize(decimal.Round(use.Amount * good.UnitActualCost, 2, MidpointRounding.AwayFromZero)),
        };
    }

    private static void AddStaff(CompanyGenerationContext context, Dictionary<long, ServiceCatalog.CategoryTemplate> categories)
    {
        var random = context.Random;
        var categoryList = context.Categories;
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < context.Options.StaffPerCompany; i++)
        {
            var category = categoryList[i % categoryList.Count];
            var template = categories[category.Id];
            if (!positions.TryGetValue(template.Position, out var positionId))
            {
                positionId = context.Ids.NextPosition();
                positions[template.Position] = positionId;
            }

            string name;
            do
            {
                name = random.Chance(0.8)
                    ? $"{random.Pick(RussianNames.FemaleFirst)} {random.Pick(RussianNames.FemaleSurnames)}"
                    : $"{random.Pick(RussianNames.MaleFirst)} {RussianNames.MaleSurname(random.Pick(RussianNames.FemaleSurnames))}";
            }
            while (!usedNames.Add(name) && usedNames.Count < 500);

            context.Staff.Add(new SandboxStaff
            {
                Id = context.Ids.NextStaff(),
                CompanyId = context.Company.Id,
                Name = name,
                Specialization = template.Specialization,
                PositionId = positionId,
                PositionTitle = template.Position,
                Rating = 4.5m + random.Between(0, 50) / 100m,
                VotesCount = random.Between(0, 80),
                Weight = context.Options.StaffPerCompany - i,
                UserId = 5_120_000 + context.CompanyIndex * 1000 + i,
                ServiceIds = [.. context.Services.Where(s => s.CategoryId == category.Id).Select(s => s.Id)],
            });
        }

        for (var i = 0; i < context.Services.Count; i++)
        {
            var service = context.Services[i];
            context.Services[i] = service with { StaffIds = [.. context.Staff.Where(s => s.ServiceIds.Contains(service.Id)).Select(s => s.Id)] };
        }

        for (var i = 0; i < categoryList.Count; i++)
        {
            var category = categoryList[i];
            var serviceIds = context.Services.Where(s => s.CategoryId == category.Id).Select(s => s.Id).ToHashSet();
            categoryList[i] = category with { StaffIds = [.. context.Staff.Where(s => s.ServiceIds.Any(serviceIds.Contains)).Select(s => s.Id)] };
        }
    }

    private static void AddLabels(CompanyGenerationContext context)
    {
        (int Entity, string Title, string Color, string Icon, string Font)[] labels =
        [
            (SandboxLabel.RecordEntity, "Новый клиент", "dfd4f2", "exclamation", "000000"),
            (SandboxLabel.RecordEntity, "Сотрудник важен", "ff2828", "lock", "ffffff"),
            (SandboxLabel.RecordEntity, "Предоплата", "4caf50", "ruble", "ffffff"),
            (SandboxLabel.ClientEntity, "Постоянный", "009800", "star", "ffffff"),
            (SandboxLabel.ClientEntity, "VIP", "f1c40f", "crown", "000000"),
            (SandboxLabel.ClientEntity, "Проблемный", "e74c3c", "ban", "ffffff"),
        ];
        foreach (var label in labels)
        {
            context.Labels.Add(new SandboxLabel
            {
                Id = context.Ids.NextLabel(),
                CompanyId = context.Company.Id,
                Entity = label.Entity,
                Title = label.Title,
                Color = label.Color,
                Icon = label.Icon,
                FontColor = label.Font,
            });
        }
    }
}
