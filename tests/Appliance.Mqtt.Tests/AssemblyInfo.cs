using System.Runtime.Versioning;

// The tests start Debian's mosquitto, openssl and python3, and set Unix file modes: Linux only.
[assembly: SupportedOSPlatform("linux")]
