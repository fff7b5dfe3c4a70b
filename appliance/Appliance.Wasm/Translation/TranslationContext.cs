using Appliance.Wasm.Binary;

namespace Appliance.Wasm.Translation;

/// <summary>Module-wide facts that validating a function body needs beyond its own bytes (Core spec 3.4.10, context C).</summary>
internal sealed class TranslationContext
{
    public TranslationContext(ModuleDefinition module)
    {
        foreach (GlobalDefinition global in module.Globals)
        {
            AddReferences(global.Initializer);
        }

        foreach (ElementSegment segment in module.Elements)
        {
            foreach (ConstantExpression item in segment.Items)
            {
                AddReferences(item);
            }
        }

        foreach (ExportDefinition export in module.Exports)
        {
            if (export.Kind == ExternalKind.Function)
            {
                DeclaredFunctions.Add((uint)export.Index);
            }
        }
    }

    /// <summary>C.refs: the functions that ref.func may name in a body (Core spec 3.4.10).</summary>
    public HashSet<uint> DeclaredFunctions { get; } = [];

    private void AddReferences(ConstantExpression expression)
    {
        foreach (ConstantInstruction instruction in expression.Instructions)
        {
            if (instruction.Operator == ConstantOperator.RefFunc)
            {
                DeclaredFunctions.Add(instruction.Index);
            }
        }
    }
}
