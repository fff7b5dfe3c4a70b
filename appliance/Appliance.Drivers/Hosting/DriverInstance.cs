using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Wasmtime;

namespace Appliance.Drivers.Hosting;

/// <summary>
/// One running driver: a Wasmtime store and instance of its <see cref="DriverModule"/>, its capabilities, fuel and a
/// memory limit, and a deadline per call. <see cref="Poll"/> returns the readings the host could lift and check; any
/// trap, exhausted limit or malformed result throws <see cref="DriverFaultException"/>, after which the instance is
/// unusable: the caller makes a new one (<see cref="Create"/>), which is the reset.
/// </summary>
public sealed class DriverInstance : IDisposable
{
    private readonly DriverModule _module;
    private readonly Store _store;
    private readonly ValueBox[] _arguments = new ValueBox[4];
    private Memory _memory = null!;
    private Function _realloc = null!;
    private Function _init = null!;
    private Function _poll = null!;
    private Function? _postPoll;
    private long _deadline;
    private bool _faulted;

    private DriverInstance(DriverModule module, DriverCapabilities capabilities)
    {
        _module = module;
        Capabilities = capabilities;
        _store = new Store(module.Engine, this);
        _store.SetLimits(memorySize: (long)module.Limits.MemoryPages * 65_536, tableElements: 10_000, instances: 1, tables: 1, memories: 1);
    }

    public DriverCapabilities Capabilities { get; }

    /// <summary>Instantiates the driver and calls its <c>init</c>.</summary>
    /// <exception cref="DriverFaultException">It does not serve world sensor-driver, trapped, or its init said no.</exception>
    public static DriverInstance Create(DriverModule module, DriverCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(capabilities);
        var driver = new DriverInstance(module, capabilities);
        try
        {
            driver.Instantiate();
            driver.Init();
            return driver;
        }
        catch
        {
            driver._store.Dispose();
            throw;
        }
    }

    /// <summary>Calls the driver's <c>poll</c>: its readings, or the error it gave.</summary>
    /// <exception cref="DriverFaultException">It trapped, ran out of fuel or time, or returned what cannot be lifted.</exception>
    public (IReadOnlyList<DriverReading>? Readings, string? Error) Poll()
    {
        uint result = Call(_poll, DriverAbi.Poll);
        try
        {
            byte discriminant = ReadByte(result);
            if (discriminant == 1)
            {
                return (null, ReadString(ReadU32(result + 4), ReadU32(result + 8), maxBytes: 1024));
            }

            if (discriminant != 0)
            {
                throw Malformed($"poll returned the result case {discriminant}");
            }

            uint list = ReadU32(result + 4);
            uint count = ReadU32(result + 8);
            if (count > _module.Limits.MaxReadings)
            {
                throw Malformed($"poll returned {count} readings; at most {_module.Limits.MaxReadings} are taken");
            }

            var readings = new List<DriverReading>((int)count);
            for (uint i = 0; i < count; i++)
            {
                uint at = checked(list + (i * DriverAbi.ReadingSize));
                string name = ReadString(ReadU32(at), ReadU32(at + 4), maxBytes: 64);
                double value = BinaryPrimitives.ReadDoubleLittleEndian(Bytes(at + 8, 8));
                string unit = ReadString(ReadU32(at + 16), ReadU32(at + 20), maxBytes: 16);
                if (!ValidName(name))
                {
                    throw Malformed($"reading {i} has the name \"{name}\"; names are 1-64 of a-z A-Z 0-9 _ - .");
                }

                readings.Add(new DriverReading(name, value, unit));
            }

            return (readings, null);
        }
        finally
        {
            if (_postPoll is not null && !_faulted)
            {
                _arguments[0] = (int)result;
                Guard(() => _postPoll.Invoke(_arguments.AsSpan(0, 1)), "poll's post-return");
            }
        }
    }

    /// <summary>Drops the store and instance; the capabilities are the caller's.</summary>
    public void Dispose() => _store.Dispose();

