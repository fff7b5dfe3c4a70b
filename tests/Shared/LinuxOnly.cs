using System.Runtime.Versioning;

// Every test project starts Debian's mosquitto, openssl, python3 or qemu and sets Unix file modes: Linux only.
[assembly: SupportedOSPlatform("linux")]
