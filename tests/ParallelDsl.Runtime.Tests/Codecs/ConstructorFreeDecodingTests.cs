using static ParallelDsl.Runtime.Tests.Codecs.ConstructorWorkers;

namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>
/// Decoding an argument or a result does not run the type's constructor again, as pickle does not, when the codec
/// carries the object's whole state; when it does not, the object is constructed, so its private state is there.
/// </summary>
public sealed class ConstructorFreeDecodingTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_class_with_a_counting_constructor_arrives_in_the_child_without_running_it()
    {
        var noisy = new Noisy(4, "four", [1, 2]) { Note = "a note" };

        ChildView view = Join(StartSeeNoisy(noisy));

        Assert.Equal(new ChildView(0, "4 four [1,2] a note"), view);
    }

    [Fact]
    public void Records_and_structs_arrive_without_their_constructor_bodies_running()
    {
        var first = new NoisyRecord("a", null);
        var second = new NoisyRecord("b", 2);
        ChildView records = Join(StartSeeRecords([first, second]));
        ChildView value = Join(StartSeeStruct(new NoisyStruct(3, "three")));

        Assert.Equal(new ChildView(0, $"a null {first.Serial};b 2 {second.Serial}"), records);
        Assert.Equal(new ChildView(0, "3 three"), value);
    }

    [Fact]
    public void A_result_decoded_in_the_parent_does_not_run_the_constructor_here()
    {
        int before = Noisy.Constructed;

        Noisy made = Join(StartMakeNoisy(9));

        Assert.Equal(before, Noisy.Constructed);
        Assert.Equal((9, "made in 9", 9, "from the child"), (made.Id, made.Name, made.Scores.Single(), made.Note));
    }

    [Fact]
    public void A_class_with_private_state_the_codec_does_not_carry_is_constructed_so_that_state_exists()
    {
        ChildView view = Join(StartSeePrivateState(new WithPrivateState(5)));

        Assert.Equal(new ChildView(1, "5 1"), view);
    }

    private static T Join<T>(ProcessHandle<T> handle)
    {
        using (handle)
        {
            Assert.True(handle.Join(Safety), "the child did not finish");
            return handle.Result;
        }
    }
}
