namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Id counters shared by all companies. Bases mimic live magnitudes; documents and goods
/// transactions start above 2^31 so that 32-bit id handling fails loudly.</summary>
internal sealed class IdSequences
{
    private long _record = 1_700_000_000;
    private long _visit = 1_480_000_000;
    private long _finance = 1_460_000_000;
    private long _goodsTransaction = 3_100_000_000;
    private long _document = 2_683_000_000;
    private long _client = 86_690_000;
    private long _staff = 1_072_500;
    private long _position = 136_400;
    private long _service = 6_137_900;
    private long _category = 2_051_100;
    private long _good = 232_600;
    private long _storage = 36_500;
    private long _account = 13_880;
    private long _label = 2_678_300;
    private long _techCard = 36_050;
    private long _techCardItem = 208_500;

    public long NextRecord(long step = 1) => Interlocked.Add(ref _record, step);
    public long NextVisit(long step = 1) => Interlocked.Add(ref _visit, step);
    public long NextFinance(long step = 1) => Interlocked.Add(ref _finance, step);
    public long NextGoodsTransaction(long step = 1) => Interlocked.Add(ref _goodsTransaction, step);
    public long NextDocument(long step = 1) => Interlocked.Add(ref _document, step);
    public long NextClient(long step = 1) => Interlocked.Add(ref _client, step);
    public long NextStaff() => Interlocked.Increment(ref _staff);
    public long NextPosition() => Interlocked.Increment(ref _position);
    public long NextService() => Interlocked.Increment(ref _service);
    public long NextCategory() => Interlocked.Increment(ref _category);
    public long NextGood() => Interlocked.Increment(ref _good);
    public long NextStorage() => Interlocked.Increment(ref _storage);
    public long NextAccount() => Interlocked.Increment(ref _account);
    public long NextLabel() => Interlocked.Increment(ref _label);
    public long NextTechCard() => Interlocked.Increment(ref _techCard);
    public long NextTechCardItem() => Interlocked.Increment(ref _techCardItem);
}
