using ParallelDsl;

namespace ParallelDsl.Tests.Transport;

/// <summary>[RunInProcess] methods that move large arrays of unmanaged elements each way.</summary>
public static partial class LargePayloadSubjects
{
    [RunInProcess]
    public static byte[] Echo(byte[] data) => data;

    /// <summary>A result of <paramref name="count"/> doubles, each its index plus <paramref name="offset"/>: a large result from a small task.</summary>
    [RunInProcess]
    public static double[] Ramp(int count, double offset)
    {
        double[] values = new double[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i + offset;
        }

        return values;
    }

    /// <summary>The sum of the ints, so that a large task has a small result.</summary>
    [RunInProcess]
    public static long Sum(int[] values) => values.Sum(value => (long)value);
}
