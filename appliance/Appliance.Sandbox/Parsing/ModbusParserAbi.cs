namespace Appliance.Sandbox.Parsing;

/// <summary>
/// The canonical-ABI lowering of world <c>modbus-sandbox</c> (<c>wit/modbus-parser.wit</c>), by hand: export
/// names and the memory layout of every record the host writes into or reads from guest memory.
/// Component Model, CanonicalABI.md: "Flattening" (more than one flat result → a pointer to a result area)
/// and "Alignment"/"Element Size" (records are laid out field by field, each at its own alignment).
/// </summary>
internal static class ModbusParserAbi
{
    public const string Configure = "ics:gateway/modbus-parser@0.1.0#configure";
    public const string Decode = "ics:gateway/modbus-parser@0.1.0#decode";
    public const string DecodePostReturn = "cabi_post_ics:gateway/modbus-parser@0.1.0#decode";
    public const string Realloc = "cabi_realloc";

    //  tag (size 24, align 8)
    //  0        2      3       4     6        8               16              24
    //  +--------+------+-------+-----+--------+---------------+---------------+
    //  |address |kind  |order  |bit  |length  | scale f64     | offset f64    |
    //  | u16    |u8    |flags8 |u8   |u16     |               |               |
    //  +--------+------+-------+-----+--------+---------------+---------------+
    public const int TagSize = 24;
    public const int TagAlign = 8;
    public const int TagAddress = 0;
    public const int TagKindOffset = 2;
    public const int TagOrder = 3;
    public const int TagBit = 4;
    public const int TagLength = 6;
    public const int TagScale = 8;
    public const int TagOffsetField = 16;
    public const byte OrderByteSwap = 1;
    public const byte OrderWordSwap = 2;

    //  result<_, config-error> (size 12, align 4): case u8 @0; config-error { tag u32 @4, problem u8 @8 }
    public const int ConfigResultSize = 12;
    public const int ConfigErrorTag = 4;
    public const int ConfigErrorProblem = 8;

    //  result<list<reading>, decode-error> (size 12, align 4)
    //  0      4                8               12
    //  +------+----------------+----------------+
    //  |case  | ok: list ptr   | ok: list len   |
    //  |u8    | err: case u8   | err: payload   |   payload: u32, u16 or u8 by case, or none
    //  +------+----------------+----------------+
    public const int DecodeResultSize = 12;
    public const int DecodeResultAlign = 4;
    public const int ResultPayload = 4;
    public const int ListLength = 8;
    public const int ErrorPayload = 8;

    //  reading (size 24, align 8)
    //  0        4        5      8           9      16                    24
    //  +--------+--------+------+-----------+------+---------------------+
    //  |tag u32 |quality |pad   |value case |pad   | value payload (8)   |   text: ptr u32 @16, len u32 @20
    //  +--------+--------+------+-----------+------+---------------------+
    public const int ReadingSize = 24;
    public const int ReadingAlign = 8;
    public const int ReadingTag = 0;
    public const int ReadingQuality = 4;
    public const int ReadingValueCase = 8;
    public const int ReadingPayload = 16;
    public const int ReadingTextLength = 20;

    /// <summary>The payload width in bytes of each <see cref="DecodeError"/> case (0: none).</summary>
    public static int ErrorPayloadWidth(DecodeError error) => error switch
    {
        DecodeError.NotConfigured or DecodeError.BadRequest => 0,
        DecodeError.Truncated => 4,
        DecodeError.ProtocolId or DecodeError.LengthOutOfRange or DecodeError.LengthMismatch or DecodeError.TransactionMismatch => 2,
        _ => 1,
    };
}
