namespace Appliance.Bench;

/// <summary>
/// A module of the shape the Modbus parser guests will have, built in code so that the benchmark needs no
/// toolchain: one 64 KiB page of memory, a 1 KiB data segment (the CRC-16/MODBUS table and a tag table),
/// the stack-pointer and heap-base globals rustc emits, a function table filled by an element segment, and
/// <see cref="DecoderCount"/> register decoders of about 350 bytes each behind a parse entry point (12 KiB in all).
/// </summary>
/// <remarks>
/// Exports: <c>add(a, b)</c>; <c>fill(len)</c> writes <c>len</c> bytes from <see cref="ScratchAddress"/> (dirties
/// memory); <c>crc16(ptr, len)</c>; <c>parse(ptr, len)</c> runs the CRC and every decoder; <c>dispatch(i, ptr)</c>
/// calls decoder <c>i</c> through the table. Binary format: Core spec 5.5.
/// </remarks>
internal static class ParserShapedModule
{
    public const int DecoderCount = 32;

    /// <summary>Where <c>fill</c> starts writing: just after the data segment.</summary>
    public const int ScratchAddress = 1024;

    private const int CrcTableAddress = 0;
    private const int TagTableAddress = 512;
    private const int FixedFunctions = 5; // add, fill, crc16, parse, dispatch
    private const int FirstDecoder = FixedFunctions;

    // Value types, section ids and operators (Core spec 5.3.1, 5.5.2, 5.4).
    private const byte I32 = 0x7F;
    private const byte FuncType = 0x60;
    private const byte BlockEmpty = 0x40;
    private const byte Block = 0x02, Loop = 0x03, Br = 0x0C, BrIf = 0x0D, End = 0x0B, Call = 0x10, CallIndirect = 0x11;
    private const byte LocalGet = 0x20, LocalSet = 0x21, I32Const = 0x41;
    private const byte I32Load = 0x28, I32Load8U = 0x2D, I32Load16U = 0x2F, I32Store8 = 0x3A;
    private const byte I32Eqz = 0x45, I32GeU = 0x4F, I32Add = 0x6A, I32Sub = 0x6B, I32Mul = 0x6C, I32And = 0x71, I32Xor = 0x73, I32Shl = 0x74, I32ShrU = 0x76, I32Rotl = 0x77;

    /// <summary>The functions the module defines.</summary>
    public static int FunctionCount => FixedFunctions + DecoderCount;

    /// <summary>Bytes of the active data segment.</summary>
    public static int DataBytes => 1024;

    /// <summary>The module's bytes (a few KiB).</summary>
    public static byte[] Build()
    {
        var module = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };

        // Types: 0 (i32 i32) -> i32, 1 (i32) -> i32.
        Section(module, 1, body =>
        {
            body.Add(2);
            body.AddRange([FuncType, 2, I32, I32, 1, I32]);
            body.AddRange([FuncType, 1, I32, 1, I32]);
        });

        // Functions: add, fill, crc16, parse, dispatch, then the decoders (ptr) -> i32.
        Section(module, 3, body =>
        {
            Unsigned(body, (uint)FunctionCount);
            body.AddRange([0, 1, 0, 0, 0]);
            for (int i = 0; i < DecoderCount; i++)
            {
                body.Add(1);
            }
        });

        // Table: funcref, exactly the decoders.
        Section(module, 4, body => body.AddRange([1, 0x70, 0x01, (byte)DecoderCount, (byte)DecoderCount]));

        // Memory: one page, no maximum (as rustc emits it).
        Section(module, 5, body => body.AddRange([1, 0x00, 1]));

        // Globals: __stack_pointer (mutable, top of the page), __heap_base.
        Section(module, 6, body =>
        {
            body.Add(2);
            body.AddRange([I32, 1, I32Const]);
            Signed(body, 65_536);
            body.Add(End);
            body.AddRange([I32, 0, I32Const]);
            Signed(body, 8_192);
            body.Add(End);
        });

        Section(module, 7, body =>
        {
            (string Name, byte Kind, int Index)[] exports =
            [
                ("memory", 2, 0), ("add", 0, 0), ("fill", 0, 1), ("crc16", 0, 2), ("parse", 0, 3), ("dispatch", 0, 4),
                ("__stack_pointer", 3, 0), ("__heap_base", 3, 1),
            ];
            Unsigned(body, (uint)exports.Length);
            foreach ((string name, byte kind, int index) in exports)
            {
                Name(body, name);
                body.Add(kind);
                Unsigned(body, (uint)index);
            }
        });

        // Elements: table[0..] = the decoders.
        Section(module, 9, body =>
        {
            body.AddRange([1, 0x00, I32Const, 0, End]);
            Unsigned(body, DecoderCount);
            for (int i = 0; i < DecoderCount; i++)
            {
                Unsigned(body, (uint)(FirstDecoder + i));
            }
        });

        Section(module, 10, body =>
        {
            Unsigned(body, (uint)FunctionCount);
            Function(body, [], [LocalGet, 0, LocalGet, 1, I32Add]);
            Function(body, [1], FillBody());
            Function(body, [1], Crc16Body());
            Function(body, [], ParseBody());
            Function(body, [], [LocalGet, 1, LocalGet, 0, CallIndirect, 1, 0]);
            for (int i = 0; i < DecoderCount; i++)
            {
                Function(body, [1], DecoderBody(i));
            }
        });

