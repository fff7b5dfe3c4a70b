namespace Appliance.Mqtt;

/// <summary>What <see cref="PublishThroughput.MeasureAsync"/> measured.</summary>
public readonly record struct PublishThroughputResult(int Sent, int Delivered, TimeSpan Elapsed)
{
    public double MessagesPerSecond => Delivered / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
