namespace LiveContract.Core.Hosting;

/// <summary>
/// Thrown at start-up when configuration cannot work. The message is one or more sentences that
/// say which setting is wrong and how to fix it; the host prints it and exits.
/// </summary>
public sealed class ConfigurationErrorException(string message) : Exception(message);
