namespace Gradscope.Training;

/// <summary>How <see cref="NetworkSpec"/> arranges hidden layers into residual blocks (see <see cref="NetworkSpec.Residual"/>).</summary>
public enum ResidualStyle
{
    /// <summary>A plain chain, no skip connections.</summary>
    None,

    /// <summary>
    /// He et al. (2016b), "Identity mappings": normalization and activation open each block's branch
    /// and nothing follows the sum, so the skip path is an identity from the first block to the last.
    /// </summary>
    PreActivation,

    /// <summary>
    /// He et al. (2016a): each branch ends in a dense layer (and its normalization) and the activation
    /// follows the sum, so every block's skip path passes through one activation.
    /// </summary>
    PostActivation,
}
