using System.Buffers.Binary;

namespace Appliance.Sandbox.Parsing;

/// <summary>Walks the readings of an ok <see cref="Outcome"/>.</summary>
public ref struct OutcomeReader
{
    private ReadOnlySpan<byte> _rest;

    public OutcomeReader(ReadOnlySpan<byte> outcome)
    {
        if (outcome.Length < 5 || outcome[0] != Outcome.OkTag)
        {
            throw new ArgumentException("not an ok outcome", nameof(outcome));
        }

        Count = BinaryPrimitives.ReadUInt32LittleEndian(outcome[1..]);
        _rest = outcome[5..];
    }

    /// <summary>How many readings the outcome holds.</summary>
    public uint Count { get; }

    public bool TryReadNext(out Reading reading)
    {
        if (_rest.Length < 6)
        {
            reading = default;
            return false;
        }

        uint tag = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        var quality = (Quality)_rest[4];
        var kind = (ValueCase)_rest[5];
        _rest = _rest[6..];
        switch (kind)
        {
            case ValueCase.Boolean:
                reading = new Reading(tag, quality, kind, _rest[0], default);
                _rest = _rest[1..];
                break;
            case ValueCase.Text:
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_rest);
                reading = new Reading(tag, quality, kind, 0, _rest.Slice(4, length));
                _rest = _rest[(4 + length)..];
                break;
            default:
                reading = new Reading(tag, quality, kind, BinaryPrimitives.ReadUInt64LittleEndian(_rest), default);
                _rest = _rest[8..];
                break;
        }

        return true;
    }
}
