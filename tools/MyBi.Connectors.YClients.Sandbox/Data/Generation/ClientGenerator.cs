namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Generates client cards; visit statistics are filled in by <see cref="ClientStatistics"/> once records exist.</summary>
internal static class ClientGenerator
{
    private static readonly string[] s_comments =
        ["Аллергия на аммиак", "Предпочитает утреннее время", "Просит не звонить, только СМС", "Чувствительная кожа"];

    public static void Generate(CompanyGenerationContext context)
    {
        var random = context.Random;
        var phones = new HashSet<string>(StringComparer.Ordinal);
        var clientLabels = context.Labels.Where(l => l.Entity == SandboxLabel.ClientEntity).ToList();
        for (var i = 0; i < context.Options.ClientsPerCompany; i++)
        {
            var female = random.Chance(0.85);
            var firstName = random.Pick(female ? RussianNames.FemaleFirst : RussianNames.MaleFirst);
            var femaleSurname = random.Pick(RussianNames.FemaleSurnames);
            var surname = female ? femaleSurname : RussianNames.MaleSurname(femaleSurname);
            var patronymic = random.Chance(0.6) ? random.Pick(female ? RussianNames.FemalePatronymics : RussianNames.MalePatronymics) : "";
            string phone;
            do
            {
                phone = $"+79{random.Between(10, 99)}{random.Between(1_000_000, 9_999_999)}";
            }
            while (!phones.Add(phone));

            var discount = random.Chance(0.1) ? 5m : random.Chance(0.05) ? 10m : 0m;
            context.Clients.Add(new SandboxClient
            {
                Id = context.Ids.NextClient(random.Between(1, 9)),
                CompanyId = context.Company.Id,
                FirstName = firstName,
                Surname = surname,
                Patronymic = patronymic,
                DisplayName = $"{firstName} {surname}",
                Phone = phone,
                Email = random.Chance(0.6) ? $"{RussianNames.Transliterate(firstName)}.{RussianNames.Transliterate(surname)}{i}@example.ru" : "",
                SexId = female ? 2 : 1,
                BirthDate = random.Chance(0.7) ? new DateOnly(random.Between(1960, 2005), random.Between(1, 12), random.Between(1, 28)) : null,
                Discount = discount,
                ImportanceId = discount > 0 ? random.Between(1, 3) : 0,
                Card = random.Chance(0.3) ? $"{context.CompanyIndex + 1:D2}{i + 1:D5}" : "",
                Comment = random.Chance(0.1) ? random.Pick(s_comments) : "",
                CategoryIds = random.Chance(0.25) ? [random.Pick(clientLabels).Id] : [],
                SmsCheck = random.Chance(0.5),
                SmsNot = random.Chance(0.1),
                Spent = 0,
                SuccessVisits = 0,
                FailVisits = 0,
                FirstVisit = null,
                LastVisit = null,
                LastChangeDate = context.Cap(context.Anchor.AddMinutes(-random.Between(60, 60 * 24 * 700))),
            });
        }
    }
}
