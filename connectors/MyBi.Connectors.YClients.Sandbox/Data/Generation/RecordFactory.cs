namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Turns a planned visit into records with their documents, payments, goods sales and consumables.</summary>
internal static class RecordFactory
{
    private static readonly decimal[] s_discounts = [5m, 10m, 15m, 20m, 33.71m];

    private static readonly string[] s_comments =
        ["Тон 7.1, без аммиака", "Перезвонить за день", "Клиент может опоздать на 10 минут", "Оплата картой", "Первый визит по рекомендации"];

    public static void CreateVisit(CompanyGenerationContext context, DateOnly day, bool busyDay, SandboxClient? client, IReadOnlyList<VisitSlot> slots)
    {
        var random = context.Random;
        var past = day < context.Today;
        var deleted = random.Chance(0.04);
        var attendance = deleted ? 0 : past ? PastAttendance(random) : random.Chance(0.45) ? 2 : 0;
        var paid = attendance == 1 && !random.Chance(0.05);
        var visitId = context.Ids.NextVisit(random.Between(1, 5));
        var recordIds = new List<long>();
        foreach (var slot in slots)
        {
            var record = CreateRecord(context, day, busyDay, client, slot, visitId, attendance, deleted, paid);
            recordIds.Add(record.Id);
        }

        context.Visits.Add(new SandboxVisit
        {
            Id = visitId,
            CompanyId = context.Company.Id,
            ClientId = client?.Id,
            Datetime = context.Local(day, slots[0].StartMinute),
            Attendance = attendance,
            Comment = "",
            RecordIds = recordIds,
        });
    }

    private static int PastAttendance(GenerationRandom random)
    {
        var u = random.NextDouble();
        return u < 0.85 ? 1 : u < 0.92 ? -1 : u < 0.95 ? 2 : 0;
    }

    private static SandboxRecord CreateRecord(
        CompanyGenerationContext context, DateOnly day, bool busyDay, SandboxClient? client, VisitSlot slot,
        long visitId, int attendance, bool deleted, bool paid)
    {
        var random = context.Random;
        var recordId = context.Ids.NextRecord(random.Between(1, 7));
        var datetime = context.Local(day, slot.StartMinute);
        var lengthSeconds = slot.Services.Sum(s => s.DurationSeconds);
        var end = datetime.AddSeconds(lengthSeconds);
        var created = datetime.AddMinutes(-random.Between(30, 60 * 24 * 20));
        if (created >= context.Anchor)
        {
            created = context.Anchor.AddMinutes(-random.Between(60, 60 * 72));
        }

        // On busy days the administrator closes all payments at once at the end of the day, so their dates tie.
        var paymentDate = busyDay ? context.Local(day, ScheduleGenerator.ClosingMinute) : end;
        var lastChange = LastChange(context, attendance, deleted, paid, created, datetime, end, paymentDate);
        var lines = slot.Services.Select(s => ServiceLine(context, s, client)).ToList();
        var visitDocument = context.AddDocument(SandboxDocument.VisitType, datetime, 0, "", recordId, visitId);
        var goods = paid && random.Chance(0.2) ? SellGoods(context, slot.Staff, client, recordId, visitDocument.Id, paymentDate, lastChange) : [];
        if (paid)
        {
            AddPayments(context, slot.Staff, client, recordId, visitId, visitDocument.Id, paymentDate, lastChange, lines, goods);
        }

        if (attendance == 1)
        {
            WriteOffConsumables(context, slot.Staff, recordId, visitId, datetime, lastChange, lines);
        }

        var online = random.Chance(0.4);
        var record = new SandboxRecord
        {
            Id = recordId,
            CompanyId = context.Company.Id,
            StaffId = slot.Staff.Id,
            ClientId = client?.Id,
            VisitId = visitId,
            Datetime = datetime,
            LengthSeconds = lengthSeconds,
            CreateDate = created,
            LastChangeDate = lastChange,
            Attendance = attendance,
            Confirmed = attendance != 0 || random.Chance(0.3),
            Deleted = deleted,
            PaidFull = paid,
            Online = online,
            Comment = random.Chance(0.2) ? random.Pick(s_comments) : "",
            RecordFrom = online ? "widget" : "",
            CreatedUserId = SandboxCredentials.UserId,
            LabelIds = random.Chance(0.2) ? [random.Pick(context.Labels.Where(l => l.Entity == SandboxLabel.RecordEntity).ToList()).Id] : [],
            DocumentIds = [visitDocument.Id],
            Services = lines,
            Goods = goods,
        };
        context.Records.Add(record);
        return record;
    }

