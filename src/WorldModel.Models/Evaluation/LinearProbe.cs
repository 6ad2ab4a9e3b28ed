using MathNet.Numerics.LinearAlgebra;

namespace WorldModel.Models.Evaluation;

/// <summary>
/// Ridge regression from latents to true positions (Alain &amp; Bengio 2016's linear probe): how much of
/// the agent's position a latent holds linearly. Fitted on training episodes, scored on held-out ones.
/// </summary>
public sealed class LinearProbe
{
    private readonly Matrix<double> _weights; // D × T
    private readonly Vector<double> _featureMean, _targetMean;

    private LinearProbe(Matrix<double> weights, Vector<double> featureMean, Vector<double> targetMean)
    {
        _weights = weights;
        _featureMean = featureMean;
        _targetMean = targetMean;
    }

    /// <summary>
    /// Fits on features (N × D) and targets (N × T); ridge strength relative to the mean feature variance.
    /// </summary>
    public static LinearProbe Fit(double[,] features, double[,] targets, double ridge = 1e-3)
    {
        var x = Matrix<double>.Build.DenseOfArray(features);
        var y = Matrix<double>.Build.DenseOfArray(targets);
        var xMean = x.ColumnSums() / x.RowCount;
        var yMean = y.ColumnSums() / y.RowCount;
        var xc = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (_, j) => xMean[j]);
        var yc = y - Matrix<double>.Build.Dense(y.RowCount, y.ColumnCount, (_, j) => yMean[j]);
        var gram = xc.TransposeThisAndMultiply(xc);
        double scale = gram.Diagonal().Average();
        gram += Matrix<double>.Build.DenseIdentity(gram.RowCount) * (ridge * Math.Max(scale, 1e-12));
        var weights = gram.Cholesky().Solve(xc.TransposeThisAndMultiply(yc));
        return new LinearProbe(weights, xMean, yMean);
    }

    /// <summary>The D × T map from (centred) features to targets: the difference of two readouts is the difference
    /// of their features times it.</summary>
    public double[,] Weights => _weights.ToArray();

    public double[,] Predict(double[,] features)
    {
        var x = Matrix<double>.Build.DenseOfArray(features);
        var xc = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (_, j) => _featureMean[j]);
        var y = xc * _weights + Matrix<double>.Build.Dense(x.RowCount, _weights.ColumnCount, (_, j) => _targetMean[j]);
        return y.ToArray();
    }

    /// <summary>Root mean squared error of each target coordinate on its own (pixels for positions).</summary>
    public static double[] RmsePerTarget(double[,] predicted, double[,] truth)
    {
        int n = truth.GetLength(0), t = truth.GetLength(1);
        var rmse = new double[t];
        for (int j = 0; j < t; j++)
        {
            double se = 0;
            for (int i = 0; i < n; i++) se += Math.Pow(predicted[i, j] - truth[i, j], 2);
            rmse[j] = Math.Sqrt(se / n);
        }
        return rmse;
    }

    /// <summary>Root mean squared error per coordinate (pixels for positions) and R² over all coordinates.</summary>
    public static (double Rmse, double R2) Score(double[,] predicted, double[,] truth)
    {
        int n = truth.GetLength(0), t = truth.GetLength(1);
        double se = 0, ss = 0;
        for (int j = 0; j < t; j++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += truth[i, j] / n;
            for (int i = 0; i < n; i++)
            {
                se += Math.Pow(predicted[i, j] - truth[i, j], 2);
                ss += Math.Pow(truth[i, j] - mean, 2);
            }
        }
        return (Math.Sqrt(se / (n * t)), 1 - se / Math.Max(ss, 1e-12));
    }
}
