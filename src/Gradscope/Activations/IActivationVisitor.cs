namespace Gradscope.Activations;

/// <summary>
/// Something made from an activation's struct type (a layer specialized on it). Activations know
/// nothing of layers; layers reach the struct through this (see <see cref="Activation.Accept{TResult}"/>).
/// </summary>
internal interface IActivationVisitor<out TResult>
{
    TResult Visit<TAct>(Activation activation)
        where TAct : struct, IActivationFunction;
}
