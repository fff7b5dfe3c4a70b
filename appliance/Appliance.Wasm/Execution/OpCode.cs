namespace Appliance.Wasm.Execution;

/// <summary>
/// Operators of the register IR that functions are translated to. Numeric operators, loads and stores
/// keep their WebAssembly opcode numbers (Core spec 5.4), so the translator maps them one to one; the
/// rest are ours. Operands are slots relative to the frame: A is the destination, B and C the sources,
/// Imm an immediate (constant, memory offset, branch target, index). A jump's target is in Jump, the low
/// half of Imm, as a signed byte offset from the jump itself; a jump back to a loop carries in Cost the fuel
/// of the loop's region, which it pays as it jumps past the loop's Fuel instruction (see <c>Machine.Taken</c>).
/// </summary>
internal enum OpCode : ushort
{
    // Control and data movement (ours).
    Unreachable = 0x00,
    Fuel = 0x01,              // Imm: fuel of the region that starts here; at a function's entry also A, B, C as Enter's
    Const = 0x02,             // slot[A] = Imm
    Copy = 0x03,              // slot[A] = slot[B]
    Br = 0x04,                // jump (see below)
    BrIfNez = 0x05,           // if (u32)slot[B] != 0: jump
    BrIfEqz = 0x06,           // if (u32)slot[B] == 0: jump
    BrTable = 0x07,           // take entry min((u32)slot[B], C) of the Br entries that follow
    Return = 0x08,            // results slot[B .. B+C) go to the frame's first slots
    Call = 0x09,              // callee B (function index); arguments from slot[A]; results land at slot[A]
    CallIndirect = 0x0A,      // table C, element index slot[B], type Imm; arguments and results at slot[A]
    Select = 0x0B,            // slot[A] = (u32)slot[Imm] != 0 ? slot[B] : slot[C]
    GlobalGet = 0x0C,         // slot[A] = global[Imm]
    GlobalSet = 0x0D,         // global[Imm] = slot[B]
    CopyMany = 0x0E,          // slot[A .. A+C) = slot[B .. B+C), overlapping safely
    Enter = 0x0F,             // a function's entry without fuel metering: A = parameters, B = locals, C = frame size
    CallDirect = 0x10,        // callee B, a function of the same module, whose entry instruction is at address Imm

    // Loads: slot[A] = load(wrap32(slot[B] + C) + Imm). Stores: store(wrap32(slot[B] + A) + Imm, slot[C]).
    // The 32-bit addend (C or A) is an i32.add of a constant folded into the address; it wraps exactly as
    // the i32.add would, so the effective address is the same.
    I32Load = 0x28,
    I64Load = 0x29,
    F32Load = 0x2A,
    F64Load = 0x2B,
    I32Load8S = 0x2C,
    I32Load8U = 0x2D,
    I32Load16S = 0x2E,
    I32Load16U = 0x2F,
    I64Load8S = 0x30,
    I64Load8U = 0x31,
    I64Load16S = 0x32,
    I64Load16U = 0x33,
    I64Load32S = 0x34,
    I64Load32U = 0x35,
    I32Store = 0x36,
    I64Store = 0x37,
    F32Store = 0x38,
    F64Store = 0x39,
    I32Store8 = 0x3A,
    I32Store16 = 0x3B,
    I64Store8 = 0x3C,
    I64Store16 = 0x3D,
    I64Store32 = 0x3E,
    MemorySize = 0x3F,        // slot[A] = pages
    MemoryGrow = 0x40,        // slot[A] = grow(slot[B])