    internal void CheckDeadline()
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw new DriverFaultException($"driver {_module.Name} used more than its {_module.Limits.CallTime.TotalSeconds:0.###} s per call");
        }
    }

    internal string ReadString(ValueBox pointer, ValueBox length, int maxBytes = 4096) =>
        ReadString((uint)pointer.AsInt32(), (uint)length.AsInt32(), maxBytes);

    internal byte[] ReadBytes(ValueBox pointer, ValueBox length) =>
        Bytes((uint)pointer.AsInt32(), (uint)length.AsInt32()).ToArray();

    /// <summary>Copies <paramref name="bytes"/> into memory the guest allocates; returns the pointer.</summary>
    internal uint Lower(ReadOnlySpan<byte> bytes, uint alignment)
    {
        if (bytes.Length == 0)
        {
            return alignment; // an empty list needs no memory; any aligned pointer will do
        }

        _arguments[0] = 0;
        _arguments[1] = 0;
        _arguments[2] = (int)alignment;
        _arguments[3] = bytes.Length;
        uint pointer = (uint)(_realloc.Invoke(_arguments.AsSpan(0, 4)) is int p ? p : throw Malformed("cabi_realloc returned no i32"));
        if (pointer % alignment != 0)
        {
            throw Malformed($"cabi_realloc returned {pointer}, not aligned to {alignment}");
        }

        bytes.CopyTo(Span(pointer, bytes.Length));
        return pointer;
    }

    internal void WriteError(uint ret, byte error)
    {
        Span<byte> area = Span(ret, 8);
        area[0] = 1;
        area[4] = error;
    }

    internal void WriteU32(uint ret, uint value)
    {
        Span<byte> area = Span(ret, 8);
        area[0] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(area[4..], value);
    }

    internal void WriteList(uint ret, uint pointer, uint length)
    {
        Span<byte> area = Span(ret, 12);
        area[0] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(area[4..], pointer);
        BinaryPrimitives.WriteUInt32LittleEndian(area[8..], length);
    }

    private static bool ValidName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private void Instantiate()
    {
        Instance instance;
        try
        {
            instance = _module.Linker.Instantiate(_store, _module.Module);
        }
        catch (Exception e) when (e is WasmtimeException or TrapException)
        {
            throw new DriverFaultException($"driver {_module.Name} cannot be instantiated: {e.Message.Split('\n')[0]}", e);
        }

        _memory = instance.GetMemory(DriverAbi.Memory) ?? throw Malformed("it exports no memory");
        _realloc = Export(instance, DriverAbi.Realloc);
        _init = Export(instance, DriverAbi.Init);
        _poll = Export(instance, DriverAbi.Poll);
        _postPoll = instance.GetFunction(DriverAbi.PollPostReturn);
    }

    private void Init()
    {
        uint result = Call(_init, DriverAbi.Init);
        byte discriminant = ReadByte(result);
        if (discriminant == 1)
        {
            throw new DriverFaultException($"driver {_module.Name} refused to start: {ReadString(ReadU32(result + 4), ReadU32(result + 8), maxBytes: 1024)}");
        }

        if (discriminant != 0)
        {
            throw Malformed($"init returned the result case {discriminant}");
        }
    }

    private Function Export(Instance instance, string name) =>
        instance.GetFunction(name) ?? throw Malformed($"it does not export {name}");

    /// <summary>Calls an export that takes nothing and returns a pointer, with fresh fuel and a fresh deadline.</summary>
    private uint Call(Function function, string name)
    {
        ObjectDisposedException.ThrowIf(_faulted, this);
        _store.Fuel = (ulong)_module.Limits.Fuel;
        _deadline = Stopwatch.GetTimestamp() + (long)(_module.Limits.CallTime.TotalSeconds * Stopwatch.Frequency);
        object? result = null;
        Guard(() => result = function.Invoke(), name);
        return result is int pointer ? (uint)pointer : throw Malformed($"{name} returned no i32");
    }

    private void Guard(Action call, string what)
    {
        try
        {
            call();
        }
        catch (Exception e) when (e is TrapException or WasmtimeException)
        {
            _faulted = true;
            string why = e is TrapException { Type: var kind } && kind != TrapCode.Undefined ? kind.ToString() : e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "trap";
            throw new DriverFaultException($"driver {_module.Name} trapped in {what}: {why}", e);
        }
    }

    private DriverFaultException Malformed(string what)
    {
        _faulted = true;
        return new DriverFaultException($"driver {_module.Name}: {what}");
    }

    private byte ReadByte(uint at) => Bytes(at, 1)[0];

    private uint ReadU32(uint at) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(at, 4));

    private string ReadString(uint pointer, uint length, int maxBytes)
    {
        if (length > maxBytes)
        {
            throw Malformed($"a string of {length} bytes where at most {maxBytes} are taken");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Bytes(pointer, length));
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("a string that is not UTF-8");
        }
    }

    private ReadOnlySpan<byte> Bytes(uint pointer, uint length) => Span(pointer, checked((int)length));

    private Span<byte> Span(uint pointer, int length)
    {
        if ((ulong)pointer + (ulong)length > (ulong)_memory.GetLength())
        {
            throw Malformed($"the range {pointer}+{length} is outside its memory");
        }

        return _memory.GetSpan(pointer, length);
    }
}
