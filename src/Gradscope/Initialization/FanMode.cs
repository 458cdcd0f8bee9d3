namespace Gradscope.Initialization;

/// <summary>Which fan a variance-scaling initializer divides by.</summary>
public enum FanMode
{
    /// <summary>Inputs per unit (<c>Cols</c>): preserves the forward signal's variance.</summary>
    FanIn,

    /// <summary>Outputs per unit (<c>Rows</c>): preserves the backward gradient's variance.</summary>
    FanOut,
}
