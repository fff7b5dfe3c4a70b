using System.Buffers.Binary;
using System.Text;
using Appliance.Drivers.Files;
using Appliance.Drivers.Net;
using Wasmtime;

namespace Appliance.Drivers.Hosting;

/// <summary>
/// The capability imports of world <c>sensor-driver</c>, lowered by hand under the canonical ABI. Results that do not
/// fit in one value go to the return area the guest passes last: a discriminant byte at +0 (0 ok, 1 error), the payload
/// at +4 (a u32, an error case byte, or a list's pointer at +4 and length at +8). Lists and strings the host returns
/// are allocated in the guest through its <c>cabi_realloc</c>. A pointer the guest passes that is out of its memory
/// traps it (its own fault); a policy refusal never does. Untyped callbacks: NativeAOT-safe.
/// </summary>
internal static class HostImports
{
    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] I32 = [ValueKind.Int32];
    private static readonly ValueKind[] I32x3 = [ValueKind.Int32, ValueKind.Int32, ValueKind.Int32];
    private static readonly ValueKind[] I32x4 = [ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32];

    public static void Define(Linker linker)
    {
        linker.DefineFunction(DriverAbi.SensorFs, "read-file", ReadFile, I32x4, None);
        linker.DefineFunction(DriverAbi.SensorFs, "list-dir", ListDirectory, I32x3, None);
        linker.DefineFunction(DriverAbi.SensorNet, "connect", Connect, I32x3, None);
        linker.DefineFunction(DriverAbi.SensorNet, "send", Send, I32x4, None);
        linker.DefineFunction(DriverAbi.SensorNet, "receive", Receive, I32x3, None);
        linker.DefineFunction(DriverAbi.SensorNet, "close", Close, I32, None);
        linker.DefineFunction(DriverAbi.Log, "write", Write, I32x3, None);
    }

    private static void ReadFile(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        DriverInstance driver = Enter(caller);
        string path = driver.ReadString(arguments[0], arguments[1]);
        uint max = (uint)arguments[2].AsInt32();
        uint ret = (uint)arguments[3].AsInt32();
        FsError? error = driver.Capabilities.ReadFile(path, max, out byte[] content);
        if (error is { } e)
        {
            driver.WriteError(ret, (byte)e);
        }
        else
        {
            driver.WriteList(ret, driver.Lower(content, alignment: 1), (uint)content.Length);
        }
    }

    private static void ListDirectory(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        DriverInstance driver = Enter(caller);
        string path = driver.ReadString(arguments[0], arguments[1]);
        uint ret = (uint)arguments[2].AsInt32();
        FsError? error = driver.Capabilities.ListDirectory(path, out IReadOnlyList<string> names);
        if (error is { } e)
        {
            driver.WriteError(ret, (byte)e);
            return;
        }

        byte[] array = new byte[names.Count * 8];
        for (int i = 0; i < names.Count; i++)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(names[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(array.AsSpan(i * 8), driver.Lower(utf8, alignment: 1));
            BinaryPrimitives.WriteUInt32LittleEndian(array.AsSpan((i * 8) + 4), (uint)utf8.Length);
        }

        driver.WriteList(ret, driver.Lower(array, alignment: 4), (uint)names.Count);
    }

    private static void Connect(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        DriverInstance driver = Enter(caller);
        string endpoint = driver.ReadString(arguments[0], arguments[1]);
        uint ret = (uint)arguments[2].AsInt32();
        NetError? error = driver.Capabilities.Connect(endpoint, out uint handle);
        if (error is { } e)
        {
            driver.WriteError(ret, (byte)e);
        }
        else
        {
            driver.WriteU32(ret, handle);
        }
    }

    private static void Send(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        DriverInstance driver = Enter(caller);
        uint handle = (uint)arguments[0].AsInt32();
        byte[] data = driver.ReadBytes(arguments[1], arguments[2]);
        uint ret = (uint)arguments[3].AsInt32();
        NetError? error = driver.Capabilities.Send(handle, data, out uint sent);
        if (error is { } e)
        {
            driver.WriteError(ret, (byte)e);
        }
        else
        {
            driver.WriteU32(ret, sent);
        }
    }

    private static void Receive(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        DriverInstance driver = Enter(caller);
        uint handle = (uint)arguments[0].AsInt32();
        uint max = (uint)arguments[1].AsInt32();
        uint ret = (uint)arguments[2].AsInt32();
        NetError? error = driver.Capabilities.Receive(handle, max, out byte[] data);
        if (error is { } e)
        {
            driver.WriteError(ret, (byte)e);
        }
        else
        {
            driver.WriteList(ret, driver.Lower(data, alignment: 1), (uint)data.Length);
        }
    }

    private static void Close(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results) =>
        Enter(caller).Capabilities.Close((uint)arguments[0].AsInt32());

    private static void Write(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        DriverInstance driver = Enter(caller);
        int level = arguments[0].AsInt32();
        string message = driver.ReadString(arguments[1], arguments[2], maxBytes: 4096);
        driver.Capabilities.Log(level, message);
    }

    /// <summary>The instance that called, after checking its time: a capability call past the call's deadline traps it.</summary>
    private static DriverInstance Enter(Caller caller)
    {
        var driver = (DriverInstance)caller.Store.GetData()!;
        driver.CheckDeadline();
        return driver;
    }
}
