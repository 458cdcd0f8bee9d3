namespace Gradscope.Tensors;

/// <summary>
/// Work on a block of C done as soon as the GEMM has written its final values there, while the
/// block is still in cache: a dense layer's activation, so bias (added in the micro-kernel's
/// write-back) and activation cost no sweep of their own over the output, and the activation runs
/// on every core the product runs on (a shared product hands each thread whole rows of the block).
/// </summary>
internal interface IGemmEpilogue
{
    /// <summary>
    /// Rows [<paramref name="row0"/>, +<paramref name="rows"/>) by columns [<paramref name="col0"/>,
    /// +<paramref name="cols"/>) of C hold their final values. Blocks handed to concurrent calls
    /// never overlap.
    /// </summary>
    void Apply(int row0, int rows, int col0, int cols);
}
