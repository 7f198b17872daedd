using Verify = ParallelDsl.Analyzers.Tests.Verifiers.ParallelDslVerifier;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>PDSL0013: the shapes no launcher can be written for that no other rule names, each with its reason.</summary>
public class CannotLaunchTests
{
    [Fact]
    public Task Shapes_no_launcher_can_be_written_for_are_reported_with_the_reason() =>
        Verify.VerifyAsync("""
            using ParallelDsl;
            partial class Outer<T>
            {
                [RunInProcess] static int {|#0:Square|}(int n) => n * n;
            }
            partial struct Point
            {
                [RunInThread] void {|#1:Print|}() { }
            }
            abstract partial class Job
            {
                [RunInThread] protected abstract void {|#2:Run|}();
            }
            partial class Cells
            {
                static int s_cell;
                [RunInThread] static {|#3:ref int|} Cell() => ref s_cell;
            }
            file partial class Local
            {
                [RunInThread] static void {|#4:Work|}() { }
            }
            """,
            Verify.Diagnostic(DiagnosticDescriptors.CannotLaunch).WithLocation(0).WithArguments("Square", "RunInProcess",
                "'Outer<T>' is generic: a child process is told which method to run by a fixed id, and cannot know the type arguments; move the method into a non-generic type"),
            Verify.Diagnostic(DiagnosticDescriptors.CannotLaunch).WithLocation(1).WithArguments("Print", "RunInThread",
                "it is an instance method of a struct: the thread would run it on a copy, and its changes would be lost; make it static or move it into a class"),
            Verify.Diagnostic(DiagnosticDescriptors.CannotLaunch).WithLocation(2).WithArguments("Run", "RunInThread",
                "it is abstract: there is no body to run; mark the method that overrides it"),
            Verify.Diagnostic(DiagnosticDescriptors.CannotLaunch).WithLocation(3).WithArguments("Cell", "RunInThread",
                "it returns by reference, and a reference into this thread's or process's memory cannot be handed to another; return the value"),
            Verify.Diagnostic(DiagnosticDescriptors.CannotLaunch).WithLocation(4).WithArguments("Work", "RunInThread",
                "'Local' is a file-local type, which the generated launcher in another file cannot extend; make it internal"));
}