    // Numeric operators: slot[A] = op(slot[B]) or op(slot[B], slot[C]).
    I32Eqz = 0x45,
    I32Eq = 0x46,
    I32Ne = 0x47,
    I32LtS = 0x48,
    I32LtU = 0x49,
    I32GtS = 0x4A,
    I32GtU = 0x4B,
    I32LeS = 0x4C,
    I32LeU = 0x4D,
    I32GeS = 0x4E,
    I32GeU = 0x4F,
    I64Eqz = 0x50,
    I64Eq = 0x51,
    I64Ne = 0x52,
    I64LtS = 0x53,
    I64LtU = 0x54,
    I64GtS = 0x55,
    I64GtU = 0x56,
    I64LeS = 0x57,
    I64LeU = 0x58,
    I64GeS = 0x59,
    I64GeU = 0x5A,
    F32Eq = 0x5B,
    F32Ne = 0x5C,
    F32Lt = 0x5D,
    F32Gt = 0x5E,
    F32Le = 0x5F,
    F32Ge = 0x60,
    F64Eq = 0x61,
    F64Ne = 0x62,
    F64Lt = 0x63,
    F64Gt = 0x64,
    F64Le = 0x65,
    F64Ge = 0x66,
    I32Clz = 0x67,
    I32Ctz = 0x68,
    I32Popcnt = 0x69,
    I32Add = 0x6A,
    I32Sub = 0x6B,
    I32Mul = 0x6C,
    I32DivS = 0x6D,
    I32DivU = 0x6E,
    I32RemS = 0x6F,
    I32RemU = 0x70,
    I32And = 0x71,
    I32Or = 0x72,
    I32Xor = 0x73,
    I32Shl = 0x74,
    I32ShrS = 0x75,
    I32ShrU = 0x76,
    I32Rotl = 0x77,
    I32Rotr = 0x78,
    I64Clz = 0x79,
    I64Ctz = 0x7A,
    I64Popcnt = 0x7B,
    I64Add = 0x7C,
    I64Sub = 0x7D,
    I64Mul = 0x7E,
    I64DivS = 0x7F,
    I64DivU = 0x80,
    I64RemS = 0x81,
    I64RemU = 0x82,
    I64And = 0x83,
    I64Or = 0x84,
    I64Xor = 0x85,
    I64Shl = 0x86,
    I64ShrS = 0x87,
    I64ShrU = 0x88,
    I64Rotl = 0x89,
    I64Rotr = 0x8A,
    F32Abs = 0x8B,
    F32Neg = 0x8C,
    F32Ceil = 0x8D,
    F32Floor = 0x8E,
    F32Trunc = 0x8F,
    F32Nearest = 0x90,
    F32Sqrt = 0x91,
    F32Add = 0x92,
    F32Sub = 0x93,
    F32Mul = 0x94,
    F32Div = 0x95,
    F32Min = 0x96,
    F32Max = 0x97,
    F32Copysign = 0x98,
    F64Abs = 0x99,
    F64Neg = 0x9A,
    F64Ceil = 0x9B,
    F64Floor = 0x9C,
    F64Trunc = 0x9D,
    F64Nearest = 0x9E,
    F64Sqrt = 0x9F,
    F64Add = 0xA0,
    F64Sub = 0xA1,
    F64Mul = 0xA2,
    F64Div = 0xA3,
    F64Min = 0xA4,
    F64Max = 0xA5,
    F64Copysign = 0xA6,
    I32WrapI64 = 0xA7,
    I32TruncF32S = 0xA8,
    I32TruncF32U = 0xA9,
    I32TruncF64S = 0xAA,
    I32TruncF64U = 0xAB,
    I64ExtendI32S = 0xAC,
    I64ExtendI32U = 0xAD,
    I64TruncF32S = 0xAE,
    I64TruncF32U = 0xAF,
    I64TruncF64S = 0xB0,
    I64TruncF64U = 0xB1,
    F32ConvertI32S = 0xB2,
    F32ConvertI32U = 0xB3,
    F32ConvertI64S = 0xB4,
    F32ConvertI64U = 0xB5,
    F32DemoteF64 = 0xB6,
    F64ConvertI32S = 0xB7,
    F64ConvertI32U = 0xB8,
    F64ConvertI64S = 0xB9,
    F64ConvertI64U = 0xBA,
    F64PromoteF32 = 0xBB,
    I32ReinterpretF32 = 0xBC,
    I64ReinterpretF64 = 0xBD,
    F32ReinterpretI32 = 0xBE,
    F64ReinterpretI64 = 0xBF,
    I32Extend8S = 0xC0,
    I32Extend16S = 0xC1,
    I64Extend8S = 0xC2,
    I64Extend16S = 0xC3,
    I64Extend32S = 0xC4,

