namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Writes off the consumables of a rendered record's services by their technological cards.</summary>
internal static class ConsumableWriteOff
{
    public static void Write(
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
