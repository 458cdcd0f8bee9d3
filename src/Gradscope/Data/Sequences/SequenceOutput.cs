namespace Gradscope.Data.Sequences;

/// <summary>Where a sequence model reads its recurrent layer: the last hidden state, or every one.</summary>
public enum SequenceOutput
{
    /// <summary>The head reads the last hidden state only: one output row per sequence.</summary>
    ManyToOne,

    /// <summary>The head reads every hidden state: one output row per sequence and step.</summary>
    ManyToMany,
}