    // Non-trapping float-to-int (0xFC 0..7), as 0xC8 + n.
    I32TruncSatF32S = 0xC8,
    I32TruncSatF32U = 0xC9,
    I32TruncSatF64S = 0xCA,
    I32TruncSatF64U = 0xCB,
    I64TruncSatF32S = 0xCC,
    I64TruncSatF32U = 0xCD,
    I64TruncSatF64S = 0xCE,
    I64TruncSatF64U = 0xCF,

    // References (ours).
    RefIsNull = 0xD1,         // slot[A] = slot[B] == 0
    RefFunc = 0xD2,           // slot[A] = reference to function Imm

    // Bulk memory and tables (ours); operands as noted.
    MemoryInit = 0xE0,        // segment Imm: dst slot[A], src slot[B], n slot[C]
    DataDrop = 0xE1,          // segment Imm
    MemoryCopy = 0xE2,        // dst slot[A], src slot[B], n slot[C]
    MemoryFill = 0xE3,        // dst slot[A], value slot[B], n slot[C]
    TableInit = 0xE4,         // segment Imm low 32 bits, table Imm high 32 bits: dst slot[A], src slot[B], n slot[C]
    ElemDrop = 0xE5,          // segment Imm
    TableCopy = 0xE6,         // dst table Imm low, src table Imm high: dst slot[A], src slot[B], n slot[C]
    TableGrow = 0xE7,         // table Imm: slot[A] = grow(init slot[B], n slot[C])
    TableSize = 0xE8,         // table Imm: slot[A] = size
    TableFill = 0xE9,         // table Imm: start slot[A], value slot[B], n slot[C]
    TableGet = 0xEA,          // table Imm: slot[A] = table[slot[B]]
    TableSet = 0xEB,          // table Imm: table[slot[A]] = slot[B]

    // Fused forms, made by the translator when an operand is a constant or a comparison feeds a branch.
    // slot[A] = op(slot[B], (int)C): i32 operators with a constant right operand.
    I32AddImm = 0x100,
    I32MulImm,
    I32AndImm,
    I32OrImm,
    I32XorImm,
    I32ShlImm,
    I32ShrSImm,
    I32ShrUImm,
    I32EqImm,
    I32NeImm,
    I32LtSImm,
    I32LtUImm,
    I32GtSImm,
    I32GtUImm,
    I32LeSImm,
    I32LeUImm,
    I32GeSImm,
    I32GeUImm,
    I32RotlImm,
    I32RotrImm,

    // slot[A] = op(slot[B], (long)Imm): i64 operators with a constant right operand.
    I64AddImm = 0x120,
    I64AndImm,
    I64ShlImm,
    I64ShrUImm,
    I64OrImm,
    I64ShrSImm,
    I64RotlImm,

    // store(wrap32(slot[B] + A) + Imm, C): a store of a constant, the value in C (sign-extended for 64 bits).
    Store8Imm = 0x128,
    Store16Imm,
    Store32Imm,
    Store64Imm,

    // if cmp(slot[B], slot[C]): jump.
    BrI32Eq = 0x130,
    BrI32Ne,
    BrI32LtS,
    BrI32LtU,
    BrI32GtS,
    BrI32GtU,
    BrI32LeS,
    BrI32LeU,
    BrI32GeS,
    BrI32GeU,

    // if cmp(slot[B], (int)C): jump.
    BrI32EqImm = 0x140,
    BrI32NeImm,
    BrI32LtSImm,
    BrI32LtUImm,
    BrI32GtSImm,
    BrI32GtUImm,
    BrI32LeSImm,
    BrI32LeUImm,
    BrI32GeSImm,
    BrI32GeUImm,

