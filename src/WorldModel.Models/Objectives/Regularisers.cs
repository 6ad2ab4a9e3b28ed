using static TorchSharp.torch;

namespace WorldModel.Models.Objectives;

/// <summary>VICReg-style terms (Bardes et al. 2022) and temporal smoothness, on latents of any shape.</summary>
public static class Regularisers
{
    /// <summary>
    /// Samples × features for the regularisers: flat latents as they are; spatial maps with every map
    /// position a sample of C channel features (as PLDM regularises its spatial latent). A hinge on every
    /// element across inputs instead would chase an unreachable target (most of a frame never changes)
    /// and swamp the prediction loss.
    /// </summary>
    public static Tensor AsSamples(Tensor z) => z.dim() == 4
        ? z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])
        : z.reshape(z.shape[0], -1);

    /// <summary>Hinge on each feature's standard deviation across samples: mean(relu(1 − std)).</summary>
    public static Tensor Variance(Tensor z) => StdHinge(AsSamples(z).var(0));

    /// <summary>Sum of squared off-diagonal covariances, divided by the number of features.</summary>
    public static Tensor Covariance(Tensor z)
    {
        var x = AsSamples(z);
        long n = x.shape[0], d = x.shape[1];
        var xc = x - x.mean([0], keepdim: true);
        var cov = xc.t().matmul(xc) / (n - 1);
        var offDiagonal = cov - diag(diag(cov));
        return offDiagonal.pow(2).sum() / d;
    }

    /// <summary>
    /// Hinge on each latent element's standard deviation across a sequence's frames, mean(relu(1 − std_t)), over
    /// sequences and elements; z is (B, T, …). Zero when every element moves by at least 1 within each sequence;
    /// 1 (less the epsilon) for a latent that does not change over time, whatever it holds across sequences.
    /// </summary>
    public static Tensor TimeVariance(Tensor z) => StdHinge(z.flatten(2).var(1));

    /// <summary>mean(relu(1 − std)) over variances; the epsilon keeps the square root's gradient finite at 0.</summary>
    private static Tensor StdHinge(Tensor variance) => nn.functional.relu(1 - (variance + 1e-4).sqrt()).mean();

    /// <summary>Mean squared change between consecutive latents; z is (B, T, …).</summary>
    public static Tensor Temporal(Tensor z) => (z[.., 1..] - z[.., ..^1]).pow(2).mean();

    /// <summary>
    /// Collapse diagnostic: the standard deviation of every latent element across inputs. A collapsed
    /// encoder gives the same latent for every frame, whatever structure that latent has.
    /// </summary>
    public static Tensor FeatureStd(Tensor z) => z.reshape(z.shape[0], -1).std(0);
}
