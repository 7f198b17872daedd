// The shapes of runtime APIs that other branches are building. A test compilation includes a type from this file
// only while the ParallelDsl runtime this project references does not define it yet; delete the file once they all
// have landed.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace ParallelDsl
{
    public static class MainGuard
    {
        public static void Enter(string[] args) { }
    }

    public sealed class ProcessPool : IDisposable
    {
        public ProcessPool(int workers = 0) { }
        public TResult[] Map<T, TResult>(Func<T, TResult> function, IEnumerable<T> items) => throw null!;
        public IEnumerable<TResult> MapUnordered<T, TResult>(Func<T, TResult> function, IEnumerable<T> items) => throw null!;
        public Task<TResult> Submit<TResult>(Func<TResult> function) => throw null!;
        public Task<TResult> Submit<T, TResult>(Func<T, TResult> function, T argument) => throw null!;
        public void Dispose() { }
    }

    public sealed class Shared<T> where T : unmanaged
    {
        public T Value { get => default; set { } }
        public T Update(Func<T, T> update) => throw null!;
        public IDisposable Lock() => throw null!;
    }

    public sealed class SharedArray<T> where T : unmanaged
    {
        public int Length => 0;
        public T this[int index] { get => default; set { } }
        public IDisposable Lock() => throw null!;
    }
}
