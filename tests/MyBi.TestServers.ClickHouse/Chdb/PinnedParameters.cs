using System.Buffers;
using System.Text;

namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>Query parameters ({name:Type} values) pinned as the pointer/length arrays chDB's *_with_params_n calls take.</summary>
internal sealed unsafe class PinnedParameters : IDisposable
{
    private readonly List<MemoryHandle> _handles = [];

    public PinnedParameters(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var count = parameters.Count;
        var names = new IntPtr[Math.Max(count, 1)];
        var nameLengths = new nuint[Math.Max(count, 1)];
        var values = new IntPtr[Math.Max(count, 1)];
        var valueLengths = new nuint[Math.Max(count, 1)];
        for (var i = 0; i < count; i++)
        {
            names[i] = Pin(Encoding.UTF8.GetBytes(parameters[i].Key), out nameLengths[i]);
            values[i] = Pin(Encoding.UTF8.GetBytes(parameters[i].Value), out valueLengths[i]);
        }

        Names = (IntPtr*)PinArray(names);
        NameLengths = (nuint*)PinArray(nameLengths);
        Values = (IntPtr*)PinArray(values);
        ValueLengths = (nuint*)PinArray(valueLengths);
        Count = (nuint)count;
    }

    public nuint Count { get; }

    public IntPtr* Names { get; }

    public nuint* NameLengths { get; }

    public IntPtr* Values { get; }

    public nuint* ValueLengths { get; }

    private IntPtr Pin(byte[] bytes, out nuint length)
    {
        length = (nuint)bytes.Length;
        return (IntPtr)PinArray(bytes);
    }

    private void* PinArray<T>(T[] array)
    {
        var handle = array.AsMemory().Pin();
        _handles.Add(handle);
        return handle.Pointer;
    }

    public void Dispose()
    {
        foreach (var handle in _handles)
        {
            handle.Dispose();
        }

        _handles.Clear();
    }
}
