namespace Gradscope.Training;

/// <summary>The normalization a network puts after each hidden dense layer, before its activation.</summary>
public enum NormKind
{
    /// <summary>No normalization.</summary>
    None,

    /// <summary><see cref="Layers.BatchNorm{T}"/>: per feature, over the batch.</summary>
    Batch,

    /// <summary><see cref="Layers.LayerNorm{T}"/>: per row, over the features.</summary>
    Layer,
}
