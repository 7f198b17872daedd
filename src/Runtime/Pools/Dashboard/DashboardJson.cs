using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;

namespace ParallelDsl;

/// <summary>The dashboard's <c>insights.json</c>: a <see cref="PoolInsights"/> snapshot and the throughput samples, written by hand (no reflection).</summary>
internal static class DashboardJson
{
    public static byte[] Write(PoolInsights insights, IReadOnlyList<(double Seconds, long Ended)> history)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("pool", insights.Pool);
            json.WriteNumber("uptimeSeconds", insights.Uptime.TotalSeconds);
            json.WriteNumber("tasksDone", insights.TasksDone);
            json.WriteNumber("tasksFailed", insights.TasksFailed);
            json.WriteNumber("tasksRetried", insights.TasksRetried);
            json.WriteNumber("workersStarted", insights.WorkersStarted);
            json.WriteNumber("workersLost", insights.WorkersLost);
            json.WriteStartArray("workers");
            foreach (WorkerInsights worker in insights.Workers)
            {
                WriteWorker(json, worker);
            }

            json.WriteEndArray();
            json.WriteStartArray("failures");
            foreach (PoolFailure failure in insights.RecentFailures)
            {
                json.WriteStartObject();
                json.WriteString("at", failure.At);
                json.WriteString("task", failure.Task);
                json.WriteNumber("inputIndex", failure.InputIndex);
                json.WriteString("worker", failure.WorkerName);
                json.WriteString("type", failure.ExceptionType);
                json.WriteString("message", failure.Message);
                json.WriteString("stackTrace", failure.StackTrace);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("history");
            foreach ((double seconds, long ended) in history)
            {
                json.WriteStartArray();
                json.WriteNumberValue(Math.Round(seconds, 3));
                json.WriteNumberValue(ended);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteWorker(Utf8JsonWriter json, WorkerInsights worker)
    {
        json.WriteStartObject();
        json.WriteNumber("slot", worker.Slot);
        json.WriteString("name", worker.WorkerName);
        Nullable(json, "pid", worker.ProcessId);
        json.WriteString("state", worker.Activity.ToString().ToLowerInvariant());
        json.WriteString("task", worker.RunningTask);
        Nullable(json, "inputIndex", worker.RunningInputIndex);
        json.WriteNumber("runningForSeconds", worker.RunningFor.TotalSeconds);
        Nullable(json, "residentBytes", worker.ResidentBytes);
        json.WriteNumber("done", worker.TasksDone);
        json.WriteNumber("failed", worker.TasksFailed);
        json.WriteNumber("retried", worker.TasksRetried);
        json.WriteNumber("started", worker.WorkersStarted);
        json.WriteNumber("lost", worker.WorkersLost);
        json.WriteNumber("retired", worker.WorkersRetired);
        json.WriteString("previous", worker.PreviousWorker);
        json.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is long number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
