using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Reflection;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl
{
    /// <summary>
    /// The worker host for programs without a guarded <c>Main</c> of their own (test hosts, class libraries used
    /// from other hosts): the parent starts the same program again with this runtime assembly as a .NET startup
    /// hook (<c>DOTNET_STARTUP_HOOKS</c>). The hook runs before the program's <c>Main</c>, serves the worker's
    /// tasks and exits, so the program's own entry point never runs in the worker.
    /// </summary>
    internal static class WorkerHost
    {
        private const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

        /// <summary>
        /// Whether this program's workers start through the worker host: it never reached the main guard and its entry
        /// assembly declares no <see cref="RunInProcessAttribute"/> method (a test host, or a program that uses a
        /// library's methods without declaring any). A program that declares process methods is started as it is,
        /// whichever method is launched, so that its missing guard is reported rather than papered over.
        /// </summary>
        /// <remarks>
        /// The rule looks at the program, not at the method: a pool runs any method on the same worker, and a launcher
        /// must not start the same unguarded program in two ways depending on which assembly declares the method.
        /// </remarks>
        public static bool IsNeeded() => IsNeeded(MainGuard.Reached, Assembly.GetEntryAssembly());

        /// <summary><see cref="IsNeeded()"/> for a program that has <paramref name="guardReached"/> and the entry assembly <paramref name="entry"/>.</summary>
        public static bool IsNeeded(bool guardReached, Assembly? entry) => !guardReached && !ProcessDispatch.AnyOwnedBy(entry);

        /// <summary>Adds the runtime assembly to a child's startup hooks.</summary>
        public static void AddTo(IDictionary<string, string?> environment)
        {
            string hook = HookAssemblyPath();
            environment.TryGetValue(StartupHooksVariable, out string? existing);
            environment[StartupHooksVariable] = string.IsNullOrEmpty(existing) ? hook : hook + Path.PathSeparator + existing;
        }

        /// <summary>Removes the runtime assembly from this process's startup hooks, so the worker's own children start normally.</summary>
        public static void RemoveFromEnvironment()
        {
            string? hooks = Environment.GetEnvironmentVariable(StartupHooksVariable);
            if (hooks is null)
            {
                return;
            }

            string hook = HookAssemblyPath();
            string remaining = string.Join(Path.PathSeparator, hooks.Split(Path.PathSeparator).Where(path => path != hook));
            Environment.SetEnvironmentVariable(StartupHooksVariable, remaining.Length == 0 ? null : remaining);
        }

        [UnconditionalSuppressMessage("SingleFile", "IL3000",
            Justification = "An empty Location (single-file or NativeAOT) is reported with a clear exception.")]
        private static string HookAssemblyPath()
        {
            string path = typeof(WorkerHost).Assembly.Location;
            return path.Length > 0
                ? path
                : throw new PlatformNotSupportedException(
                    "This program has no guarded Main and is bundled as a single file or NativeAOT binary, so it cannot run [RunInProcess] methods: add `MainGuard.Enter(args);` as the first statement of Main.");
        }
    }
}

// The runtime looks the startup hook up by this exact name, without a namespace.
#pragma warning disable CA1050
internal static class StartupHook
#pragma warning restore CA1050
{
    /// <summary>Called by the runtime before <c>Main</c> when <c>DOTNET_STARTUP_HOOKS</c> names this assembly.</summary>
    public static void Initialize()
    {
        if (!ParallelDsl.WorkerEnvironment.IsPresent)
        {
            return;
        }

        ParallelDsl.WorkerHost.RemoveFromEnvironment();
        Environment.Exit(ParallelDsl.WorkerLoop.Run());
    }
}
