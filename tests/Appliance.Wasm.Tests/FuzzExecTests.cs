using Appliance.Wasm.Conformance;

namespace Appliance.Wasm.Tests;

/// <summary>The binaryen --fuzz-exec harness on our side: the transcript's lines and the comparison rule.</summary>
public sealed class FuzzExecTests
{
    [Fact]
    public void EveryFunctionExportIsCalledInOrderWithItsLogsAndOutcomeAndATrapDoesNotStopTheRest()
    {
        byte[] module = Wat.Assemble("""
            (module
              (import "fuzzing-support" "log-i32" (func $log-i32 (param i32)))
              (import "fuzzing-support" "log-f64" (func $log-f64 (param f64)))
              (memory (export "memory") 1)
              (global $g (mut i32) (i32.const 0))
              (func (export "first") (param i64 f32) (result i32 f32)
                (call $log-i32 (i32.const -5))
                (call $log-f64 (f64.div (f64.const 0) (f64.const 0)))
                (global.set $g (i32.add (global.get $g) (i32.const 1)))
                (i32.wrap_i64 (local.get 0)) (f32.const -1.5))
              (func (export "traps") (call $log-i32 (i32.const 1)) unreachable)
              (func (export "after") (result i64 f64 funcref)
                (i64.extend_i32_u (global.get $g)) (f64.const 1) (ref.null func)))
            """);

        string transcript = FuzzExec.Run(module);

        Assert.Equal(
            """
            call first
            log i32:-5
            log f64:nan
            return i32:0 f32:0xbfc00000
            call traps
            log i32:1
            trap
            call after
            return i64:1 f64:0x3ff0000000000000 funcref:null

            """,
            transcript);
    }

    [Fact]
    public void TheHangLimitInitializerRunsSilentlyBeforeEachExport()
    {
        byte[] module = Wat.Assemble("""
            (module
              (import "fuzzing-support" "log-i32" (func $log-i32 (param i32)))
              (global $hangLimit (mut i32) (i32.const 0))
              (func (export "spend") (result i32)
                (global.set $hangLimit (i32.sub (global.get $hangLimit) (i32.const 1)))
                (global.get $hangLimit))
              (func (export "hangLimitInitializer")
                (call $log-i32 (i32.const 99))
                (global.set $hangLimit (i32.const 10))))
            """);

        Assert.Equal("call spend\nreturn i32:9\ncall hangLimitInitializer\nlog i32:99\nreturn\n", FuzzExec.Run(module));
    }

    [Fact]
    public void UnboundedRecursionIsExhaustedNotATrap()
    {
        byte[] module = Wat.Assemble("(module (func $f (export \"f\") (call $f)))");

        Assert.Equal("call f\nexhausted\n", FuzzExec.Run(module));
    }

    [Fact]
    public void AModuleThatDoesNotValidateIsInvalidAndOneThatCannotLinkIsUninstantiable()
    {
        Assert.Equal("invalid\n", FuzzExec.Run([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x05]));
        Assert.Equal("uninstantiable\n", FuzzExec.Run(Wat.Assemble("(module (import \"env\" \"other\" (func)))")));
    }

    [Fact]
    public void TheFirstDifferingLineIsReportedAsADivergence()
    {
        FuzzExecComparison comparison = FuzzExec.Compare("call a\nreturn\ncall b\nlog i32:1\ntrap\n", "call a\nreturn\ncall b\nlog i32:2\ntrap\n");

        Assert.Equal(FuzzExecVerdict.Divergent, comparison.Verdict);
        Assert.Equal("call b: line 2: ours \"log i32:1\", theirs \"log i32:2\"", comparison.Detail);
    }

    [Fact]
    public void AMissingExportOnOneSideIsADivergence()
    {
        Assert.Equal(FuzzExecVerdict.Divergent, FuzzExec.Compare("call a\nreturn\n", "call a\nreturn\ncall b\nreturn\n").Verdict);
        Assert.Equal(FuzzExecVerdict.Divergent, FuzzExec.Compare("invalid\n", "call a\nreturn\n").Verdict);
    }

    [Fact]
    public void ComparisonStopsAtTheFirstExportWhereEitherSideExhaustedItsStack()
    {
        FuzzExecComparison comparison = FuzzExec.Compare(
            "call a\nreturn\ncall deep\nlog i32:1\nexhausted\ncall c\nreturn i32:1\n",
            "call a\nreturn\ncall deep\nlog i32:1\nlog i32:1\ntrap\ncall c\nreturn i32:2\n");

        Assert.Equal(FuzzExecVerdict.Skipped, comparison.Verdict);
        Assert.Equal(FuzzExecVerdict.Same, FuzzExec.Compare("call a\nreturn\n", "call a\nreturn\n").Verdict);
    }
}
