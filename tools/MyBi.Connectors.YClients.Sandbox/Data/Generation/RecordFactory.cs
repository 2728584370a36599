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
        var goods = paid && random.Chance(0.2) ? RecordSales.SellGoods(context, slot.Staff, client, recordId, visitDocument.Id, paymentDate, lastChange) : [];
        if (paid)
        {
            RecordSales.AddPayments(context, slot.Staff, client, recordId, visitId, visitDocument.Id, paymentDate, lastChange, lines, goods);
        }

        if (attendance == 1)
        {
            ConsumableWriteOff.Write(context, slot.Staff, recordId, visitId, datetime, lastChange, lines);
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
}
