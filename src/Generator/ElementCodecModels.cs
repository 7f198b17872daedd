namespace ParallelDsl.Generator;

// Like Models.cs: immutable records compared by value (collections through EquatableArray), holding only strings and
// other models.

/// <summary>A queue or pipe element type whose items go through a generated codec.</summary>
/// <param name="Key">The <see cref="CodecModel.Key"/> of the element type's codec, registered for the runtime.</param>
/// <param name="Codecs">The codecs of every type the element type is made of.</param>
internal sealed record ElementCodecModel(string Key, EquatableArray<CodecModel> Codecs);

/// <summary>The assembly's codec class: every codec its process methods and queue and pipe elements need.</summary>
/// <param name="Codecs">Each distinct codec once, ordered by key.</param>
/// <param name="Elements">The keys of the element types registered for queues and pipes, ordered.</param>
/// <param name="HasProcessMethods">Whether the assembly has process methods (their holders name the codec class even when it is empty).</param>
internal sealed record CodecAssemblyModel(EquatableArray<CodecModel> Codecs, EquatableArray<string> Elements, bool HasProcessMethods)
{
    /// <summary>Whether there is anything to write.</summary>
    public bool IsEmpty => !HasProcessMethods && Elements.Count == 0;
}
