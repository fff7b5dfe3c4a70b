namespace Appliance.Wasm;

/// <summary>
/// The host's side of linking: named functions, tables, memories and globals that imports resolve to
/// (Core spec 4.5.4 step 4), checked against the import's type.
/// </summary>
public sealed class Linker
{
    private readonly Dictionary<(string Module, string Name), object> _definitions = [];

    /// <summary>Defines a host function with a typed signature.</summary>
    public Linker DefineFunction(Store store, string module, string name, FunctionType type, HostCallback callback) =>
        Define(module, name, Function.FromHost(store, type, callback));

    /// <summary>Defines an item: a <see cref="Function"/>, <see cref="Table"/>, <see cref="Memory"/> or <see cref="Global"/>.</summary>
    public Linker Define(string module, string name, object item)
    {
        if (item is not (Function or Table or Memory or Global))
        {
            throw new ArgumentException("only functions, tables, memories and globals can be imported", nameof(item));
        }

        _definitions[(module, name)] = item;
        return this;
    }

    /// <summary>Makes every export of <paramref name="instance"/> importable under the module name <paramref name="module"/>.</summary>
    public Linker DefineInstance(string module, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        foreach ((string name, object item) in instance.Exports)
        {
            _definitions[(module, name)] = item;
        }

        return this;
    }

    /// <summary>Links and instantiates <paramref name="module"/> in <paramref name="store"/>, running its start function.</summary>
    public Instance Instantiate(Store store, Module module) => Instance.Create(store, module, Resolve(module));

    private object[] Resolve(Module module)
    {
        var resolved = new object[module.Definition.Imports.Count];
        for (int i = 0; i < resolved.Length; i++)
        {
            Binary.ImportDefinition import = module.Definition.Imports[i];
            if (!_definitions.TryGetValue((import.Module, import.Name), out object? item))
            {
                throw new WasmModuleException(ModuleErrorKind.Unlinkable, $"unknown import {import.Module}.{import.Name}");
            }

            bool matches = (import.Kind, item) switch
            {
                (ExternalKind.Function, Function function) => function.Type.Equals(module.Definition.Types[import.FunctionTypeIndex]),
                (ExternalKind.Table, Table table) => table.Type.ElementType == import.Table!.ElementType
                    && new Limits(table.Size, table.Type.Limits.Maximum).IsSubsetOf(import.Table.Limits),
                (ExternalKind.Memory, Memory memory) => new Limits(memory.Pages, memory.Type.Limits.Maximum).IsSubsetOf(import.Memory!.Limits),
                (ExternalKind.Global, Global global) => global.Type == import.Global,
                _ => false,
            };
            if (!matches)
            {
                throw new WasmModuleException(ModuleErrorKind.Unlinkable, $"incompatible import type for {import.Module}.{import.Name}");
            }

            resolved[i] = item;
        }

        return resolved;
    }
}
