namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Goods sold inside a record and the payments (finance transactions) of a paid record.</summary>
internal static class RecordSales
{
    public static IReadOnlyList<SandboxRecordGood> SellGoods(
        CompanyGenerationContext context, SandboxStaff staff, SandboxClient? client, long recordId, long documentId,
        DateTimeOffset paymentDate, DateTimeOffset lastChange)
    {
        var random = context.Random;
        var retail = context.Goods.Where(g => !g.IsConsumable).ToList();
        var chosen = new List<SandboxGood> { random.Pick(retail) };
        if (random.Chance(0.3) && random.Pick(retail) is var second && second.Id != chosen[0].Id)
        {
            chosen.Add(second);
        }

        var lines = new List<SandboxRecordGood>();
        foreach (var good in chosen)
        {
            var amount = random.Chance(0.85) ? -1m : -2m;
            var discount = random.Chance(0.15) ? 10m : 0m;
            var cost = Money.Discounted(good.Cost * -amount, discount);
            var transactionId = context.Ids.NextGoodsTransaction(random.Between(1, 4));
            context.GoodsTransactions.Add(new SandboxGoodsTransaction
            {
                Id = transactionId,
                CompanyId = context.Company.Id,
                DocumentId = documentId,
                TypeId = SandboxGoodsTransaction.SaleType,
                GoodId = good.Id,
                StorageId = good.StorageId,
                UnitId = good.UnitId,
                OperationUnitType = 1,
                Amount = amount,
                CostPerUnit = good.Cost,
                DiscountPercent = discount,
                Cost = cost,
                CreateDate = paymentDate.AddMinutes(-1),
                LastChangeDate = lastChange,
                Comment = "",
                Deleted = false,
                MasterId = staff.Id,
                SupplierId = null,
                SupplierTitle = null,
                ClientId = client?.Id,
                RecordId = recordId,
                ServiceId = 0,
                UserId = SandboxCredentials.UserId,
            });
            lines.Add(new SandboxRecordGood
            {
                GoodsTransactionId = transactionId,
                GoodId = good.Id,
                StorageId = good.StorageId,
                Amount = amount,
                MasterId = staff.Id,
                DiscountPercent = discount,
                Price = good.Cost,
                Cost = cost,
            });
        }

        return lines;
    }

    public static void AddPayments(
        CompanyGenerationContext context, SandboxStaff staff, SandboxClient? client, long recordId, long visitId, long documentId,
        DateTimeOffset paymentDate, DateTimeOffset lastChange, IReadOnlyList<SandboxRecordService> lines, IReadOnlyList<SandboxRecordGood> goods)
    {
        var account = context.Random.Chance(0.6) ? context.CardAccount : context.CashAccount;
        foreach (var line in lines.Where(l => l.Cost > 0))
        {
            context.Finance.Add(Payment(context, staff, client, recordId, visitId, documentId, paymentDate, lastChange, account,
                line.Cost, SandboxFinanceTransaction.ServicesExpenseId, "Оказание услуг", line.ServiceId, "service"));
        }

        foreach (var good in goods.Where(g => g.Cost > 0))
        {
            context.Finance.Add(Payment(context, staff, client, recordId, visitId, documentId, paymentDate, lastChange, account,
                good.Cost, SandboxFinanceTransaction.GoodsExpenseId, "Продажа товаров", good.GoodsTransactionId, "goods_transaction"));
        }
    }

    private static SandboxFinanceTransaction Payment(
        CompanyGenerationContext context, SandboxStaff staff, SandboxClient? client, long recordId, long visitId, long documentId,
        DateTimeOffset date, DateTimeOffset lastChange, SandboxAccount account, decimal amount, long expenseId, string expenseTitle,
        long soldItemId, string soldItemType) => new()
    {
        Id = context.Ids.NextFinance(context.Random.Between(1, 3)),
        CompanyId = context.Company.Id,
        DocumentId = documentId,
        Date = date,
        Amount = amount,
        Comment = "",
        ExpenseId = expenseId,
        ExpenseTitle = expenseTitle,
        AccountId = account.Id,
        ClientId = client?.Id,
        MasterId = staff.Id,
        SupplierId = null,
        SupplierTitle = null,
        RecordId = recordId,
        VisitId = visitId,
        SoldItemId = soldItemId,
        SoldItemType = soldItemType,
        LastChangeDate = lastChange,
        Deleted = false,
    };
}
