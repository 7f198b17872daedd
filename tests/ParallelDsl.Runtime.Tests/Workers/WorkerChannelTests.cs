using ParallelDsl.Wire;
using static ParallelDsl.Tests.Processes.ProcessSubjects;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// One real worker serving several tasks over one channel, as a process pool will use it, and the channel's
/// signal when a worker dies.
/// </summary>
public sealed class WorkerChannelTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);
    private static readonly string Owner = typeof(ProcessSubjects).Assembly.FullName!;

    [Fact]
    public async Task A_worker_runs_many_tasks_in_order_and_exits_with_1_when_one_of_them_threw()
    {
        using WorkerProcess worker = WorkerProcess.Start("pool-worker", isDaemon: false);
        try
        {
            using WorkerConnection channel = await worker.ConnectAsync().WaitAsync(Safety);

            await channel.SendTaskAsync(10, SquareProcess.Id, Owner, SquareProcess.EncodeArguments(6), CancellationToken.None);
            await channel.SendTaskAsync(11, ThrowProcess.Id, Owner, ThrowProcess.EncodeArguments("second task fails"), CancellationToken.None);
            await channel.SendTaskAsync(12, SquareProcess.Id, Owner, SquareProcess.EncodeArguments(-3), CancellationToken.None);

            using (TaskResult first = await Receive(channel))
            {
                Assert.Equal((10UL, true, 36), (first.TaskId, first.IsSuccess, SquareProcess.DecodeResult(first.Payload)));
            }

            using (TaskResult second = await Receive(channel))
            {
                Assert.Equal((11UL, false), (second.TaskId, second.IsSuccess));
                RemoteError error = second.ReadError();
                Assert.Equal(("System.InvalidOperationException", "second task fails", worker.Pid, "pool-worker"),
                             (error.TypeName, error.Message, error.Pid, error.ProcessName));
            }

            using (TaskResult third = await Receive(channel))
            {
                Assert.Equal((12UL, true, 9), (third.TaskId, third.IsSuccess, SquareProcess.DecodeResult(third.Payload)));
            }

            channel.BeginShutdown();
            await channel.SendAsync(CancellationToken.None);
            await worker.WaitForExitAsync().WaitAsync(Safety);
            Assert.Equal(1, worker.ExitCode);
        }
        finally
        {
            worker.Kill();
        }
    }

    [Fact]
    public async Task The_channel_reports_a_worker_that_died_while_idle()
    {
        using WorkerProcess worker = WorkerProcess.Start("doomed", isDaemon: false);
        try
        {
            using WorkerConnection channel = await worker.ConnectAsync().WaitAsync(Safety);
            worker.Kill();

            Assert.Null(await channel.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Safety));
        }
        finally
        {
            worker.Kill();
        }
    }

    [Fact]
    public async Task A_worker_whose_parent_hangs_up_while_a_task_runs_ends_itself()
    {
        string directory = Directory.CreateTempSubdirectory("pdsl-hangup-").FullName;
        string started = Path.Combine(directory, "started");
        using WorkerProcess worker = WorkerProcess.Start("abandoned", isDaemon: false);
        try
        {
            WorkerConnection channel = await worker.ConnectAsync().WaitAsync(Safety);
            await channel.SendTaskAsync(1, AnnounceThenSleepProcess.Id, Owner, AnnounceThenSleepProcess.EncodeArguments(started), CancellationToken.None);
            Assert.True(SpinWait.SpinUntil(() => File.Exists(started), Safety), "the task never started");

            // This process lives on, so no parent-death signal fires: only the hang-up can end the worker.
            channel.Dispose();

            await worker.WaitForExitAsync().WaitAsync(Safety);
            Assert.False(worker.StopRequested);
            Assert.Equal(128 + 9, worker.ExitCode);
        }
        finally
        {
            worker.Kill();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<TaskResult> Receive(WorkerConnection channel) =>
        await channel.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(Safety)
            ?? throw new InvalidOperationException("The worker closed the channel before answering.");
}
