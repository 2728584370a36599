namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Generates the money and stock movements not tied to records: weekly goods receipts paid to a
/// supplier, occasional other income, some of it later deleted, and one deleted operation every week.</summary>
internal static class StockAndExpenseGenerator
{
    public static void Generate(CompanyGenerationContext context)
    {
        for (var day = context.Today.AddDays(-context.Options.DaysBack); day < context.Today; day = day.AddDays(1))
        {
            if ((day.DayNumber + context.CompanyIndex) % 7 == 0)
            {
                AddReceipt(context, day);
            }

            if (context.Random.Chance(0.08))
            {
                AddOtherIncome(context, day, deleted: context.Random.Chance(0.5));
            }

            // Every week of history holds an operation entered by mistake and deleted, whatever the anchor date:
            // a week without one would leave the deleted-transaction paths untested on that date.
            if ((day.DayNumber + context.CompanyIndex) % 7 == 3)
            {
                AddOtherIncome(context, day, deleted: true);
            }
        }
    }

    private static void AddReceipt(CompanyGenerationContext context, DateOnly day)
    {
        var random = context.Random;
        var supplier = random.Pick(context.Suppliers);
        var created = context.Local(day, 10 * 60 + 30);
        var lastChange = created.AddSeconds(random.Between(30, 300));
        var invoice = random.Between(100, 999);
        var document = context.AddDocument(SandboxDocument.ReceiptType, created, context.SaleStorage.Id, $"Накладная №{invoice}", 0, 0);
        var total = 0m;
        var goods = context.Goods.OrderBy(_ => random.NextDouble()).Take(random.Between(2, 3)).ToList();
        foreach (var good in goods)
        {
            var amount = (decimal)random.Between(2, 12);
            var cost = Money.Discounted(amount * good.ActualCost, 0);
            total += cost;
            context.GoodsTransactions.Add(new SandboxGoodsTransaction
            {
                Id = context.Ids.NextGoodsTransaction(random.Between(1, 4)),
                CompanyId = context.Company.Id,
                DocumentId = document.Id,
                TypeId = SandboxGoodsTransaction.ReceiptType,
                GoodId = good.Id,
                StorageId = good.StorageId,
                UnitId = good.UnitId,
                OperationUnitType = 1,
                Amount = amount,
                CostPerUnit = good.ActualCost,
                DiscountPercent = 0,
                Cost = cost,
                CreateDate = created,
                LastChangeDate = lastChange,
                Comment = $"Накладная №{invoice}",
                Deleted = false,
                MasterId = null,
                SupplierId = supplier.Id,
                SupplierTitle = supplier.Title,
                ClientId = null,
                RecordId = 0,
                ServiceId = 0,
                UserId = SandboxCredentials.UserId,
            });
        }

        context.Finance.Add(Expense(context, document.Id, created.AddMinutes(15), lastChange.AddMinutes(15), -total,
            2640, "Закупка товаров", $"Оплата накладной №{invoice}", context.CashAccount, supplier, deleted: false));
    }

    private static void AddOtherIncome(CompanyGenerationContext context, DateOnly day, bool deleted)
    {
        var random = context.Random;
        var date = context.Local(day, random.Between(9 * 60, 20 * 60));
        var amount = (decimal)(random.Between(5, 60) * 50);
        var changed = deleted ? date.AddHours(random.Between(1, 20)) : date.AddSeconds(random.Between(10, 120));
        context.Finance.Add(Expense(context, 0, date, context.Cap(changed), amount, 8, "Прочие доходы",
            deleted ? "Ошибочная операция" : "Аренда кабинета", context.CardAccount, null, deleted));
    }

    private static SandboxFinanceTransaction Expense(
        CompanyGenerationContext context, long documentId, DateTimeOffset date, DateTimeOffset lastChange, decimal amount,
        long expenseId, string expenseTitle, string comment, SandboxAccount account, (long Id, string Title)? supplier, bool deleted) => new()
    {
        Id = context.Ids.NextFinance(context.Random.Between(1, 3)),
        CompanyId = context.Company.Id,
        DocumentId = documentId,
        Date = date,
        Amount = Money.Normalize(amount),
        Comment = comment,
        ExpenseId = expenseId,
        ExpenseTitle = expenseTitle,
        AccountId = account.Id,
        ClientId = null,
        MasterId = null,
        SupplierId = supplier?.Id,
        SupplierTitle = supplier?.Title,
        RecordId = 0,
        VisitId = 0,
        SoldItemId = 0,
        SoldItemType = "",
        LastChangeDate = lastChange,
        Deleted = deleted,
    };
}
