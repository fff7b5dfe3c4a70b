namespace Appliance.Modbus;

/// <summary>The transport's connection between transactions.</summary>
internal enum ConnectionState
{
    /// <summary>No connection is open.</summary>
    None,

    /// <summary>Open and quiet: ready for a request.</summary>
    Idle,

    /// <summary>The peer closed or reset it.</summary>
    ClosedByPeer,

    /// <summary>Bytes are waiting that no request asked for.</summary>
    UnsolicitedBytes,
}
