namespace Appliance.Wasm.Translation;

/// <summary>What kind of structured instruction opened a control frame.</summary>
internal enum ControlKind : byte
{
    Function,
    Block,
    Loop,
    If,
    Else,
}

/// <summary>A control frame of the validation algorithm (Core spec, appendix "Validation Algorithm"), with the
/// translation state of its label: where branches to it go, and which branches wait for its end.</summary>
internal sealed class ControlFrame
{
    public ControlKind Kind;
    public ValueKind[] StartTypes = [];
    public ValueKind[] EndTypes = [];

    /// <summary>Operand-stack height at entry, below the parameters.</summary>
    public int Height;
    public bool Unreachable;

    /// <summary>The frame lies in code that can never run: it is validated, but no instructions are emitted for it.</summary>
    public bool Dead;

    /// <summary>For a loop: the instruction branches jump back to.</summary>
    public int LoopStart;

    /// <summary>For a loop: its fuel region, whose Fuel instruction back-edges jump past while paying its amount.</summary>
    public FuelRegion? LoopFuel;

    /// <summary>For an if: the BrIfEqz that skips the then-branch, to patch at else or end.</summary>
    public int ElseFixup = -1;

    /// <summary>Forward branches to the end of this frame, patched when it is reached.</summary>
    public List<int> EndFixups = [];

    public ValueKind[] LabelTypes => Kind == ControlKind.Loop ? StartTypes : EndTypes;
}
