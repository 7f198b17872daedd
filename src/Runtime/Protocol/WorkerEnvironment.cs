using System;
using System.Collections.Generic;
using System.Globalization;

namespace ParallelDsl;

/// <summary>
/// What a parent hands a new worker through environment variables: the worker token (its presence marks a
/// worker), the private socket, the key, the worker's name, the parent's pid and the frame limit.
/// </summary>
internal sealed record WorkerEnvironment(byte[] Token, string SocketPath, byte[] Key, string Name, int ParentPid, int MaxFrameLength)
{
    public const string TokenVariable = "PARALLELDSL_WORKER";
    public const string SocketVariable = "PARALLELDSL_WORKER_SOCKET";
    public const string KeyVariable = "PARALLELDSL_WORKER_KEY";
    public const string NameVariable = "PARALLELDSL_WORKER_NAME";
    public const string ParentPidVariable = "PARALLELDSL_PARENT_PID";
    public const string MaxFrameVariable = "PARALLELDSL_MAX_FRAME";

    private static readonly string[] Variables =
        [TokenVariable, SocketVariable, KeyVariable, NameVariable, ParentPidVariable, MaxFrameVariable];

    /// <summary>Whether this process was started as a worker and has not consumed its environment yet.</summary>
    public static bool IsPresent => Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 };

    /// <summary>Writes the variables into a child's environment.</summary>
    public void WriteTo(IDictionary<string, string?> environment)
    {
        environment[TokenVariable] = Convert.ToHexString(Token);
        environment[SocketVariable] = SocketPath;
        environment[KeyVariable] = Convert.ToHexString(Key);
        environment[NameVariable] = Name;
        environment[ParentPidVariable] = ParentPid.ToString(CultureInfo.InvariantCulture);
        environment[MaxFrameVariable] = MaxFrameLength.ToString(CultureInfo.InvariantCulture);
        environment[ProgramSession.EnvironmentVariable] = ProgramSession.Id;
    }

    /// <summary>
    /// Reads the variables and removes them from this process's environment, so that processes the worker starts
    /// later are not mistaken for workers; <see langword="null"/> when this process is not a worker.
    /// </summary>
    /// <exception cref="FormatException">A variable is missing or malformed.</exception>
    public static WorkerEnvironment? Take()
    {
        string? token = Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return new WorkerEnvironment(
                Convert.FromHexString(token),
                Required(SocketVariable),
                Convert.FromHexString(Required(KeyVariable)),
                Required(NameVariable),
                RequiredNumber(ParentPidVariable),
                RequiredNumber(MaxFrameVariable));
        }
        finally
        {
            foreach (string variable in Variables)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }
        }
    }

    /// <summary>
    /// A non-negative decimal number, parsed by hand: int.Parse would touch CultureInfo, and the first use of any
    /// culture loads ICU, a cost a worker that never formats text should not pay before it connects.
    /// </summary>
    private static int RequiredNumber(string variable)
    {
        string text = Required(variable);
        long value = 0;
        foreach (char digit in text)
        {
            if (digit is < '0' or > '9' || (value = (value * 10) + (digit - '0')) > int.MaxValue)
            {
                throw new FormatException($"The worker environment variable {variable} is not a non-negative 32-bit decimal number: '{text}'.");
            }
        }

        return (int)value;
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new FormatException($"The worker environment variable {variable} is missing.");
}
