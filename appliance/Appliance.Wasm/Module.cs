using Appliance.Wasm.Binary;
using Appliance.Wasm.Execution;
using Appliance.Wasm.Translation;
using Appliance.Wasm.Validation;

namespace Appliance.Wasm;

/// <summary>
/// A decoded, validated and translated module. Immutable: one module is shared by any number of instances
/// and threads. Construction does all the checking, so an instance never meets an invalid function.
/// </summary>
public sealed class Module
{
    private Module(Engine engine, ModuleDefinition definition, CompiledFunction[] functions)
    {
        Engine = engine;
        Definition = definition;
        Functions = functions;
        _initialMemoryImage = new Lazy<byte[]?>(BuildInitialMemoryImage);
    }

    private byte[]? BuildInitialMemoryImage()
    {
        ModuleDefinition definition = Definition;
        if (definition.ImportedMemories > 0 || definition.Memories.Count == 0 || definition.StartFunction is not null)
        {
            return null;
        }

        ulong bytes = (ulong)definition.Memories[0].Limits.Minimum * Memory.PageSize;
        if (bytes > (ulong)Engine.Config.MaxMemoryPages * Memory.PageSize || bytes > int.MaxValue)
        {
            return null;
        }

        byte[] image = new byte[bytes];
        foreach (DataSegment segment in definition.Data)
        {
            if (segment.Mode != SegmentMode.Active)
            {
                continue;
            }

            ConstantInstruction offset = segment.Offset!.Instructions[0];
            if (offset.Operator != ConstantOperator.I32Const || (ulong)(uint)offset.Value + (ulong)segment.DataLength > bytes)
            {
                return null; // an imported global's offset, or a segment out of bounds: each instance decides
            }

            definition.Bytes.AsSpan(segment.DataOffset, segment.DataLength).CopyTo(image.AsSpan((int)(uint)offset.Value));
        }

        return image;
    }

    public Engine Engine { get; }

    public IReadOnlyList<ModuleImport> Imports =>
        [.. Definition.Imports.Select(import => new ModuleImport(
            import.Module,
            import.Name,
            import.Kind,
            import.Kind == ExternalKind.Function ? Definition.Types[import.FunctionTypeIndex] : null,
            import.Table,
            import.Memory,
            import.Global))];

    public IReadOnlyList<ModuleExport> Exports =>
        [.. Definition.Exports.Select(export => new ModuleExport(export.Name, export.Kind))];

    internal ModuleDefinition Definition { get; }

    /// <summary>
    /// The module's memory as every instance has it right after instantiation, when that does not depend
    /// on the instance: the memory is the module's own, there is no start function, and every active data
    /// segment has a constant offset. Instances copy it instead of zeroing and filling their memory, and
    /// reset from it instead of keeping a copy of their own. Null when not applicable; made on first use.
    /// </summary>
    internal byte[]? InitialMemoryImage => _initialMemoryImage.Value;

    private readonly Lazy<byte[]?> _initialMemoryImage;

    /// <summary>The module's own functions, translated; index i is function ImportedFunctions + i.</summary>
    internal CompiledFunction[] Functions { get; }

    /// <summary>Decodes, validates and translates a binary module; throws <see cref="WasmModuleException"/> when it is refused.</summary>
    public static Module Compile(Engine engine, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(bytes);
        ModuleDefinition definition = ModuleDecoder.Decode(bytes, engine.Config.ModuleLimits);
        ModuleValidator.Validate(definition);
        var context = new TranslationContext(definition);
        var functions = new CompiledFunction[definition.Bodies.Count];
        for (int i = 0; i < functions.Length; i++)
        {
            try
            {
                functions[i] = FunctionTranslator.Translate(definition, context, engine.Config.ModuleLimits, engine.Config.MeterFuel, definition.ImportedFunctions + i);
            }
            catch (WasmModuleException error) when (error.Offset < 0)
            {
                throw new WasmModuleException(error.Kind, $"{error.Reason} (in function {definition.ImportedFunctions + i})");
            }
        }

        FunctionTranslator.LinkDirectCalls(functions, definition.ImportedFunctions);
        return new Module(engine, definition, functions);
    }
}

/// <summary>An import a module needs: module name, field name, kind, and the type of the kind.</summary>
public sealed record ModuleImport(string Module, string Name, ExternalKind Kind, FunctionType? FunctionType, TableType? Table, MemoryType? Memory, GlobalType? Global);

/// <summary>An export a module offers: name and kind.</summary>
public sealed record ModuleExport(string Name, ExternalKind Kind);