    private static DateTimeOffset LastChange(
        CompanyGenerationContext context, int attendance, bool deleted, bool paid,
        DateTimeOffset created, DateTimeOffset datetime, DateTimeOffset end, DateTimeOffset paymentDate)
    {
        var random = context.Random;
        DateTimeOffset value;
        if (!deleted && paid)
        {
            value = paymentDate.AddSeconds(random.Between(5, 120));
        }
        else if (!deleted && attendance == 1)
        {
            value = end.AddMinutes(random.Between(5, 60));
        }
        else if (!deleted && attendance == -1)
        {
            value = end.AddMinutes(random.Between(10, 90));
        }
        else
        {
            var limit = datetime < context.Anchor ? datetime : context.Anchor;
            var span = Math.Max(60, (long)(limit - created).TotalSeconds);
            value = created.AddSeconds((long)(span * random.NextDouble()) + 30);
        }

        value = context.Cap(value);
        return value < created ? created : value;
    }

    private static SandboxRecordService ServiceLine(CompanyGenerationContext context, SandboxService service, SandboxClient? client)
    {
        var random = context.Random;
        var steps = (int)((service.PriceMax - service.PriceMin) / 50);
        var costPerUnit = service.PriceMin + random.Between(0, steps) * 50;
        var amount = random.Chance(0.03) ? 2m : 1m;
        var discount = client is { Discount: > 0 } ? client.Discount : random.Chance(0.12) ? random.Pick(s_discounts) : 0m;
        var firstCost = costPerUnit * amount;
        var cost = Money.Discounted(firstCost, discount);
        return new SandboxRecordService
        {
            ServiceId = service.Id,
            Title = service.Title,
            Amount = amount,
            CostPerUnit = costPerUnit,
            FirstCost = firstCost,
            DiscountPercent = discount,
            Cost = cost,
            ManualCost = cost,
            CostToPay = cost,
        };
    }

    private static IReadOnlyList<SandboxRecordGood> SellGoods(
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

    private static void AddPayments(
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

    private static void WriteOffConsumables(
        CompanyGenerationContext context, SandboxStaff staff, long recordId, long visitId,
        DateTimeOffset datetime, DateTimeOffset lastChange, IReadOnlyList<SandboxRecordService> lines)
    {
        SandboxDocument? document = null;
        foreach (var line in lines)
        {
            var service = context.Services.First(s => s.Id == line.ServiceId);
            if (service.TechnologicalCardId == 0)
            {
                continue;
            }

            document ??= context.AddDocument(SandboxDocument.ConsumablesType, datetime, context.ServiceStorage.Id, "", recordId, visitId);
            var card = context.TechnologicalCards.First(c => c.Id == service.TechnologicalCardId);
            foreach (var item in card.Items)
            {
                var good = context.Goods.First(g => g.Id == item.GoodId);
                var amount = -item.Amount * line.Amount;
                context.GoodsTransactions.Add(new SandboxGoodsTransaction
                {
                    Id = context.Ids.NextGoodsTransaction(context.Random.Between(1, 4)),
                    CompanyId = context.Company.Id,
                    DocumentId = document.Id,
                    TypeId = SandboxGoodsTransaction.ConsumableType,
                    GoodId = good.Id,
                    StorageId = item.StorageId,
                    UnitId = good.ServiceUnitId,
                    OperationUnitType = 2,
                    Amount = amount,
                    CostPerUnit = good.UnitActualCost,
                    DiscountPercent = 0,
                    Cost = Money.Discounted(good.UnitActualCost * -amount, 0),
                    CreateDate = datetime,
                    LastChangeDate = lastChange,
                    Comment = "",
                    Deleted = false,
                    MasterId = staff.Id,
                    SupplierId = null,
                    SupplierTitle = null,
                    ClientId = null,
                    RecordId = recordId,
                    ServiceId = service.Id,
                    UserId = SandboxCredentials.UserId,
                });
            }
        }
    }
}