    // slot[A] = (u32)(slot[B] + D); then if cmp(slot[A], slot[C]): jump. An add-immediate fused into the jump
    // that tests its result, as a counted loop closes.
    AddBrI32Eq = 0x150,
    AddBrI32Ne,
    AddBrI32LtS,
    AddBrI32LtU,
    AddBrI32GtS,
    AddBrI32GtU,
    AddBrI32LeS,
    AddBrI32LeU,
    AddBrI32GeS,
    AddBrI32GeU,

    // slot[A] = (u32)(slot[B] + D); then if cmp(slot[A], (int)C): jump.
    AddBrI32EqImm = 0x160,
    AddBrI32NeImm,
    AddBrI32LtSImm,
    AddBrI32LtUImm,
    AddBrI32GtSImm,
    AddBrI32GtUImm,
    AddBrI32LeSImm,
    AddBrI32LeUImm,
    AddBrI32GeSImm,
    AddBrI32GeUImm,

    // slot[A] = (u32)(slot[B] + D); then if slot[A] != 0 (== 0): jump.
    AddBrIfNez = 0x16A,
    AddBrIfEqz,

    // Float superinstructions, rounded as the operators they replace (no fused multiply-add rounding).
    // slot[A] = slot[D] op load(wrap32(slot[B] + C) + offset), the offset in the low half of Imm.
    F64AddLoad = 0x170,
    F64SubLoad,
    F64MulLoad,
    F32AddLoad,
    F32SubLoad,
    F32MulLoad,

    // slot[A] = slot[D] + (slot[B] * slot[C]); slot[A] = slot[D] + (slot[B] + slot[C]); slot[A] = (slot[B] * slot[C]) + slot[D].
    F64AddMul = 0x178,
    F64AddAdd,
    F64MulAdd,
    F32AddMul,
    F32AddAdd,
    F32MulAdd,

    // slot[A] = slot[D] op ((u32)slot[B] shift C): an i32 add, or or xor of an operand shifted by a constant.
    I32AddShl = 0x180,
    I32AddShrU,
    I32OrShl,
    I32OrShrU,
    I32XorShl,
    I32XorShrU,
    I32AddMulImm,             // slot[A] = slot[D] + (u32)slot[B] * (u32)C

    // slot[A] = slot[B] op (long)Imm: more i64 operators with a constant right operand.
    I64MulImm = 0x188,
    I64XorImm,

    // slot[A] = slot[D] op load(wrap32(slot[B] + C) + offset), the offset in the low half of Imm: i32 add, or, xor
    // of a value just loaded by i32.load or i32.load8_u.
    I32AddLoad = 0x190,
    I32AddLoad8U,
    I32OrLoad,
    I32OrLoad8U,
    I32XorLoad,
    I32XorLoad8U,

    // Loads and stores whose address is an index shifted by a constant: wrap32((slot[B] << Cost) + addend) + Imm.
    I32LoadScaled = 0x198,
    I64LoadScaled,
    F32LoadScaled,
    F64LoadScaled,
    I32Load16UScaled,
    I32StoreScaled,
    I64StoreScaled,
    F32StoreScaled,
    F64StoreScaled,
    I32Store16Scaled,

    // The same with the addend in a slot: slot[A] = (u32)(slot[B] + slot[D]); then the test and jump.
    AddSlotBrI32Eq = 0x1A8,
    AddSlotBrI32Ne,
    AddSlotBrI32LtS,
    AddSlotBrI32LtU,
    AddSlotBrI32GtS,
    AddSlotBrI32GtU,
    AddSlotBrI32LeS,
    AddSlotBrI32LeU,
    AddSlotBrI32GeS,
    AddSlotBrI32GeU,
    AddSlotBrI32EqImm = 0x1B8,
    AddSlotBrI32NeImm,
    AddSlotBrI32LtSImm,
    AddSlotBrI32LtUImm,
    AddSlotBrI32GtSImm,
    AddSlotBrI32GtUImm,
    AddSlotBrI32LeSImm,
    AddSlotBrI32LeUImm,
    AddSlotBrI32GeSImm,
    AddSlotBrI32GeUImm,
    AddSlotBrIfNez = 0x1C2,
    AddSlotBrIfEqz,
}
