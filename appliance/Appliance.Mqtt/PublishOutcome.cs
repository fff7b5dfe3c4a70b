namespace Appliance.Mqtt;

/// <summary>The result of <see cref="MqttClient.PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="PacketId">The packet identifier of the QoS 1 PUBLISH the broker answered (0 for QoS 0 or when never sent).</param>
/// <param name="ReasonCode">The PUBACK reason code (MQTT 5.0; <see cref="MqttReasonCode.Success"/> on 3.1.1 and QoS 0).</param>
/// <param name="ReasonString">The broker's Reason String, if it sent one.</param>
public readonly record struct PublishOutcome(PublishStatus Status, ushort PacketId, MqttReasonCode ReasonCode, string? ReasonString)
{
    /// <summary>True when the message reached the broker (written for QoS 0, acknowledged for QoS 1); a spool may delete it.</summary>
    public bool Delivered => Status is PublishStatus.Written or PublishStatus.Acknowledged;
}
