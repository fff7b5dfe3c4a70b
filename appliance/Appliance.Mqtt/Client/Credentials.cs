using System.Text;

namespace Appliance.Mqtt.Client;

/// <summary>The user name (line 1) and password (line 2) of the credentials file. The password is never logged.</summary>
internal sealed record Credentials(string UserName, byte[]? Password)
{
    /// <summary>Reads the file; an <see cref="MqttConnectionException"/> of kind <see cref="MqttErrorKind.CredentialsFile"/> says what is wrong with it.</summary>
    public static Credentials Read(string path, DateTimeOffset now)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MqttConnectionException(new MqttError(
                MqttErrorKind.CredentialsFile, $"cannot read the credentials file {path}: {e.Message}; it must hold the user name on line 1 and the password on line 2", null, now));
        }

        string[] lines = text.Split('\n');
        string user = lines[0].TrimEnd('\r');
        if (user.Length == 0)
        {
            throw new MqttConnectionException(new MqttError(
                MqttErrorKind.CredentialsFile, $"the credentials file {path} has no user name on its first line", null, now));
        }

        string? password = lines.Length > 1 ? lines[1].TrimEnd('\r') : null;
        return new Credentials(user, password is null ? null : Encoding.UTF8.GetBytes(password));
    }
}
