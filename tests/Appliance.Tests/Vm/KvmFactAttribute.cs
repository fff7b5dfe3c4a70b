namespace Appliance.Tests.Vm;

/// <summary>
/// A test that boots the test VM under KVM: skipped, with the reason, only where there is no <c>/dev/kvm</c>.
/// Everywhere else it runs, and a missing tool or a VM that does not boot is a failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KvmFactAttribute : FactAttribute
{
    public KvmFactAttribute()
    {
        if (!VmSystem.HasKvm)
        {
            Skip = "no /dev/kvm on this machine: the VM tests (tests/vm) boot a Debian kernel under KVM";
        }
    }
}
