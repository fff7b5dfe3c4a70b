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

        return new Module(engine, definition, functions);
    }
}

/// <summary>An import a module needs: module name, field name, kind, and the type of the kind.</summary>
public sealed record ModuleImport(string Module, string Name, ExternalKind Kind, FunctionType? FunctionType, TableType? Table, MemoryType? Memory, GlobalType? Global);

/// <summary>An export a module offers: name and kind.</summary>
public sealed record ModuleExport(string Name, ExternalKind Kind);