        Section(module, 11, body =>
        {
            body.AddRange([1, 0x00, I32Const]);
            Signed(body, CrcTableAddress);
            body.Add(End);
            byte[] data = DataSegment();
            Unsigned(body, (uint)data.Length);
            body.AddRange(data);
        });

        return [.. module];
    }

    /// <summary>fill(len): for i in 0..len: mem[Scratch + i] = i; returns len.</summary>
    private static List<byte> FillBody()
    {
        var code = new List<byte> { Block, BlockEmpty, Loop, BlockEmpty, LocalGet, 1, LocalGet, 0, I32GeU, BrIf, 1, LocalGet, 1, LocalGet, 1, I32Store8, 0 };
        Unsigned(code, ScratchAddress);
        code.AddRange([LocalGet, 1, I32Const, 1, I32Add, LocalSet, 1, Br, 0, End, End, LocalGet, 0]);
        return code;
    }

    /// <summary>crc16(ptr, len): CRC-16/MODBUS, table-driven (Modbus over serial line v1.02 §6.2.2).</summary>
    private static List<byte> Crc16Body()
    {
        var code = new List<byte> { I32Const };
        Signed(code, 0xFFFF);
        code.AddRange([LocalSet, 2]);
        code.AddRange([Block, BlockEmpty, Loop, BlockEmpty, LocalGet, 1, I32Eqz, BrIf, 1]);
        // crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
        code.AddRange([LocalGet, 2, I32Const, 8, I32ShrU]);
        code.AddRange([LocalGet, 2, LocalGet, 0, I32Load8U, 0, 0, I32Xor, I32Const]);
        Signed(code, 0xFF);
        code.AddRange([I32And, I32Const, 1, I32Shl, I32Load16U, 1]);
        Unsigned(code, CrcTableAddress);
        code.AddRange([I32Xor, LocalSet, 2]);
        code.AddRange([LocalGet, 0, I32Const, 1, I32Add, LocalSet, 0]);
        code.AddRange([LocalGet, 1, I32Const, 1, I32Sub, LocalSet, 1, Br, 0, End, End, LocalGet, 2]);
        return code;
    }

    /// <summary>parse(ptr, len): the frame's CRC, then every decoder over the frame, combined.</summary>
    private static List<byte> ParseBody()
    {
        var code = new List<byte> { LocalGet, 0, LocalGet, 1, Call, 2 };
        for (int i = 0; i < DecoderCount; i++)
        {
            code.AddRange([LocalGet, 0, Call]);
            Unsigned(code, (uint)(FirstDecoder + i));
            code.AddRange([I32Xor, I32Const, 5, I32Rotl]);
        }

        return code;
    }

    /// <summary>A decoder: 16 register reads, each mixed with a tag-table word into a running hash.</summary>
    private static List<byte> DecoderBody(int decoder)
    {
        var code = new List<byte>();
        for (int k = 0; k < 16; k++)
        {
            code.AddRange([LocalGet, 1, I32Const, 31, I32Mul, LocalGet, 0, I32Load16U, 1]);
            Unsigned(code, (uint)(2 * k));
            code.AddRange([I32Const, 0, I32Load, 2]);
            Unsigned(code, (uint)(TagTableAddress + (4 * ((decoder * 16 + k) % 128))));
            code.AddRange([I32Xor, I32Add, LocalSet, 1]);
        }

        code.AddRange([LocalGet, 1]);
        return code;
    }

    private static byte[] DataSegment()
    {
        var data = new byte[DataBytes];
        for (int i = 0; i < 256; i++)
        {
            ushort crc = (ushort)i;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }

            data[CrcTableAddress + (2 * i)] = (byte)crc;
            data[CrcTableAddress + (2 * i) + 1] = (byte)(crc >> 8);
        }

        for (int i = TagTableAddress; i < DataBytes; i++)
        {
            data[i] = (byte)((i * 37) + 11);
        }

        return data;
    }

    private static void Function(List<byte> section, byte[] localCounts, IEnumerable<byte> body)
    {
        var function = new List<byte>();
        Unsigned(function, (uint)localCounts.Length);
        foreach (byte count in localCounts)
        {
            function.AddRange([count, I32]);
        }

        function.AddRange(body);
        function.Add(End);
        Unsigned(section, (uint)function.Count);
        section.AddRange(function);
    }

    private static void Section(List<byte> module, byte id, Action<List<byte>> write)
    {
        var body = new List<byte>();
        write(body);
        module.Add(id);
        Unsigned(module, (uint)body.Count);
        module.AddRange(body);
    }

    private static void Name(List<byte> bytes, string name)
    {
        Unsigned(bytes, (uint)name.Length);
        foreach (char c in name)
        {
            bytes.Add((byte)c);
        }
    }

    /// <summary>LEB128, unsigned (Core spec 5.2.2).</summary>
    private static void Unsigned(List<byte> bytes, uint value)
    {
        do
        {
            byte low = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(low | 0x80) : low);
        }
        while (value != 0);
    }

    /// <summary>LEB128, signed (Core spec 5.2.2).</summary>
    private static void Signed(List<byte> bytes, int value)
    {
        while (true)
        {
            byte low = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (low & 0x40) == 0) || (value == -1 && (low & 0x40) != 0);
            bytes.Add(done ? low : (byte)(low | 0x80));
            if (done)
            {
                return;
            }
        }
    }
}
