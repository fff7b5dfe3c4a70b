using System.Runtime.Versioning;

// The appliance runs on Linux only (x86-64 and the Raspberry Pi 4): private keys are created with mode 0600.
[assembly: SupportedOSPlatform("linux")]
